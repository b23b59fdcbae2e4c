"""AIS reads that join the registry (the vessel a position belongs to)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vessels.ais import analytics
from vessels.ais.models import AisQuarantine, AisSource, ais_position
from vessels.models import Vessel, VesselStatus


def vessels_by_mmsi(session: Session, mmsis: list[int]) -> dict[int, Vessel]:
    if not mmsis:
        return {}
    rows = session.scalars(
        select(Vessel)
        .where(Vessel.mmsi.in_([f"{m:09d}" for m in mmsis]))
        .order_by((Vessel.status == VesselStatus.active).desc())
    )
    out: dict[int, Vessel] = {}
    for v in rows:
        if v.mmsi is not None:  # always: selected by MMSI
            out.setdefault(int(v.mmsi), v)
    return out


def last_position(session: Session, mmsi: str | int | None) -> dict | None:
    """The latest stored position of an MMSI, or None.

    Static messages (which set vessel.ais_last_seen) come every 6 minutes at best and often far
    less; positions every few seconds. Reading the latest one here keeps ingest free of a
    per-batch vessel update. The unique key (mmsi, ts, lon, lat) on every weekly partition
    answers it with a backward index scan per week, newest week first."""
    if mmsi is None or not str(mmsi).isdigit():
        return None
    p = ais_position.c
    row = session.execute(
        select(p.ts, p.lon, p.lat, p.sog, p.cog).where(p.mmsi == int(mmsi)).order_by(p.ts.desc()).limit(1)
    ).first()
    return dict(row._mapping) if row else None


def vessel_for_mmsi(session: Session, mmsi: int) -> dict:
    """What the live map's popup shows about an MMSI: its vessel record (registered or first seen
    on AIS), if there is one."""
    v = vessels_by_mmsi(session, [mmsi]).get(mmsi)
    if v is None:
        return {
            "mmsi": mmsi,
            "vessel_id": None,
            "name": None,
            "registered": None,
            "ais_name": None,
            "ais_ship_type": None,
        }
    return {
        "mmsi": mmsi,
        "vessel_id": v.id,
        "name": v.display_name,
        "registered": v.registered,
        "ais_name": v.ais_name,
        "ais_ship_type": v.ais_ship_type,
    }


def near_with_vessels(
    session: Session, lat: float, lon: float, radius_nm: float, start: datetime, end: datetime
) -> list[dict]:
    hits = analytics.near(session, lat, lon, radius_nm, start, end)
    known = vessels_by_mmsi(session, [h["mmsi"] for h in hits])
    for h in hits:
        v = known.get(h["mmsi"])
        h["vessel_id"], h["vessel_name"] = (v.id, v.display_name) if v else (None, None)
    return hits


def quarantine_page(session: Session, source: str | None, reason: str | None, limit: int, offset: int) -> dict:
    stmt = select(AisQuarantine, AisSource.name).join(AisSource, AisSource.id == AisQuarantine.source_id)
    count = select(AisQuarantine.reason, func.count()).join(AisSource, AisSource.id == AisQuarantine.source_id)
    if source:
        stmt, count = stmt.where(AisSource.name == source), count.where(AisSource.name == source)
    by_reason = dict(session.execute(count.group_by(AisQuarantine.reason)).all())
    if reason:
        stmt = stmt.where(AisQuarantine.reason == reason)
    rows = session.execute(stmt.order_by(AisQuarantine.id).limit(limit).offset(offset)).all()
    items = [
        dict(
            id=q.id,
            source=name,
            file_sha256=q.file_sha256,
            line_no=q.line_no,
            raw=q.raw,
            reason=q.reason,
            received_at=q.received_at,
        )
        for q, name in rows
    ]
    return {
        "items": items,
        "total": by_reason.get(reason, 0) if reason else sum(by_reason.values()),
        "by_reason": by_reason,
    }
