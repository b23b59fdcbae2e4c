"""Every signed-in user reads and marks their own notifications; nobody reaches another's."""

from __future__ import annotations

from fastapi import APIRouter, Query

from maritime_hub.auth.dependencies import CurrentUser
from maritime_hub.db.deps import DbSession
from maritime_hub.errors import NotFound
from maritime_hub.messages import N_
from maritime_hub.notify import schemas, service
from maritime_hub.notify.repository import NotificationRepository
from maritime_hub.types import Id

router = APIRouter(prefix="/notifications", tags=["notifications"])


def _own_id(principal) -> int:
    if principal.user_id is None:
        raise NotFound(N_("this principal has no notifications"))
    return principal.user_id


@router.get("", response_model=schemas.NotificationList)
def list_notifications(
    session: DbSession,
    principal: CurrentUser,
    unread: bool = False,
    before_id: Id | None = None,
    limit: int = Query(50, ge=1, le=200),
):
    """Your notifications, newest first (``unread=true``: only unread), with your unread count."""
    repo = NotificationRepository(session)
    uid = _own_id(principal)
    return schemas.NotificationList(
        items=repo.for_user(uid, unread=unread, limit=limit, before_id=before_id), unread=repo.unread_count(uid)
    )


@router.post("/read-all", response_model=schemas.ReadAllResult)
def read_all(session: DbSession, principal: CurrentUser):
    """Mark all your notifications read."""
    _own_id(principal)
    n = service.mark_all_read(session, principal)
    return schemas.ReadAllResult(marked_read=n, unread=0)


@router.post("/{notification_id}/read", response_model=schemas.NotificationOut)
def read_one(notification_id: Id, session: DbSession, principal: CurrentUser):
    """Mark one of your notifications read (someone else's is 404)."""
    _own_id(principal)
    return service.mark_read(session, principal, notification_id)
