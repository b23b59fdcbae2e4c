from __future__ import annotations

from datetime import datetime

from pydantic import ConfigDict

from maritime_hub.types import Schema


class NotificationOut(Schema):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    case_id: int | None
    title: str
    body: str
    link: str | None
    locale: str
    created_at: datetime
    read_at: datetime | None


class NotificationList(Schema):
    items: list[NotificationOut]
    unread: int


class ReadAllResult(Schema):
    marked_read: int
    unread: int
