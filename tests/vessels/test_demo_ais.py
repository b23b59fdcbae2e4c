"""The demo AIS tells a story a mediator can check: every track is physically possible, and the
gear-damage crossing is a 60 m pass by two vessels that arrive there and sail on."""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime
from types import SimpleNamespace

from maritime_hub.demo_ais import build
from vessels.ais.decode import decode_lines


def _vessel(mmsi: int, distant: bool = False):
    return SimpleNamespace(
        mmsi=str(mmsi),
        distant_water=distant,
        name_en=f"ZHE PU YU {mmsi % 1000}",
        call_sign="BZAB",
        imo=None,
        length_overall_m=40,
    )


def _nm(a, b) -> float:
    dlat = (b[1] - a[1]) * 60
    dlon = (b[0] - a[0]) * 60 * math.cos(math.radians((a[1] + b[1]) / 2))
    return math.hypot(dlat, dlon)


def test_demo_tracks_are_possible_and_the_crossing_is_close():
    start = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    fleet = [_vessel(412440001 + i) for i in range(4)] + [_vessel(412449999, distant=True)]
    tracks: dict[int, list] = defaultdict(list)
    for rec in decode_lines(build(fleet, start)):
        if isinstance(rec, dict) and rec.get("lat") is not None and rec["type"] == 1:
            tracks[rec["mmsi"]].append((rec["timestamp"], rec["lon"], rec["lat"]))
    assert len(tracks) == 5
    for mmsi, pts in tracks.items():
        pts.sort()
        times = [t for t, _, _ in pts]
        assert len(set(times)) == len(times), f"{mmsi}: two positions at one time"
        for (t0, *p0), (t1, *p1) in zip(pts, pts[1:], strict=False):
            hours = (t1 - t0).total_seconds() / 3600
            assert _nm(p0, p1) / hours < 12, f"{mmsi} jumps {_nm(p0, p1):.1f} nm in {hours * 60:.0f} min at {t0}"
    a, b = (dict((t, (lo, la)) for t, lo, la in tracks[m]) for m in (412440001, 412440002))
    closest = min(_nm(a[t], b[t]) for t in a.keys() & b.keys()) * 1852
    assert 40 < closest < 80
