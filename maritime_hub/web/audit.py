"""The audit page (admin): filters by actor, action, object and time range (kept in the form and the
page links), 50 events a page; the vessels AIS ingest creates by the hundred are one line per day
with their count, listed one by one only when asked for (``ais=each``) or filtered by that action."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request

from maritime_hub.audit import repository as audit
from maritime_hub.audit.service import verify
from maritime_hub.auth.dependencies import require
from maritime_hub.auth.roles import AUDIT_READ
from maritime_hub.config import get_settings
from maritime_hub.db.deps import DbSession
from maritime_hub.types import PageNo
from maritime_hub.web.render import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
Text = Annotated[str | None, Query(max_length=80)]


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _start(day: date | None, zone: ZoneInfo) -> datetime | None:
    return datetime.combine(day, time(), zone) if day else None


@router.get("/audit")
def audit_page(
    request: Request,
    session: DbSession,
    _: Annotated[object, Depends(require(*AUDIT_READ))],
    actor: Text = None,
    action: Text = None,
    object_type: Text = None,
    object_id: Text = None,
    since: Text = None,
    until: Text = None,
    ais: Text = None,
    page: PageNo = 1,
):
    tz = get_settings().timezone
    zone = ZoneInfo(tz)
    since_day, until_day = _day(since), _day(until)
    f = audit.AuditFilters(
        actor=actor or None,
        action=action or None,
        object_type=object_type or None,
        object_id=(object_id or "").strip() or None,
        since=_start(since_day, zone),
        until=_start(until_day + timedelta(days=1), zone) if until_day else None,  # the whole last day
    )
    each = ais == "each" or (f.action in audit.BULK_ACTIONS)
    hide = () if each else audit.BULK_ACTIONS
    result = audit.search(session, f, page, PAGE_SIZE, hide=hide)
    kept = {
        "actor": actor or "",
        "action": action or "",
        "object_type": object_type or "",
        "object_id": object_id or "",
        "since": since or "",
        "until": until or "",
        "ais": "each" if ais == "each" else "",
    }
    query = urlencode({k: v for k, v in kept.items() if v})
    return render(
        request,
        "audit.html",
        {
            "events": result.items,
            "result": result,
            "bulk_days": [] if each else audit.per_day(session, f, audit.BULK_ACTIONS, tz),
            "values": kept,
            "actions": audit.actions(session),
            "object_types": audit.object_types(session),
            "pager": f"/audit?{query}&" if query else "/audit?",
            "each_link": "/audit?"
            + urlencode({k: v for k, v in kept.items() if v and k not in ("ais", "since", "until")} | {"ais": "each"}),
            "chain": verify(session),
        },
    )
