"""The evidence map (vessels/ais/evidence_map.py, mapsvg.py): Chinese with Beijing time by default,
English on request, gaps drawn and labelled with their hours, the CPA with its distance, over land
and a labelled graticule; drawn from the frozen record, which the drawing never changes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.vessels.ais_factory import insert_positions, straight

NS = {"s": "http://www.w3.org/2000/svg"}
T0 = datetime(2026, 9, 14, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
A, B = 412440001, 412440002


def _svg(r) -> ET.Element:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("image/svg+xml")
    return ET.fromstring(r.content)


def _texts(root: ET.Element, cls: str) -> list[str]:
    return ["".join(t.itertext()) for t in root.iterfind(f".//s:text[@class='{cls}']", NS)]


def _freeze(client, who, **body) -> dict:
    body = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in body.items()}
    r = client.post("/api/v1/ais/evidence", json=body, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


@pytest.fixture
def seven_hour_gap(client, db, login):
    """Off Zhoushan (land in the box): positions every 10 min 02:00-03:50 UTC, silence, 10:50-11:40."""
    pts = [(T0 + timedelta(minutes=10 * k), 122.10 + 0.01 * k, 30.00, 5.0) for k in range(12)]
    pts += [(T0 + timedelta(hours=8, minutes=50 + 10 * k), 122.40 + 0.01 * k, 30.05, 5.0) for k in range(6)]
    insert_positions(db, A, pts)
    who = login("mediator")
    ev = _freeze(client, who, kind="gaps", mmsis=[A], start=T0, end=T0 + timedelta(days=1))
    return who, ev


def test_gap_map_is_chinese_in_beijing_time_with_the_gap_drawn_and_labelled(client, db, seven_hour_gap):
    who, ev = seven_hour_gap
    assert ev["result"]["properties"]["gaps"][0]["hours"] == pytest.approx(7.0)
    root = _svg(client.get(f"/api/v1/ais/evidence/{ev['id']}/map.svg", headers=who.headers))
    title = "AIS信号中断 · 2026-09-14 10:00 至 2026-09-15 10:00（北京时间）"
    assert root.find("s:title", NS).text == title and _texts(root, "title") == [title]
    assert f"证据 #{ev['id']} · SHA-256 {ev['sha256']}" in _texts(root, "subtitle")
    assert "WenQuanYi Zen Hei" in root.get("font-family")
    # The gap: a dashed line between the last position before and the first after, its hours, both ends marked.
    (gap,) = root.iterfind(".//s:line[@class='gap']", NS)
    assert gap.get("stroke-dasharray")
    assert _texts(root, "gap-label") == ["中断 7.0 小时"]
    assert _texts(root, "gap-label-note") == ["09-14 11:50 – 09-14 18:50"]
    assert (
        len(root.findall(".//s:rect[@class='gap-start']", NS))
        == len(root.findall(".//s:rect[@class='gap-end']", NS))
        == 1
    )
    # The track's line stops at the gap rather than bridging it as if the vessel had been seen.
    assert len(root.findall(".//s:polyline[@class='track']", NS)) == 2
    assert (
        root.find(".//s:circle[@class='start']", NS) is not None
        and root.find(".//s:circle[@class='end']", NS) is not None
    )
    assert any("MMSI 412440001" in t for t in _texts(root, "legend-vessel"))
    assert _texts(root, "legend-gap") == ["AIS信号中断（未收到船位）"]
    # Background: Natural Earth land clipped to the box (Zhoushan's islands) and a graticule with degree labels.
    assert root.findall(".//s:g[@id='land']/s:path", NS)
    assert len(root.findall(".//s:g[@id='graticule']/s:line", NS)) >= 4
    lats, lons = _texts(root, "lat"), _texts(root, "lon")
    assert lats and lons and all(re.fullmatch(r"\d+°(\d\d′)?N", t) for t in lats) and all(t.endswith("E") for t in lons)
    assert any(t.startswith("30°") for t in lats) and any(t.startswith("122°") for t in lons)
    assert _texts(root, "scale")[0].endswith("海里")


def test_gap_map_in_english_and_the_record_untouched(client, db, seven_hour_gap):
    who, ev = seven_hour_gap
    url = f"/api/v1/ais/evidence/{ev['id']}/map.svg"
    stored = db.execute(text("SELECT svg, sha256, result FROM ais_evidence WHERE id = :i"), {"i": ev["id"]}).one()
    for r in (
        client.get(url, params={"lang": "en"}, headers=who.headers),
        client.get(url, headers=who.headers | {"Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}),
    ):
        root = _svg(r)
        assert r.headers["content-language"] == "en"
        assert (
            root.find("s:title", NS).text
            == "AIS signal gaps · 2026-09-14 10:00 to 2026-09-15 10:00 (Beijing time, UTC+8)"
        )
        assert _texts(root, "gap-label") == ["gap 7.0 h"] and _texts(root, "legend-start") == ["track start"]
    zh = client.get(url, headers=who.headers | {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    assert _texts(_svg(zh), "gap-label") == ["中断 7.0 小时"]
    # Deterministic, and drawing never touches the frozen record.
    assert client.get(url, headers=who.headers).content == client.get(url, headers=who.headers).content
    assert (
        db.execute(text("SELECT svg, sha256, result FROM ais_evidence WHERE id = :i"), {"i": ev["id"]}).one() == stored
    )
    assert client.get(f"/api/v1/ais/evidence/{ev['id']}", headers=who.headers).json()["intact"] is True


def test_cpa_map_marks_both_positions_with_the_distance(client, db, login):
    insert_positions(db, A, straight(T0, 122.0, 30.0, 10, 0, 120))
    insert_positions(db, B, straight(T0, 122.3, 29.8, 0, 10, 120))
    who = login("mediator")
    ev = _freeze(client, who, kind="cpa", mmsis=[A, B], start=T0, end=T0 + timedelta(hours=3))
    root = _svg(client.get(f"/api/v1/ais/evidence/{ev['id']}/map.svg", headers=who.headers))
    assert root.find("s:title", NS).text.startswith("最近会遇点（CPA） · 2026-09-14 10:00 至 2026-09-14 13:00")
    assert len(root.findall(".//s:path[@class='cpa']", NS)) == 2
    metres = ev["result"]["properties"]["cpa"]["distance_m"]
    assert _texts(root, "cpa-label") == [f"最近会遇距离 {metres:.0f} 米（{metres / 1852:.2f} 海里）"]
    assert (
        len(root.findall(".//s:polyline[@class='track']", NS)) == 2
        and len(root.findall(".//s:text[@class='vessel']", NS)) == 2
    )


def test_a_gap_search_that_found_nothing_says_so(client, db, login):
    insert_positions(db, A, straight(T0, 122.0, 30.0, 10, 0, 60))
    who = login("fishery_auditor")
    ev = _freeze(client, who, kind="gaps", mmsis=[A], start=T0, end=T0 + timedelta(hours=3))
    root = _svg(client.get(f"/api/v1/ais/evidence/{ev['id']}/map.svg", headers=who.headers))
    assert _texts(root, "empty") == ["该时间窗口内没有 6 小时以上的 AIS 信号中断"] and not root.findall(
        ".//s:line[@class='gap']", NS
    )
