"""Delivery channels, chosen by ``MH_NOTIFY__CHANNELS`` (default ``inapp,email_log,sms_log``).

The notification row itself is the in-app delivery (``inapp``). ``email_log`` and ``sms_log`` stand
in for an email gateway and an SMS gateway: they write a log line and a ``notification_delivery``
row with the address used, so a real gateway can replace them behind the same ``Channel`` protocol.
"""

from __future__ import annotations

import logging
from typing import Protocol

from sqlalchemy.orm import Session

from maritime_hub.auth.models import User
from maritime_hub.config import get_settings
from maritime_hub.notify.models import Notification, NotificationDelivery

log = logging.getLogger("maritime_hub.notify")


class Channel(Protocol):
    name: str

    def deliver(self, session: Session, user: User, notification: Notification) -> NotificationDelivery | None:
        """Send ``notification`` to ``user``; return the delivery record, if the channel keeps one."""


class InApp:
    """The stored notification row is what the app shows (list, badge); nothing else to do."""

    name = "inapp"

    def deliver(self, session: Session, user: User, notification: Notification) -> NotificationDelivery | None:
        return None


class _LogOnly:
    name = ""
    address_field = ""

    def deliver(self, session: Session, user: User, notification: Notification) -> NotificationDelivery:
        address = getattr(user, self.address_field) or None
        status = "logged" if address else "no_address"
        if address:
            log.info("%s to %s (user %s): %s — %s", self.name, address, user.id, notification.title, notification.body)
        else:
            log.info("%s skipped for user %s: no %s on file", self.name, user.id, self.address_field)
        row = NotificationDelivery(notification_id=notification.id, channel=self.name, address=address, status=status)
        session.add(row)
        return row


class EmailLog(_LogOnly):
    name = "email_log"
    address_field = "email"


class SmsLog(_LogOnly):
    name = "sms_log"
    address_field = "phone"


CHANNELS: dict[str, Channel] = {c.name: c for c in (InApp(), EmailLog(), SmsLog())}


def configured() -> list[Channel]:
    """The channels named in the settings, in order; an unknown name is logged and skipped."""
    out = []
    for name in get_settings().notify.channel_names:
        channel = CHANNELS.get(name)
        if channel is None:
            log.warning("MH_NOTIFY__CHANNELS names an unknown channel %r (known: %s)", name, ", ".join(CHANNELS))
            continue
        out.append(channel)
    return out
