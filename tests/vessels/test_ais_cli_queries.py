"""`mh ais track | near | cpa | gaps` against a committed database: the API's answers, as
tables or JSON, times as ISO 8601 UTC, and bad input as one line naming what to change."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.conftest import run_mh
from tests.vessels.ais_factory import insert_positions

T0 = datetime(2026, 9, 14, 2, 0, tzinfo=UTC)
A, B = 412440101, 412440102
START, END = "2026-09-14T00:00:00Z", "2026-09-15T00:00:00Z"


@pytest.fixture
def fleet_db(scratch_db):
    engine = create_engine(scratch_db)
    with Session(engine) as db:
        # A: every 10 min at 0.3 kn, silent 02:30-09:30 (a 7-hour gap); B 1 nm north, parallel.
        times = [T0 + timedelta(minutes=10 * k) for k in range(4)] + [
            T0 + timedelta(hours=7, minutes=10 * k) for k in range(4)
        ]
        insert_positions(db, A, [(t, 122.0 + 0.001 * i, 30.0, 0.3) for i, t in enumerate(times)])
        insert_positions(db, B, [(t, 122.0 + 0.001 * i, 30.0 + 1 / 60, 2.6) for i, t in enumerate(times)])
        db.commit()
    engine.dispose()
    return scratch_db


def mh_json(url: str, *args: str):
    r = run_mh("ais", *args, "--json", url=url, env={"COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_queries_as_json_and_tables(fleet_db):
    track = mh_json(fleet_db, "track", str(A), START, END)
    assert len(track) == 8 and track[0]["ts"] == "2026-09-14T02:00:00Z" and track[0]["sog"] == 0.3
    gaps = mh_json(fleet_db, "gaps", START, END, "--mmsi", str(A))
    assert [(g["hours"], g["start"], g["end"]) for g in gaps] == [(6.5, "2026-09-14T02:30:00Z", "2026-09-14T09:00:00Z")]
    cpa = mh_json(fleet_db, "cpa", str(A), str(B), START, END)[0]
    assert cpa["distance_m"] == pytest.approx(1 / 60 * 111_000, rel=0.02) and cpa["time"].endswith("Z")
    near = mh_json(fleet_db, "near", "30.0", "122.0", START, END, "--radius-nm", "5")
    assert [v["mmsi"] for v in near] == [A, B] and near[0]["ts"].endswith("Z")
    table = run_mh("ais", "track", str(A), START, END, url=fleet_db, env={"COLUMNS": "80"})
    assert table.returncode == 0 and "2026-09-14T02:00:00Z" in table.stdout  # the time column is not cut
    assert "—" in table.stdout and "None" not in table.stdout  # no course: a dash
    # Piped output is 80 columns: no cell is folded, so an MMSI or 6.5 h never reads in pieces.
    table = run_mh("ais", "gaps", START, END, "--mmsi", str(A), url=fleet_db, env={"COLUMNS": "80"})
    row = next(line for line in table.stdout.splitlines() if str(A) in line)
    assert "6.5" in row and "False" in row and "2026-09-14T02:30:00Z" in row
    table = run_mh("ais", "cpa", str(A), str(B), START, END, url=fleet_db, env={"COLUMNS": "80"})
    assert "30.000000, 122." in table.stdout and "{" not in table.stdout  # positions as "lat, lon"


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("track", str(A), "yesterday", END), "START must be ISO 8601"),
        (("track", "12345", START, END), "12345 is not an MMSI: an MMSI has 9 digits"),
        (("cpa", str(A), "412449999", START, END), "mmsi_b: no positions"),
        (("cpa", "412449999", str(A), START, END), "mmsi_a: no positions"),
        (("near", "30", "122", START, END, "--radius-nm", "-1"), "radius_nm"),
        (("gaps", END, START, "--mmsi", str(A)), "end"),
        (("gaps", START, END), "mmsi: give an mmsi or a bbox"),
    ],
)
def test_bad_input_is_one_clear_line(fleet_db, args, says):
    r = run_mh("ais", *args, url=fleet_db)
    assert r.returncode == 2, r.stdout
    assert says in r.stderr and "Traceback" not in r.stderr
