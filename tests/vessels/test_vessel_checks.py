"""A vessel's build year and MMSI as a registrar checks them: the year is not in the future, and the
MMSI's first three digits (the MID, ITU-R M.585) belong to the flag state. Messages in both languages."""

from __future__ import annotations

from datetime import date

import pytest

from vessels.validation import FLAG_MIDS, mid_mismatch

ZH = {"Accept-Language": "zh-CN"}


@pytest.fixture
def writer(login):
    return login("coordinator")


def test_build_year_in_the_future_is_422(client, writer):
    year = date.today().year + 1
    body = {"name_zh": "浙普渔00002", "build_year": year}
    r = client.post("/api/v1/vessels", json=body, headers=writer.headers)
    assert r.status_code == 422 and r.json()["field"] == "build_year"
    assert f"build year {year} is later than this year" in r.json()["message"]
    r = client.post("/api/v1/vessels", json=body, headers=writer.headers | ZH)
    assert f"建造年份 {year} 晚于今年" in r.json()["message"]
    body["build_year"] = date.today().year
    assert client.post("/api/v1/vessels", json=body, headers=writer.headers).status_code == 201


@pytest.mark.parametrize(
    ("flag", "mmsi", "ok"),
    [
        ("CN", "412440001", True),
        ("CN", "413000002", True),
        ("CN", "414000003", True),
        ("HK", "477000004", True),
        ("MO", "453000005", True),
        ("ID", "525000006", True),
        ("PH", "548000007", True),
        ("VN", "574000008", True),
        ("KR", "440000009", True),
        ("KR", "441000010", True),
        ("JP", "431000011", True),
        ("JP", "432000012", True),
        ("TW", "416000013", True),
        ("CN", "525000014", False),
        ("CN", "477000015", False),  # a Hong Kong MMSI: the vessel's flag is HK, not CN
        ("ID", "412000016", False),
        ("PH", "400000017", False),  # 400 is not allocated
    ],
)
def test_mmsi_must_carry_a_mid_of_the_flag_state(client, writer, flag, mmsi, ok):
    r = client.post(
        "/api/v1/vessels", json={"name_en": "OCEAN", "mmsi": mmsi, "flag_state": flag}, headers=writer.headers
    )
    if ok:
        assert r.status_code == 201, r.text
    else:
        assert r.status_code == 422, r.text
        assert r.json()["field"] == "mmsi" and "ITU-R M.585" in r.json()["message"]


def test_mid_message_names_both_countries_in_the_readers_language(client, writer):
    body = {"name_en": "OCEAN", "mmsi": "525000014", "flag_state": "CN"}
    en = client.post("/api/v1/vessels", json=body, headers=writer.headers).json()["message"]
    assert "MID 525, which belongs to Indonesia (ID)" in en and "flagged China (CN) begins with 412/413/414" in en
    zh = client.post("/api/v1/vessels", json=body, headers=writer.headers | ZH).json()["message"]
    assert "海上识别数字（MID）525 属于印度尼西亚（ID）" in zh and "船旗国为中国（CN）的船舶" in zh


def test_changing_the_flag_rechecks_the_mmsi(client, writer, make_vessel):
    vessel = make_vessel(mmsi="412300777")
    r = client.patch(f"/api/v1/vessels/{vessel.id}", json={"flag_state": "PH"}, headers=writer.headers)
    assert r.status_code == 422 and r.json()["field"] == "mmsi"
    r = client.patch(
        f"/api/v1/vessels/{vessel.id}", json={"flag_state": "PH", "mmsi": "548300777"}, headers=writer.headers
    )
    assert r.status_code == 200
    # Other edits do not re-check a stored MMSI.
    r = client.patch(f"/api/v1/vessels/{vessel.id}", json={"notes": "x"}, headers=writer.headers)
    assert r.status_code == 200


def test_mid_table_holds_the_flags_in_use():
    assert FLAG_MIDS["CN"] == (412, 413, 414)
    assert FLAG_MIDS["HK"] == (477,) and FLAG_MIDS["MO"] == (453,)
    assert mid_mismatch("232000000", "GB") is None and mid_mismatch("740000000", "FK") is None
    # A flag with no MID in the table (or no MMSI) is not compared.
    assert mid_mismatch("412000000", "BV") is None and mid_mismatch(None, "CN") is None


def test_mmsi_errors_are_chinese_when_asked(client, writer):
    r = client.post("/api/v1/vessels", json={"name_zh": "浙普渔1", "mmsi": "112345678"}, headers=writer.headers | ZH)
    assert r.status_code == 422 and "船舶电台的 MMSI 以 2–7 开头" in r.json()["message"]
    r = client.post("/api/v1/vessels", json={"name_zh": "浙普渔1", "imo": "1234568"}, headers=writer.headers | ZH)
    assert "IMO 编号校验位错误" in r.json()["message"]
