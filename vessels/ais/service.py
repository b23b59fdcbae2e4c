"""AIS reads that join the registry (the vessel a position belongs to)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vessels.ais import analytics
from vessels.ais.models import AisQuarantine, AisSource
from vessels.models import Vessel, VesselStatus


def vessels_by_mmsi(session: Session, mmsis: list[int]) -> dict[int, Vessel]:
    if not mmsis:
        return {}
    rows = session.scalars(select(Vessel).where(Vessel.mmsi.in_([f"{m:09d}" for m in mmsis])).order_by(
        (Vessel.status == VesselStatus.active).desc()))
    out: dict[int, Vessel] = {}
    for v in rows:
        out.setdefault(int(v.mmsi), v)
    return out


def near_with_vessels(session: Session, lat: float, lon: float, radius_nm: float, start: datetime, end: datetime) -> list[dict]:
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
    items = [dict(id=q.id, source=name, file_sha256=q.file_sha256, line_no=q.line_no, raw=q.raw, reason=q.reason,
                  received_at=q.received_at) for q, name in rows]
    return {"items": items, "total": by_reason.get(reason, 0) if reason else sum(by_reason.values()), "by_reason": by_reason}
