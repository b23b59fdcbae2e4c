"""Audit queries: one object's history, and the admin's audit page (filters, pages, the vessels AIS
creates counted per day instead of listed one by one)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from maritime_hub.audit.models import AuditEvent
from maritime_hub.db.repository import Page

# Bulk events, written by the hundred by AIS ingest (vessels/ais/static.py): the page counts them per day.
BULK_ACTIONS = ("vessel.create_from_ais",)


def history(
    session: Session,
    object_type: str | None = None,
    object_id: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[AuditEvent]:
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if object_id:
        stmt = stmt.where(AuditEvent.object_id == object_id)
    if before_id:
        stmt = stmt.where(AuditEvent.id < before_id)
    return list(session.scalars(stmt))


@dataclass
class AuditFilters:
    actor: str | None = None  # part of the username
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    since: datetime | None = None  # from (inclusive)
    until: datetime | None = None  # to (exclusive)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where(f: AuditFilters) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if f.actor:
        where.append(AuditEvent.actor_username.ilike(f"%{_escape(f.actor.strip())}%", escape="\\"))
    if f.action:
        where.append(AuditEvent.action == f.action)
    if f.object_type:
        where.append(AuditEvent.object_type == f.object_type)
    if f.object_id:
        where.append(AuditEvent.object_id == f.object_id)
    if f.since is not None:
        where.append(AuditEvent.at >= f.since)
    if f.until is not None:
        where.append(AuditEvent.at < f.until)
    return where


def search(
    session: Session, f: AuditFilters, page: int, page_size: int, *, hide: tuple[str, ...] = ()
) -> Page[AuditEvent]:
    """Events matching the filters, newest first; ``hide``: actions left out (the page counts them)."""
    where = _where(f)
    if hide:
        where.append(AuditEvent.action.not_in(hide))
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
    stmt = select(AuditEvent).where(*where).order_by(AuditEvent.id.desc())
    items = list(session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)))
    return Page(items=items, total=total, page=page, page_size=page_size)


def per_day(session: Session, f: AuditFilters, actions: tuple[str, ...], tz: str) -> list[tuple[date, str, int]]:
    """(day in ``tz``, action, how many) of these actions under the filters, newest day first."""
    day = func.date(func.timezone(tz, AuditEvent.at)).label("day")
    stmt = (
        select(day, AuditEvent.action, func.count())
        .where(*_where(f), AuditEvent.action.in_(actions))
        .group_by(day, AuditEvent.action)
        .order_by(day.desc(), AuditEvent.action)
    )
    return [(d, a, n) for d, a, n in session.execute(stmt)]


def actions(session: Session) -> list[str]:
    """The actions recorded so far (the filter's choices)."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def object_types(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)))
