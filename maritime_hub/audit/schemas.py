from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import ConfigDict

from maritime_hub.types import Schema


class AuditEvent(Schema):
    model_config = ConfigDict(from_attributes=True)

    id: int
    at: datetime
    actor_user_id: int | None
    actor_username: str | None
    organisation_id: int | None
    action: str
    object_type: str
    object_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    hash: str


class VerifyResult(Schema):
    ok: bool
    count: int
    first_broken_id: int | None = None
    reason: str | None = None
