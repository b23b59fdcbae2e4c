"""Notify users: render the message in each recipient's language (app_user.locale), store it
(the in-app notification) and hand it to the configured channels. Flushes, never commits.

Callers pass English msgids marked with ``N_`` and parameters; a parameter that itself depends on
the language is a ``{"zh_CN": ..., "en": ...}`` mapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from maritime_hub.audit.service import record
from maritime_hub.auth.models import User
from maritime_hub.auth.service import Principal
from maritime_hub.catalogues import gettext_for, normalise
from maritime_hub.db.base import utcnow
from maritime_hub.errors import NotFound
from maritime_hub.messages import N_, localise
from maritime_hub.notify import channels
from maritime_hub.notify.models import Notification
from maritime_hub.notify.repository import NotificationRepository


@dataclass(frozen=True)
class Message:
    kind: str
    title: str
    body: str
    params: Mapping[str, Any] = field(default_factory=dict)
    case_id: int | None = None
    link: str | None = None


def render(message: Message, locale: str | None) -> tuple[str, str]:
    """Title and body in ``locale`` (unsupported locales fall back to zh_CN)."""
    loc = normalise(locale)
    values = {k: localise(v, loc) for k, v in message.params.items()}  # ByLocale, Label, Msg: per recipient
    return gettext_for(loc, message.title) % values, gettext_for(loc, message.body) % values


def notify(session: Session, user_ids: Iterable[int | None], message: Message) -> list[Notification]:
    """One notification per distinct active recipient, each in their own language."""
    ids = sorted({i for i in user_ids if i is not None})
    if not ids:
        return []
    users = session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True)).order_by(User.id)).all()
    out = []
    chosen = channels.configured()
    for user in users:
        title, body = render(message, user.locale)
        n = Notification(
            user_id=user.id,
            kind=message.kind,
            case_id=message.case_id,
            locale=normalise(user.locale),
            title=title[:300],
            body=body,
            link=message.link,
        )
        session.add(n)
        session.flush()
        for channel in chosen:
            channel.deliver(session, user, n)
        out.append(n)
    session.flush()
    return out


def _own_id(principal: Principal) -> int:
    if principal.user_id is None:  # a system or service principal
        raise NotFound(N_("this principal has no notifications"))
    return principal.user_id


def mark_read(session: Session, principal: Principal, notification_id: int) -> Notification:
    n = NotificationRepository(session).own(_own_id(principal), notification_id)
    if n.read_at is None:
        n.read_at = utcnow()
        session.flush()
        record(session, principal, "notification.read", "notification", n.id, after={"read_at": n.read_at.isoformat()})
    return n


def mark_all_read(session: Session, principal: Principal) -> int:
    count = NotificationRepository(session).mark_all_read(_own_id(principal))
    if count:
        record(session, principal, "notification.read_all", "app_user", principal.user_id, after={"marked_read": count})
    return count
