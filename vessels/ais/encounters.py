"""Encounters (Global Fishing Watch definition): two vessels within 500 m of each other for at
least 2 hours while the median speed of each is below 2 knots. Tracks are resampled to a
10-minute grid, interpolating only across gaps of at most 1 hour.

GFW also excludes encounters within 10 km of an anchorage; no anchorage list ships with
the project, so that criterion is not applied (documented in docs/ais.md).
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from vessels.ais.analytics import check_window

STEP = 600  # seconds: the 10-minute grid
MAX_INTERP = 3600  # interpolate only across gaps of at most 1 h
MAX_DISTANCE_M = 500.0
MIN_DURATION_S = 2 * 3600
MAX_MEDIAN_SPEED_KN = 2.0
EARTH_R = 6_371_008.8


def _resample(t: np.ndarray, lon: np.ndarray, lat: np.ndarray, sog: np.ndarray):
    g = np.arange(math.ceil(t[0] / STEP) * STEP, math.floor(t[-1] / STEP) * STEP + 1, STEP, dtype=np.int64)
    if g.size == 0:
        return g, g, g, g
    i = np.clip(np.searchsorted(t, g, side="right"), 1, len(t) - 1)
    t0, t1 = t[i - 1], t[i]
    exact = t0 == g
    span = t1 - t0
    ok = exact | (span <= MAX_INTERP)
    w = np.where(span > 0, (g - t0) / np.where(span > 0, span, 1), 0.0)
    w = np.where(exact, 0.0, w)
    glon = lon[i - 1] + (lon[i] - lon[i - 1]) * w
    glat = lat[i - 1] + (lat[i] - lat[i - 1]) * w
    gsog = np.where(np.isnan(sog[i - 1]) | np.isnan(sog[i]), np.nan, sog[i - 1] + (sog[i] - sog[i - 1]) * w)
    return g[ok], glon[ok], glat[ok], gsog[ok]


def _haversine(lon1, lat1, lon2, lat2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_R * np.arcsin(np.sqrt(a))


# Complexity allowed: one ordered pass that opens, extends and closes encounters; splitting it spreads one state machine over several functions.
def encounters(  # noqa: C901
    session: Session, start: datetime, end: datetime, bbox: tuple[float, float, float, float] | None = None
) -> list[dict]:
    check_window(start, end)
    where = "ts >= :s AND ts < :e"
    params: dict[str, object] = {"s": start, "e": end}
    if bbox:
        where += " AND geom && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4326)"
        params.update(x0=bbox[0], y0=bbox[1], x1=bbox[2], y1=bbox[3])
    rows = session.execute(
        text(
            f"SELECT mmsi, extract(epoch FROM ts)::bigint, lon, lat, sog FROM ais_position WHERE {where} ORDER BY mmsi, ts"
        ),
        params,
    ).all()
    if not rows:
        return []
    arr = np.array([(r[0], r[1], r[2], r[3], np.nan if r[4] is None else r[4]) for r in rows], dtype=float)
    # slot -> list of (mmsi, lon, lat, sog)
    slots: dict[int, list[tuple[int, float, float, float]]] = defaultdict(list)
    for m in np.unique(arr[:, 0]):
        sel = arr[arr[:, 0] == m]
        t = sel[:, 1].astype(np.int64)
        keep = np.concatenate(([True], np.diff(t) > 0))  # one position per second
        sel, t = sel[keep], t[keep]
        if len(t) < 2:
            continue
        g, glon, glat, gsog = _resample(t, sel[:, 2], sel[:, 3], sel[:, 4])
        for k in range(len(g)):
            slots[int(g[k])].append((int(m), float(glon[k]), float(glat[k]), float(gsog[k])))
    close: dict[tuple[int, int], list[tuple[int, float, float, float, float, float]]] = defaultdict(list)
    for slot, vs in slots.items():
        if len(vs) < 2:
            continue
        v = np.array(vs)
        # Cells of ~MAX_DISTANCE_M: only neighbouring cells can hold a close pair.
        lat0 = math.radians(float(v[:, 2].mean()))
        cx = np.floor(v[:, 1] * 111_320 * math.cos(lat0) / MAX_DISTANCE_M).astype(int)
        cy = np.floor(v[:, 2] * 110_540 / MAX_DISTANCE_M).astype(int)
        cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for idx, key in enumerate(zip(cx, cy, strict=False)):
            cells[key].append(idx)
        for (x, y), members in cells.items():
            cand = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in cells.get((x + dx, y + dy), ())]
            for i in members:
                for j in cand:
                    if v[j, 0] <= v[i, 0]:
                        continue
                    d = float(_haversine(v[i, 1], v[i, 2], v[j, 1], v[j, 2]))
                    if d <= MAX_DISTANCE_M:
                        close[(int(v[i, 0]), int(v[j, 0]))].append((slot, d, v[i, 3], v[j, 3], v[i, 1], v[i, 2]))
    out: list[dict] = []
    for (a, b), hits in close.items():
        hits.sort()
        run = [hits[0]]
        for h in hits[1:] + [None]:
            if h is not None and h[0] - run[-1][0] == STEP:
                run.append(h)
                continue
            _emit(out, a, b, run)
            if h is not None:
                run = [h]
    return sorted(out, key=lambda e: (e["start"], e["mmsi_a"]))


def _emit(out: list, a: int, b: int, run: list) -> None:
    if run[-1][0] - run[0][0] < MIN_DURATION_S:
        return
    sa = np.nanmedian([h[2] for h in run]) if not all(math.isnan(h[2]) for h in run) else 0.0
    sb = np.nanmedian([h[3] for h in run]) if not all(math.isnan(h[3]) for h in run) else 0.0
    if sa >= MAX_MEDIAN_SPEED_KN or sb >= MAX_MEDIAN_SPEED_KN:
        return
    mid = run[len(run) // 2]
    out.append(
        {
            "mmsi_a": a,
            "mmsi_b": b,
            "start": datetime.fromtimestamp(run[0][0], UTC),
            "end": datetime.fromtimestamp(run[-1][0], UTC),
            "hours": round((run[-1][0] - run[0][0]) / 3600, 2),
            "median_distance_m": round(float(np.median([h[1] for h in run])), 1),
            "median_speed_kn": round(float(max(sa, sb)), 2),
            "position": {"lon": mid[4], "lat": mid[5]},
        }
    )
