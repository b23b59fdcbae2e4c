"""Synthetic AIS tracks written straight into ais_position inside the test's transaction."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import text

from vessels.ais.partitions import ensure_partitions, week_start

M_PER_DEG_LAT = 110_574.0  # near 30° N; tests allow a few per cent


def m_per_deg_lon(lat: float) -> float:
    return 111_320.0 * math.cos(math.radians(lat))


def insert_positions(
    db, mmsi: int, points: list[tuple[datetime, float, float, float | None]], source_id: int | None = None
) -> None:
    """points: (ts, lon, lat, sog)."""
    raw = db.connection().connection.driver_connection
    with raw.cursor() as cur:
        ensure_partitions(cur, {week_start(p[0]) for p in points}, set())
    if source_id is None:
        source_id = db.execute(
            text(
                "INSERT INTO ais_source (name, kind) VALUES ('test', 'file') ON CONFLICT (name) DO UPDATE SET kind = 'file' RETURNING id"
            )
        ).scalar_one()
    db.execute(
        text(
            "INSERT INTO ais_position (mmsi, ts, lon, lat, geom, sog, cog, heading, nav_status, msg_type, source_id) "
            "VALUES (:m, :ts, :lon, :lat, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326), :sog, NULL, NULL, 0, 1, :src)"
        ),
        [{"m": mmsi, "ts": ts, "lon": lon, "lat": lat, "sog": sog, "src": source_id} for ts, lon, lat, sog in points],
    )


def straight(start: datetime, lon: float, lat: float, east_kn: float, north_kn: float, minutes: int, every_s: int = 60):
    """A straight track at constant velocity, one position every every_s seconds."""
    out = []
    for k in range(0, minutes * 60 + 1, every_s):
        h = k / 3600
        out.append(
            (
                start + timedelta(seconds=k),
                lon + east_kn * 1852 * h / m_per_deg_lon(lat),
                lat + north_kn * 1852 * h / M_PER_DEG_LAT,
                math.hypot(east_kn, north_kn),
            )
        )
    return out
