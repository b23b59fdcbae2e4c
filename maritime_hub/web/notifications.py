"""Notification pages: the list (own only), mark read, and the unread badge the nav loads with HTMX."""

from __future__ import annotations

from itertools import groupby
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from maritime_hub.auth.dependencies import CurrentUser
from maritime_hub.config import get_settings
from maritime_hub.db.deps import DbSession
from maritime_hub.notify import service
from maritime_hub.notify.repository import NotificationRepository
from maritime_hub.types import Id, PageNo
from maritime_hub.web.render import render

router = APIRouter(prefix="/notifications", include_in_schema=False)


PAGE_SIZE = 20


def by_day(items: list) -> list[tuple[str, list]]:
    """Consecutive notifications grouped by their day in China time (the list is newest first)."""
    zone = ZoneInfo(get_settings().timezone)
    return [
        (day, list(rows)) for day, rows in groupby(items, key=lambda n: f"{n.created_at.astimezone(zone):%Y-%m-%d}")
    ]


@router.get("")
def notifications_page(
    request: Request, session: DbSession, principal: CurrentUser, unread: bool = False, page: PageNo = 1
):
    repo = NotificationRepository(session)
    uid = principal.user_id or 0
    items, total = repo.page_for_user(uid, unread=unread, page=page, page_size=PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    return render(
        request,
        "notifications.html",
        {
            "days": by_day(items),
            "unread": repo.unread_count(uid),
            "only_unread": unread,
            "page": page,
            "pages": pages,
            "total": total,
            "base": "/notifications?unread=true&" if unread else "/notifications?",
        },
    )


@router.get("/badge")
def unread_badge(session: DbSession, principal: CurrentUser):
    n = NotificationRepository(session).unread_count(principal.user_id or 0)
    poll = 'id="unread-count" hx-get="/notifications/badge" hx-trigger="every 60s" hx-swap="outerHTML"'
    return HTMLResponse(f'<span class="badge unread" {poll}>{n}</span>' if n else f"<span {poll}></span>")


@router.post("/{notification_id}/read")
def read_one(notification_id: Id, session: DbSession, principal: CurrentUser):
    n = service.mark_read(session, principal, notification_id)
    return RedirectResponse(n.link or "/notifications", status_code=303)


@router.post("/read-all")
def read_all(session: DbSession, principal: CurrentUser):
    service.mark_all_read(session, principal)
    return RedirectResponse("/notifications", status_code=303)
