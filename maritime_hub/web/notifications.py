"""Notification pages: the list (own only), mark read, and the unread badge the nav loads with HTMX."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from maritime_hub.auth.dependencies import CurrentUser
from maritime_hub.db.deps import DbSession
from maritime_hub.notify import service
from maritime_hub.notify.repository import NotificationRepository
from maritime_hub.types import Id
from maritime_hub.web.render import render

router = APIRouter(prefix="/notifications", include_in_schema=False)


@router.get("")
def notifications_page(request: Request, session: DbSession, principal: CurrentUser, unread: bool = False):
    repo = NotificationRepository(session)
    uid = principal.user_id or 0
    items = repo.for_user(uid, unread=unread, limit=100)
    return render(
        request, "notifications.html", {"items": items, "unread": repo.unread_count(uid), "only_unread": unread}
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
