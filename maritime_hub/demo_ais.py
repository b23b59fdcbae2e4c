"""Demo AIS: two days of tracks for the demo fleet around the Zhoushan fishing grounds,
encoded as real NMEA with pyais and stored through the normal ingest path, with two
situations a mediator meets: a trawler crossing another vessel's nets close aboard (a gear
damage dispute) and a squid jigger's transmitter silent for 9 hours.

Generated once, anchored to the time of the first load, so the live map's default
last-24-hours window shows tracks; later loads see the source and skip.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from pyais import encode_dict

from vessels.ais.ingest import ingest_files
from vessels.ais.replay import tag_block
from vessels.models import Vessel

SOURCE = "demo-ais.nmea"
STEP = timedelta(minutes=3)
HOURS = 48
# Fishing grounds east of Zhoushan (舟山渔场): lon, lat.
GROUNDS = (122.9, 30.1)


def _sentences(mmsi: int, ts: datetime, lon: float, lat: float, sog: float, cog: float) -> list[bytes]:
    msg = {
        "type": 1,
        "mmsi": mmsi,
        "lon": round(lon, 5),
        "lat": round(lat, 5),
        "speed": round(sog, 1),
        "course": round(cog % 360, 1),
        "heading": int(cog % 360),
        "status": 7,
    }
    tb = tag_block(int(ts.timestamp()), "demo")
    return [tb + s.encode() + b"\n" for s in encode_dict(msg, talker_id="AI", sentence_type="VDM")]


def _static(mmsi: int, ts: datetime, name: str, call: str | None, imo: str | None, loa: float | None) -> list[bytes]:
    bow = int(loa * 0.55) if loa else 0
    msg = {
        "type": 5,
        "mmsi": mmsi,
        "shipname": name[:20],
        "callsign": (call or "")[:7],
        "imo": int(imo) if imo else 0,
        "ship_type": 30,
        "to_bow": bow,
        "to_stern": int(loa) - bow if loa else 0,
        "to_port": 4,
        "to_starboard": 4,
        "destination": "ZHOUSHAN",
    }
    tb = tag_block(int(ts.timestamp()), "demo")
    return [tb + s.encode() + b"\n" for s in encode_dict(msg, talker_id="AI", sentence_type="VDM", seq_id=1)]


def _walk(
    rng: random.Random, lon: float, lat: float, cog: float, sog: float, steps: int
) -> list[tuple[float, float, float]]:
    """A slow, wandering trawl from (lon, lat): one (lon, lat, course) per STEP."""
    out = []
    d = sog * STEP.total_seconds() / 3600 / 60  # degrees of latitude per step
    for _ in range(steps):
        cog += rng.uniform(-12, 12)
        lat += d * math.cos(math.radians(cog))
        lon += d * math.sin(math.radians(cog)) / math.cos(math.radians(lat))
        out.append((lon, lat, cog))
    return out


def build(vessels: list, start: datetime) -> list[bytes]:
    """vessels: ORM Vessel rows of the demo fleet."""
    rng = random.Random(98)
    lines: list[bytes] = []
    n = int(HOURS * 3600 / STEP.total_seconds())
    coastal = [v for v in vessels if not v.distant_water and v.mmsi]
    crossing = _Crossing(start + timedelta(hours=HOURS - 6)) if len(coastal) >= 2 else None
    for i, v in enumerate(coastal):
        mmsi = int(v.mmsi)
        lon, lat = GROUNDS[0] + rng.uniform(-0.6, 0.6), GROUNDS[1] + rng.uniform(-0.5, 0.5)
        cog, sog = rng.uniform(0, 360), rng.uniform(2.5, 4.5)
        # AIS names are upper-case Latin; one vessel's transponder still carries an old name.
        ais_name = (v.name_en or "").replace(" ", "") if i != 3 else "ZHEPUYU OLD"
        lines += _static(mmsi, start, ais_name, v.call_sign, v.imo, float(v.length_overall_m or 0) or None)
        times = [start + k * STEP for k in range(n)]
        if crossing is not None and i < 2:
            lines += crossing.track(rng, mmsi, i, times, sog)
            continue
        for ts, (x, y, heading) in zip(times, _walk(rng, lon, lat, cog, sog, n), strict=True):
            lines += _sentences(mmsi, ts, x, y, sog, heading)
    distant = [v for v in vessels if v.distant_water and v.mmsi]
    if distant:
        lines += _silent(distant[0], start, rng)
    return lines


class _Crossing:
    """One vessel lies at its nets; another passes 60 m off at 4 kn (a gear-damage dispute).
    Each one's track runs into the encounter and on from it: one position at a time."""

    LON, LAT, MINUTES = 122.55, 29.95, 40

    def __init__(self, when: datetime):
        self.when = when

    def _at(self, who: int, k: int) -> tuple[float, float, float, float]:
        """(lon, lat, sog, cog) k minutes from the closest approach; who 0 passes, 1 lies at its nets."""
        if who == 1:
            return self.LON + 0.3 / 60 / 60 / math.cos(math.radians(self.LAT)) * k, self.LAT, 0.3, 90.0  # 0.3 kn east
        return self.LON + 60 / 96_500, self.LAT + 4 * k / 60 / 60, 4.0, 0.0

    def track(self, rng: random.Random, mmsi: int, who: int, times: list[datetime], sog: float) -> list[bytes]:
        first, last = self.when - timedelta(minutes=self.MINUTES), self.when + timedelta(minutes=self.MINUTES)
        before, after = [t for t in times if t < first], [t for t in times if t > last]
        out: list[bytes] = []
        # Before: a walk back in time from where the encounter starts, then played forwards.
        lon, lat, _, cog = self._at(who, -self.MINUTES)
        back = _walk(rng, lon, lat, cog + 180, sog, len(before))
        for ts, (blon, blat, bcog) in zip(before, reversed(back), strict=False):
            out += _sentences(mmsi, ts, blon, blat, sog, bcog + 180)
        for k in range(-self.MINUTES, self.MINUTES + 1):
            lon, lat, ksog, kcog = self._at(who, k)
            out += _sentences(mmsi, self.when + timedelta(minutes=k), lon, lat, ksog, kcog)
        lon, lat, _, cog = self._at(who, self.MINUTES)
        for ts, (alon, alat, acog) in zip(after, _walk(rng, lon, lat, cog, sog, len(after)), strict=False):
            out += _sentences(mmsi, ts, alon, alat, sog, acog)
        return out


def _silent(v, start: datetime, rng: random.Random) -> list[bytes]:
    """A squid jigger in the South-East Pacific whose positions stop for 9 hours."""
    out: list[bytes] = []
    lon, lat = -82.5, -12.3
    for k in range(int(HOURS * 6)):
        ts = start + timedelta(minutes=10 * k)
        if timedelta(hours=20) <= ts - start < timedelta(hours=29):
            continue
        lon += rng.uniform(-0.01, 0.01)
        lat += rng.uniform(-0.01, 0.01)
        out += _sentences(int(v.mmsi), ts, lon, lat, 1.0, rng.uniform(0, 360))
    return out


def load(session, var_dir: Path, url: str) -> int:
    """Ingest the demo AIS once; returns positions stored (0 when already there)."""
    from sqlalchemy import select

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        if conn.execute("SELECT 1 FROM ais_source WHERE name = %s", (SOURCE,)).fetchone():
            return 0
    vessels = list(session.scalars(select(Vessel).where(Vessel.registered.is_(True)).order_by(Vessel.id)))
    start = (datetime.now(UTC) - timedelta(hours=HOURS)).replace(second=0, microsecond=0)
    path = var_dir / "demo" / SOURCE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(build(vessels, start)))
    return ingest_files(url, [path], source=SOURCE, workers=1).totals.positions
