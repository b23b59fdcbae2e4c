"""Track, near, CPA, gaps and encounters against hand-computed expectations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from tests.vessels.ais_factory import M_PER_DEG_LAT, insert_positions, m_per_deg_lon, straight

T0 = datetime(2026, 9, 14, 2, 0, tzinfo=UTC)  # a Monday
A, B, C = 412440001, 412440002, 412440003


@pytest.fixture
def reader(login):
    return login("mediator")


def q(client, who, url, **params):
    r = client.get(
        url,
        params={k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in params.items()},
        headers=who.headers,
    )
    return r


def test_cpa_of_two_crossing_tracks(client, db, reader):
    # A steams east along 30°N, B north along A's path, both at 10 kn; B reaches the crossing
    # point 6 minutes (0.1 h) after A. Relative motion: A(t) = (v t, 0), B(t) = (0, v (t - 0.1 h)):
    # d(t)^2 = v^2 (t^2 + (t - 0.1)^2), least at t = 0.05 h, d = v * 0.1 h / sqrt(2)
    # = 1852 m / sqrt(2) = 1309.5 m, 3 minutes after A passes the crossing point.
    cross_lon, lat = 122.5, 30.0
    a_start = T0
    a = straight(a_start, cross_lon - 10 * 1852 * 1 / m_per_deg_lon(lat), lat, 10, 0, 120)  # crosses at T0 + 1 h
    b_start = T0 + timedelta(hours=1, minutes=6) - timedelta(hours=1)
    b = straight(b_start, cross_lon, lat - 10 * 1852 * 1 / M_PER_DEG_LAT, 0, 10, 120)  # crosses at T0 + 1 h 6 min
    insert_positions(db, A, a)
    insert_positions(db, B, b)
    r = q(client, reader, "/api/v1/ais/cpa", mmsi_a=A, mmsi_b=B, start=T0, end=T0 + timedelta(hours=3))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["distance_m"] == pytest.approx(1309.5, rel=0.03)
    expected = T0 + timedelta(hours=1, minutes=3)
    assert abs(datetime.fromisoformat(body["time"]) - expected) <= timedelta(seconds=30)
    assert body["position_a"]["lat"] == pytest.approx(30.0, abs=1e-3)


def test_cpa_errors_are_clear(client, db, reader):
    insert_positions(db, A, straight(T0, 122.0, 30.0, 10, 0, 30))
    r = q(client, reader, "/api/v1/ais/cpa", mmsi_a=A, mmsi_b=C, start=T0, end=T0 + timedelta(hours=1))
    assert r.status_code == 404 and "positions" in r.json()["message"] and r.json()["field"] == "mmsi_b"
    r = q(client, reader, "/api/v1/ais/cpa", mmsi_a=A, mmsi_b=A, start=T0, end=T0 + timedelta(hours=1))
    assert r.status_code == 422 and r.json()["field"] == "mmsi_b"
    r = q(client, reader, "/api/v1/ais/cpa", mmsi_a=A, mmsi_b=B, start=T0, end=T0 - timedelta(hours=1))
    assert r.status_code == 422 and r.json()["field"] == "end"
    r = client.get(
        "/api/v1/ais/cpa",
        params={"mmsi_a": A, "mmsi_b": B, "start": "yesterday", "end": "today"},
        headers=reader.headers,
    )
    assert r.status_code == 422 and r.json()["field"] == "start"


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/vessels/99999999999999999999/track", "mmsi"),
        ("/api/v1/ais/cpa?mmsi_a=412440001&mmsi_b=-5", "mmsi_b"),
        ("/api/v1/ais/near?lat=30&lon=122&radius_nm=nan", "radius_nm"),
        ("/api/v1/ais/near?lat=nan&lon=122", "lat"),
        ("/api/v1/ais/gaps?mmsi=1234567890", "mmsi"),
        ("/api/v1/ais/gaps?mmsi=412440001&min_hours=inf", "min_hours"),
    ],
)
def test_numbers_out_of_range_are_422_naming_the_field(client, reader, url, field):
    window = "start=2026-09-14T00:00:00Z&end=2026-09-15T00:00:00Z"
    r = client.get(url + ("&" if "?" in url else "?") + window, headers=reader.headers)
    assert r.status_code == 422 and r.json()["field"] == field, r.text


def test_evidence_wants_each_mmsi_once(client, login):
    who = login("mediator")
    body = {"kind": "track", "mmsis": [A, A], "start": T0.isoformat(), "end": (T0 + timedelta(hours=3)).isoformat()}
    r = client.post("/api/v1/ais/evidence", json=body, headers=who.headers)
    assert r.status_code == 422 and r.json()["field"] == "mmsis"


def test_a_seven_hour_gap_is_found_and_a_five_hour_one_is_not(client, db, reader):
    # Positions every 10 min: 02:00-04:00, silence 5 h, 09:00-11:00, silence 7 h, 18:00-20:00.
    pts = []
    for s, e in (
        (T0, T0 + timedelta(hours=2)),
        (T0 + timedelta(hours=7), T0 + timedelta(hours=9)),
        (T0 + timedelta(hours=16), T0 + timedelta(hours=18)),
    ):
        t = s
        while t <= e:
            pts.append((t, 122.0, 30.0 + (t - T0).total_seconds() / 3600 * 0.01, 3.0))
            t += timedelta(minutes=10)
    insert_positions(db, A, pts)
    r = q(client, reader, "/api/v1/ais/gaps", mmsi=A, start=T0, end=T0 + timedelta(days=1), min_hours=6)
    gaps = r.json()
    assert len(gaps) == 1
    g = gaps[0]
    assert g["hours"] == 7.0
    # The track carries the same gap, for the map to draw the line broken and label it.
    track = q(client, reader, f"/api/v1/vessels/{A}/track", start=T0, end=T0 + timedelta(days=1)).json()
    marked = [f["properties"] for f in track["features"] if f["properties"]["kind"] == "gap"]
    assert [(m["hours"], datetime.fromisoformat(m["start"])) for m in marked] == [(7.0, T0 + timedelta(hours=9))]
    assert track["features"][0]["properties"]["kind"] == "track"  # the line stays first
    assert datetime.fromisoformat(g["start"]) == T0 + timedelta(hours=9)
    # 7 h at 0.01°/h of latitude = 0.07° = 7738 m = 4.18 nm
    assert g["distance_nm"] == pytest.approx(0.07 * M_PER_DEG_LAT / 1852, rel=0.02)
    assert g["implied_speed_kn"] == pytest.approx(g["distance_nm"] / 7, rel=0.01)
    assert g["suspected_disabling"] is False
    assert (
        len(q(client, reader, "/api/v1/ais/gaps", mmsi=A, start=T0, end=T0 + timedelta(days=1), min_hours=4).json())
        == 2
    )
    by_box = q(client, reader, "/api/v1/ais/gaps", bbox="121,29,123,31", start=T0, end=T0 + timedelta(days=1))
    assert [x["mmsi"] for x in by_box.json()] == [A]


def test_leaving_the_box_is_not_a_gap_but_going_dark_in_it_is(client, db, reader):
    # A reports every 10 min for 24 h, inside 121-123°E until 06:00, then 8 h east of 123°E,
    # then back inside: no gap anywhere. B goes dark for 7 h inside the box.
    day = T0 + timedelta(days=1)
    a, t = [], T0
    while t <= day:
        lon = 124.0 if T0 + timedelta(hours=6) < t < T0 + timedelta(hours=14) else 122.0
        a.append((t, lon, 30.0, 10.0))
        t += timedelta(minutes=10)
    insert_positions(db, A, a)
    insert_positions(db, B, [(T0 + timedelta(hours=h), 122.2, 30.1, 3.0) for h in (0, 1, 2, 9, 10)])
    # C's 7-h gap lies wholly east of the box: not reported with this box.
    insert_positions(db, C, [(T0 + timedelta(hours=h), 124.5, 30.1, 3.0) for h in (0, 1, 8)])
    found = q(
        client, reader, "/api/v1/ais/gaps", bbox="121,29,123,31", start=T0, end=day + timedelta(hours=1), min_hours=6
    )
    assert found.status_code == 200, found.text
    assert [(g["mmsi"], g["hours"]) for g in found.json()] == [(B, 7.0)]
    assert (
        q(client, reader, "/api/v1/ais/gaps", mmsi=A, start=T0, end=day + timedelta(hours=1), min_hours=6).json() == []
    )


def test_near_lists_vessels_with_their_closest_position(client, db, reader, make_vessel):
    make_vessel(name_zh="浙普远98", mmsi=str(A))
    lat, lon = 30.0, 122.0
    dlon = 1852 / m_per_deg_lon(lat)
    insert_positions(
        db, A, [(T0, lon + 3 * dlon, lat, 5.0), (T0 + timedelta(hours=1), lon + 1 * dlon, lat, 5.0)]
    )  # 3 nm, then 1 nm
    insert_positions(db, B, [(T0, lon + 8 * dlon, lat, 5.0)])  # 8 nm
    insert_positions(db, C, [(T0, lon + 15 * dlon, lat, 5.0)])  # 15 nm: outside
    insert_positions(db, 412440009, [(T0 - timedelta(days=2), lon, lat, 5.0)])  # outside the window
    r = q(
        client,
        reader,
        "/api/v1/ais/near",
        lat=lat,
        lon=lon,
        radius_nm=10,
        start=T0 - timedelta(hours=1),
        end=T0 + timedelta(hours=2),
    )
    hits = r.json()
    assert [h["mmsi"] for h in hits] == [A, B]
    assert hits[0]["distance_m"] == pytest.approx(1852, rel=0.01)
    assert hits[0]["vessel_name"] == "浙普远98"
    assert hits[1]["distance_m"] == pytest.approx(8 * 1852, rel=0.01)


def test_three_hour_encounter(client, db, reader):
    # A drifts at 1 kn eastward; B keeps 300 m north of it from 03:00 to 06:00, then leaves at 8 kn.
    a = straight(T0, 150.0, -20.0, 1, 0, 6 * 60, every_s=300)
    b = [
        (t, lon, lat + 300 / M_PER_DEG_LAT, 1.0)
        for t, lon, lat, _ in a
        if T0 + timedelta(hours=1) <= t <= T0 + timedelta(hours=4)
    ]
    b += straight(
        T0 + timedelta(hours=4, minutes=5), b[-1][1], b[-1][2] + 8 * 1852 / 12 / M_PER_DEG_LAT, 0, 8, 60, every_s=300
    )
    insert_positions(db, A, a)
    insert_positions(db, B, b)
    insert_positions(db, C, straight(T0, 150.0, -20.01, 12, 0, 300, every_s=300))  # passes by fast: no encounter
    r = q(client, reader, "/api/v1/ais/encounters", start=T0, end=T0 + timedelta(hours=8), bbox="149,-21,151,-19")
    assert r.status_code == 200, r.text
    enc = r.json()
    assert len(enc) == 1
    e = enc[0]
    assert (e["mmsi_a"], e["mmsi_b"]) == (A, B)
    assert e["hours"] == pytest.approx(3.0, abs=0.17)
    assert e["median_distance_m"] == pytest.approx(300, rel=0.05)


def test_track_formats(client, db, reader):
    insert_positions(db, A, straight(T0, 122.0, 30.0, 6, 6, 30, every_s=600))
    gj = q(client, reader, f"/api/v1/vessels/{A}/track", start=T0, end=T0 + timedelta(hours=1)).json()
    assert gj["type"] == "FeatureCollection"
    line = gj["features"][0]
    assert line["geometry"]["type"] == "LineString" and len(line["geometry"]["coordinates"]) == 4
    csv = q(client, reader, f"/api/v1/vessels/{A}/track", start=T0, end=T0 + timedelta(hours=1), format="csv")
    assert csv.text.splitlines()[0].startswith("mmsi,ts_utc,lon,lat") and len(csv.text.splitlines()) == 5
    kml = q(client, reader, f"/api/v1/vessels/{A}/track", start=T0, end=T0 + timedelta(hours=1), format="kml")
    assert "<LineString" in kml.text and "122.0" in kml.text
    assert q(client, reader, f"/api/v1/vessels/{A}/track", start=T0, end=T0 + timedelta(days=40)).status_code == 422


def test_speeds_come_out_as_reported_not_as_stored(client, db, reader):
    # 0.3 kn is sent as 3 tenths; stored as `real` it reads back as 0.30000001192092896.
    insert_positions(db, A, [(T0, 122.0, 30.0, 0.3), (T0 + timedelta(minutes=3), 122.0, 30.001, 2.6)])
    csv = q(client, reader, f"/api/v1/vessels/{A}/track", start=T0, end=T0 + timedelta(hours=1), format="csv").text
    assert [line.split(",")[4] for line in csv.splitlines()[1:]] == ["0.3", "2.6"]
    kml = q(client, reader, f"/api/v1/vessels/{A}/track", start=T0, end=T0 + timedelta(hours=1), format="kml").text
    assert "SOG 0.3 kn" in kml and "SOG 2.6 kn" in kml and "0.30000" not in kml
    near = q(
        client, reader, "/api/v1/ais/near", lat=30.0, lon=122.0, radius_nm=1, start=T0, end=T0 + timedelta(hours=1)
    ).json()
    assert [v["sog"] for v in near] == [0.3]


def test_partitions_are_created_across_a_week_boundary(db):
    sunday = datetime(2026, 9, 20, 23, 59, tzinfo=UTC)
    insert_positions(db, A, [(sunday, 122.0, 30.0, 1.0), (sunday + timedelta(minutes=2), 122.0, 30.0, 1.0)])
    names = db.execute(
        text(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'ais_position' AND c.relname IN ('ais_position_p2026w38', 'ais_position_p2026w39')"
        )
    ).all()
    assert {n for n, _ in names} == {"ais_position_p2026w38", "ais_position_p2026w39"}
    per_part = dict(
        db.execute(
            text("SELECT tableoid::regclass::text, count(*) FROM ais_position WHERE mmsi = :m GROUP BY 1"), {"m": A}
        ).all()
    )
    assert per_part == {"ais_position_p2026w38": 1, "ais_position_p2026w39": 1}


@pytest.mark.parametrize("role", ["party"])
def test_parties_cannot_query_ais(client, login, role):
    who = login(role)
    for url in (
        "/api/v1/ais/near?lat=30&lon=122&start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z",
        "/api/v1/ais/quarantine",
        f"/api/v1/vessels/{A}/track?start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z",
    ):
        assert client.get(url, headers=who.headers).status_code == 403
        assert client.get(url).status_code == 401


def test_evidence_snapshot_is_frozen_hashed_and_mapped(client, db, login):
    from sqlalchemy.exc import DBAPIError

    insert_positions(db, A, straight(T0, 122.0, 30.0, 10, 0, 120))
    insert_positions(db, B, straight(T0, 122.3, 29.8, 0, 10, 120))
    med = login("mediator")
    body = {"kind": "cpa", "mmsis": [A, B], "start": T0.isoformat(), "end": (T0 + timedelta(hours=3)).isoformat()}
    r = client.post("/api/v1/ais/evidence", json=body, headers=med.headers)
    assert r.status_code == 201, r.text
    ev = r.json()
    assert len(ev["sha256"]) == 64 and ev["intact"] is True
    assert ev["params"]["mmsis"] == [A, B] and ev["sources"][0]["source"] == "test"
    kinds = [f["properties"]["kind"] for f in ev["result"]["features"]]
    assert kinds.count("track") == 2 and kinds.count("cpa_position") == 2
    assert ev["result"]["properties"]["cpa"]["distance_m"] > 0
    svg = client.get(f"/api/v1/ais/evidence/{ev['id']}/map.svg", headers=med.headers)
    assert svg.headers["content-type"].startswith("image/svg+xml") and "<svg" in svg.text and "CPA" in svg.text
    # The same analysis again is the same evidence.
    assert client.post("/api/v1/ais/evidence", json=body, headers=med.headers).json()["id"] == ev["id"]
    with pytest.raises(DBAPIError, match="immutable"):
        with db.begin_nested():
            db.execute(text("UPDATE ais_evidence SET sha256 = 'x' WHERE id = :i"), {"i": ev["id"]})
    # Judges read evidence but do not make it; bad kinds are named.
    assert client.post("/api/v1/ais/evidence", json=body, headers=login("judge").headers).status_code == 403
    assert client.get(f"/api/v1/ais/evidence/{ev['id']}", headers=login("judge").headers).json()["intact"] is True
    r = client.post("/api/v1/ais/evidence", json=body | {"kind": "rumour"}, headers=med.headers)
    assert r.status_code == 422 and r.json()["field"] == "kind"


def test_gap_evidence_draws_the_gap(client, db, login):
    pts = [(T0 + timedelta(minutes=10 * k), 122.0 + 0.01 * k, 30.0, 5.0) for k in range(12)]
    pts += [(T0 + timedelta(hours=10, minutes=10 * k), 122.5 + 0.01 * k, 30.1, 5.0) for k in range(6)]
    insert_positions(db, A, pts)
    r = client.post(
        "/api/v1/ais/evidence",
        json={"kind": "gaps", "mmsis": [A], "start": T0.isoformat(), "end": (T0 + timedelta(days=1)).isoformat()},
        headers=login("fishery_auditor").headers,
    )
    assert r.status_code == 201
    gaps = r.json()["result"]["properties"]["gaps"]
    # Last position before the silence at T0 + 1 h 50 min, next at T0 + 10 h: 8 h 10 min.
    assert len(gaps) == 1 and gaps[0]["hours"] == pytest.approx(8 + 10 / 60, abs=0.01)


@pytest.mark.parametrize(("lat", "radius_nm"), [(30.0, 10), (55.0, 50), (-12.0, 100), (30.0, 150)])
def test_near_decides_the_edge_on_the_spheroid(client, db, reader, lat, radius_nm):
    """Vessels placed just inside and just outside the radius, in four directions: the fast
    planar filter must agree with ST_DWithin on the spheroid."""
    lon = 122.0
    exact = db.execute(
        text("""
        SELECT d, ST_X(pt), ST_Y(pt) FROM (
          SELECT d, ST_Project(ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography, d, radians(az))::geometry AS pt
          FROM unnest(ARRAY[:r * 0.995, :r * 1.005]) d, unnest(ARRAY[0, 90, 180, 270, 45]) az) x
    """),
        {"lon": lon, "lat": lat, "r": radius_nm * 1852},
    ).all()
    for i, (_d, x, y) in enumerate(exact):
        insert_positions(db, 412500000 + i, [(T0, x, y, 1.0)])
    hits = q(
        client,
        reader,
        "/api/v1/ais/near",
        lat=lat,
        lon=lon,
        radius_nm=radius_nm,
        start=T0 - timedelta(hours=1),
        end=T0 + timedelta(hours=1),
    ).json()
    inside = {412500000 + i for i, (d, _, _) in enumerate(exact) if d < radius_nm * 1852}
    assert {h["mmsi"] for h in hits} == inside
