"""Notification queries: always scoped to one recipient."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from maritime_hub.db.base import utcnow
from maritime_hub.errors import NotFound
from maritime_hub.messages import N_
from maritime_hub.notify.models import Notification, NotificationDelivery


class NotificationRepository:
    def __init__(self, session: Session):
        self.session = session

    def for_user(
        self, user_id: int, *, unread: bool = False, limit: int = 50, before_id: int | None = None
    ) -> list[Notification]:
        stmt = select(Notification).where(Notification.user_id == user_id)
        if unread:
            stmt = stmt.where(Notification.read_at.is_(None))
        if before_id is not None:
            stmt = stmt.where(Notification.id < before_id)
        return list(self.session.scalars(stmt.order_by(Notification.id.desc()).limit(limit)))

    def page_for_user(
        self, user_id: int, *, unread: bool = False, page: int = 1, page_size: int = 20
    ) -> tuple[list[Notification], int]:
        """One page of the user's notifications, newest first (by time: the page groups them by day),
        and how many there are in all."""
        where = [Notification.user_id == user_id]
        if unread:
            where.append(Notification.read_at.is_(None))
        total = self.session.scalar(select(func.count()).select_from(Notification).where(*where)) or 0
        stmt = select(Notification).where(*where).order_by(Notification.created_at.desc(), Notification.id.desc())
        items = list(self.session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)))
        return items, total

    def unread_count(self, user_id: int) -> int:
        return (
            self.session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            )
            or 0
        )

    def own(self, user_id: int, notification_id: int) -> Notification:
        """The user's own notification; someone else's is reported as absent (no existence leak)."""
        n = self.session.get(Notification, notification_id)
        if n is None or n.user_id != user_id:
            raise NotFound(N_("notification {notification_id} not found"), notification_id=notification_id)
        return n

    def mark_all_read(self, user_id: int) -> int:
        result = cast(  # an UPDATE's result is a CursorResult, which has the rowcount
            CursorResult[Any],
            self.session.execute(
                update(Notification)
                .where(Notification.user_id == user_id, Notification.read_at.is_(None))
                .values(read_at=utcnow())
            ),
        )
        return result.rowcount or 0

    def deliveries(self, notification_id: int) -> list[NotificationDelivery]:
        return list(
            self.session.scalars(
                select(NotificationDelivery)
                .where(NotificationDelivery.notification_id == notification_id)
                .order_by(NotificationDelivery.id)
            )
        )
