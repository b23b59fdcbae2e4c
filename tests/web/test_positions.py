"""Positions are shown with their hemispheres wherever a page shows one (maritime_hub/coords.py):
a case's incident off Peru and a vessel's last AIS position there read 12.5000°S 80.2000°W,
not "-12.5000°N, -80.2000°E"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from maritime_hub.coords import format_position
from tests.mediation import conftest as case_world

world = case_world.world


def test_the_formatter_names_each_hemisphere():
    assert format_position(-12.5, -80.2) == "12.5000°S 80.2000°W"
    assert format_position(30.1, 122.3) == "30.1000°N 122.3000°E"
    assert format_position(0, 0) == "0.0000°N 0.0000°E"


def test_the_case_page_shows_the_incident_with_hemispheres(client, world):
    case = world.new_case(incident_position={"lat": -12.5, "lon": -80.2}, sea_area="秘鲁外海")
    html = client.get(f"/cases/{case.id}", headers=world.coordinator.headers).text
    assert html.count("12.5000°S 80.2000°W") == 2  # the facts and the map button's hint
    assert "-12.5" not in html.replace('data-lat="-12.5"', "") and "°N," not in html


def test_the_vessel_page_shows_the_last_position_with_hemispheres(client, world):
    from tests.vessels.ais_factory import insert_positions, straight

    vessel = world.make_vessel(name_zh="浙普远98", mmsi="412300998")
    t0 = datetime.now(UTC) - timedelta(hours=2)
    insert_positions(world.db, 412300998, straight(t0, -80.2, -12.5, 0, 0, 1))
    html = client.get(f"/vessels/{vessel.id}", headers=world.coordinator.headers).text
    assert "12.5000°S" in html and "80.2000°W" in html
