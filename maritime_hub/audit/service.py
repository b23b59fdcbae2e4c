"""Record and verify audit events.

hash = SHA-256(prev_hash || canonical JSON of the event). Writers take a transaction-level
advisory lock so two concurrent transactions cannot fork the chain; the lock is released
at commit, which keeps id order equal to chain order.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from maritime_hub.audit.models import AuditEvent

GENESIS = "0" * 64
# Arbitrary constant identifying the audit chain's advisory lock.
CHAIN_LOCK = 0x6D68_0001


@dataclass(frozen=True)
class Actor:
    """Who did it. Principals (auth) and the CLI's system actor both are Actors."""

    user_id: int | None
    username: str | None
    organisation_id: int | None = None
    request_id: str | None = None


SYSTEM = Actor(user_id=None, username="system")


def jsonable(value: Any) -> Any:
    """A JSON-safe, stable form of model values (Decimal as string, dates ISO, UTC)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def snapshot(obj: Any, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """Column values of an ORM object, for before/after."""
    from sqlalchemy import inspect

    mapper = inspect(obj).mapper
    out = {}
    for col in mapper.column_attrs:
        if col.key in exclude or col.key.endswith("password_hash"):
            continue
        val = getattr(obj, col.key)
        if hasattr(val, "desc") and hasattr(val, "data"):  # geometry: keep it readable
            val = str(val)
        out[col.key] = jsonable(val)
    return out


def canonical(event: dict[str, Any]) -> str:
    return json.dumps(event, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def event_payload(ev: AuditEvent) -> dict[str, Any]:
    return {
        "at": jsonable(ev.at),
        "actor_user_id": ev.actor_user_id,
        "actor_username": ev.actor_username,
        "organisation_id": ev.organisation_id,
        "action": ev.action,
        "object_type": ev.object_type,
        "object_id": ev.object_id,
        "before": ev.before,
        "after": ev.after,
        "request_id": ev.request_id,
    }


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(payload)).encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: Any = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (services call this for every write)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
    prev = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)) or GENESIS
    ev = AuditEvent(
        at=datetime.now(UTC),
        actor_user_id=actor.user_id,
        actor_username=actor.username,
        organisation_id=actor.organisation_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
        request_id=actor.request_id,
        prev_hash=prev,
    )
    ev.hash = chain_hash(prev, event_payload(ev))
    session.add(ev)
    session.flush()
    return ev


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys that changed, for compact update events."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


@dataclass
class VerifyResult:
    ok: bool
    count: int
    first_broken_id: int | None = None
    reason: str | None = None


def verify(session: Session, batch: int = 5000) -> VerifyResult:
    """Walk the chain in id order; report the first row whose hash or link does not hold."""
    prev = GENESIS
    count = 0
    last_id = 0
    while True:
        rows = list(
            session.scalars(select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch))
        )
        if not rows:
            return VerifyResult(ok=True, count=count)
        for ev in rows:
            if ev.prev_hash != prev:
                return VerifyResult(False, count, ev.id, "prev_hash does not match the previous row's hash")
            if chain_hash(prev, event_payload(ev)) != ev.hash:
                return VerifyResult(False, count, ev.id, "hash does not match the row's contents")
            prev = ev.hash
            count += 1
            last_id = ev.id
        session.expunge_all()


def record_many_with_cursor(
    cur: Any, actor: Actor, action: str, object_type: str, events: list[tuple[Any, dict[str, Any] | None]]
) -> None:
    """Append several events (object id, after) through a raw psycopg cursor, as bulk paths
    such as AIS ingest need: one lock, hashes chained in Python, one executemany."""
    if not events:
        return
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK,))
    cur.execute("SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1")
    row = cur.fetchone()
    prev = row[0] if row else GENESIS
    params = []
    for object_id, after in events:
        ev = AuditEvent(
            at=datetime.now(UTC),
            actor_user_id=actor.user_id,
            actor_username=actor.username,
            organisation_id=actor.organisation_id,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            before=None,
            after=jsonable(after) if after is not None else None,
            request_id=actor.request_id,
        )
        digest = chain_hash(prev, event_payload(ev))
        params.append(
            (
                ev.at,
                ev.actor_user_id,
                ev.actor_username,
                ev.organisation_id,
                ev.action,
                ev.object_type,
                ev.object_id,
                None,
                None if ev.after is None else json.dumps(ev.after),
                ev.request_id,
                prev,
                digest,
            )
        )
        prev = digest
    cur.executemany(
        "INSERT INTO audit_event (at, actor_user_id, actor_username, organisation_id, action, object_type, object_id, "
        "before, after, request_id, prev_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        params,
    )
