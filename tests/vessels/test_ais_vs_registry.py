"""AIS beside the registry: what counts as a difference (AIS names are 6-bit upper case, often
without spaces, '@'-padded), how the vessel page labels it, the AIS facts it shows (ship type,
dimensions, draught, last seen from the latest position) and the live map's MMSI look-up."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tests.vessels.ais_factory import insert_positions
from vessels.models import Vessel
from vessels.service import ais_differences

UTC = UTC


def _fields(**kw) -> dict[str, tuple[str | None, str | None]]:
    return {d.field: (d.registry, d.ais) for d in ais_differences(Vessel(**kw))}


@pytest.mark.parametrize(
    ("registry", "ais"),
    [
        ("ZHE PU YU 40216", "ZHEPUYU40216"),
        ("ZHE PU YU 40216", "ZHEPUYU40216@@@@@@@@"),
        ("Zhe Pu Yu 40216", "ZHE PU YU  40216"),
        ("ZHE PU YU 40216", "ZHE PU YU 40216@@@@ "),
    ],
)
def test_the_same_name_written_the_ais_way_is_no_difference(registry, ais):
    assert _fields(name_en=registry, ais_name=ais) == {}


def test_a_different_name_is_still_a_difference():
    assert _fields(name_en="ZHE PU YU 40216", ais_name="ZHEPUYU OLD") == {"name": ("ZHE PU YU 40216", "ZHEPUYU OLD")}
    assert _fields(name_en="ZHE PU YU 40216", ais_name="ZHEPUYU40217")["name"] == ("ZHE PU YU 40216", "ZHEPUYU40217")


def test_call_signs_compare_the_same_way_and_all_padding_means_not_sent():
    assert _fields(call_sign="BZPY8", ais_call_sign="bzpy8@@") == {}
    assert _fields(call_sign="BZPY8", ais_call_sign="BZPY 8") == {}
    assert _fields(call_sign="BZPY8", ais_call_sign="BZPY9")["call_sign"] == ("BZPY8", "BZPY9")
    assert _fields(name_en="ZHE PU YU 1", ais_name="@@@@@@@@@@@@@@@@@@@@") == {}


def test_length_from_bow_and_stern_is_compared_with_loa():
    assert _fields(length_overall_m=Decimal("36.5"), ais_to_bow=20, ais_to_stern=16) == {}
    assert _fields(length_overall_m=Decimal("86.5"), ais_to_bow=40, ais_to_stern=30)["length_m"] == ("86.5", "70")
    assert _fields(length_overall_m=Decimal("86.5"), ais_to_bow=0, ais_to_stern=0) == {}


@pytest.fixture
def trawler(make_vessel, db):
    v = make_vessel(
        name_zh="浙普渔40216",
        name_en="ZHE PU YU 40216",
        mmsi="413440216",
        call_sign="BZXP6",
        length_overall_m=Decimal("36.5"),
    )
    v.ais_name, v.ais_call_sign, v.ais_ship_type = "ZHEPUYU OLD", "BZXP6", 30
    v.ais_to_bow, v.ais_to_stern, v.ais_to_port, v.ais_to_starboard = 20, 16, 3, 4
    v.ais_draught, v.ais_destination = Decimal("3.2"), "ZHOUSHAN"
    v.ais_last_seen = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)  # the last static message
    db.flush()
    return v


def test_api_gives_the_latest_position_time_beside_the_static_time(client, login, db, trawler):
    who = login("mediator")
    body = client.get(f"/api/v1/vessels/{trawler.id}", headers=who.headers).json()
    assert body["ais_last_position_at"] is None
    insert_positions(
        db,
        413440216,
        [
            (datetime(2026, 3, 2, 1, 0, tzinfo=UTC), 122.9, 30.1, 3.0),
            (datetime(2026, 3, 2, 2, 5, tzinfo=UTC), 122.91, 30.11, 3.1),
        ],
    )
    insert_positions(db, 413440217, [(datetime(2026, 3, 2, 3, 0, tzinfo=UTC), 122.9, 30.1, 3.0)])  # another vessel
    body = client.get(f"/api/v1/vessels/{trawler.id}", headers=who.headers).json()
    assert datetime.fromisoformat(body["ais_last_position_at"]) == datetime(2026, 3, 2, 2, 5, tzinfo=UTC)
    assert datetime.fromisoformat(body["ais_last_seen"]) == datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    assert [d["field"] for d in body["ais_differences"]] == ["name"]


def test_chinese_vessel_page_labels_the_differences_and_shows_the_ais_facts(client, login, db, trawler):
    who = login("coordinator")
    trawler.length_overall_m = Decimal("50")
    db.flush()
    insert_positions(db, 413440216, [(datetime(2026, 3, 2, 2, 5, tzinfo=UTC), 122.91, 30.11, 3.1)])
    html = client.get(f"/vessels/{trawler.id}", headers=who.headers).text
    table = html[html.index('<table class="diff">') :]
    table = table[: table.index("</table>")]
    assert "<td>船名</td><td>ZHE PU YU 40216</td>" in table and "<td>船长(米)</td><td>50</td>" in table
    assert "<td>name</td>" not in table and "length_m" not in table and "呼号" not in table  # same call sign
    assert "捕捞作业" in html and "(30)" in html
    assert "长 36 米 × 宽 7 米" in html and "天线距船首 20 米" in html
    assert "吃水" in html and "3.2 m" in html and "ZHOUSHAN" in html
    # Last seen: the latest position (02:05 UTC = 10:05 Beijing time), newer than the static message.
    assert '<dd id="ais-last-seen">2026-03-02 10:05</dd>' in html
    assert "30.1100°N" in html and "122.9100°E" in html


def test_last_seen_keeps_the_static_time_when_it_is_newer(client, login, db, trawler):
    insert_positions(db, 413440216, [(datetime(2026, 2, 27, 2, 5, tzinfo=UTC), 122.91, 30.11, 3.1)])
    html = client.get(f"/vessels/{trawler.id}", headers=login("coordinator").headers).text
    assert '<dd id="ais-last-seen">2026-03-01 08:00</dd>' in html


def test_a_vessel_with_positions_but_no_static_data_shows_its_last_seen(client, login, db, make_vessel):
    v = make_vessel(name_zh="浙普渔40300", mmsi="413440300")
    insert_positions(db, 413440300, [(datetime(2026, 3, 2, 2, 5, tzinfo=UTC), 122.91, 30.11, None)])
    html = client.get(f"/vessels/{v.id}", headers=login("coordinator").headers).text
    assert '<dd id="ais-last-seen">2026-03-02 10:05</dd>' in html and "尚未收到 AIS 静态数据" not in html


def test_english_vessel_page_uses_english_labels(client, login, trawler):
    who = login("coordinator")
    client.cookies.set("mh_lang", "en")
    html = client.get(f"/vessels/{trawler.id}", headers=who.headers).text
    assert "<td>Vessel name</td>" in html and "Fishing" in html and "length 36 m × beam 7 m" in html
    assert "Draught" in html


def test_map_lookup_finds_registered_and_ais_only_vessels(client, login, db, trawler, make_vessel):
    who = login("judge")
    r = client.get("/api/v1/ais/vessels/413440216", headers=who.headers)
    assert r.status_code == 200
    assert r.json() == {
        "mmsi": 413440216,
        "vessel_id": trawler.id,
        "name": "浙普渔40216",
        "registered": True,
        "ais_name": "ZHEPUYU OLD",
        "ais_ship_type": 30,
    }
    ais_only = Vessel(mmsi="219000123", flag_state="ZZ", registered=False, ais_name="NORDIC STAR", ais_ship_type=70)
    db.add(ais_only)
    db.flush()
    body = client.get("/api/v1/ais/vessels/219000123", headers=who.headers).json()
    assert body["vessel_id"] == ais_only.id and body["name"] == "NORDIC STAR" and body["registered"] is False
    body = client.get("/api/v1/ais/vessels/219000999", headers=who.headers).json()
    assert body == {
        "mmsi": 219000999,
        "vessel_id": None,
        "name": None,
        "registered": None,
        "ais_name": None,
        "ais_ship_type": None,
    }
    assert client.get("/api/v1/ais/vessels/1234567890", headers=who.headers).status_code == 422
    assert client.get("/api/v1/ais/vessels/413440216", headers=login("party").headers).status_code == 403


def test_show_track_opens_the_day_up_to_the_last_position_however_old(client, login, db, trawler):
    # Last position 2026-03-02 02:05 UTC = 10:05 China Standard Time: the map's form fields.
    insert_positions(db, 413440216, [(datetime(2026, 3, 2, 2, 5, tzinfo=UTC), 122.91, 30.11, 3.1)])
    who = login("coordinator")
    html = client.get(f"/vessels/{trawler.id}", headers=who.headers).text
    assert 'href="/map?mmsi=413440216&amp;start=2026-03-01T10%3A05&amp;end=2026-03-02T10%3A06"' in html
    page = client.get("/map?mmsi=413440216&start=2026-03-01T10:05&end=2026-03-02T10:06", headers=who.headers).text
    assert 'id="track-start" value="2026-03-01T10:05"' in page and 'id="track-end" value="2026-03-02T10:06"' in page
    odd = client.get("/map?mmsi=413440216&start=yesterday&end=2026-03-02T10:06%22%3E", headers=who.headers)
    assert odd.status_code == 200 and 'id="track-start" value=""' in odd.text and 'id="track-end" value=""' in odd.text
