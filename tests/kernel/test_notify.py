"""Notifications: rendered in each recipient's language, delivered to the configured channels
(log-only email/SMS with a delivery row), and every role reads and marks only its own."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from maritime_hub.auth.models import Role, User
from maritime_hub.config import get_settings
from maritime_hub.messages import N_, ByLocale
from maritime_hub.notify.models import Notification, NotificationDelivery
from maritime_hub.notify.service import Message, notify

MESSAGE = Message(
    kind="transition",
    title=N_("Case %(number)s: %(state)s"),
    body=N_("Case %(number)s moved from %(from)s to %(to)s."),
    params={
        "number": "（2026）舟普海调字第0001号",
        "state": ByLocale("Dispatching", zh_CN="评估分拨"),
        "from": ByLocale("Planned", zh_CN="制定方案"),
        "to": ByLocale("Dispatching", zh_CN="评估分拨"),
    },
    case_id=None,
    link="/cases/1",
)


def _user(db, login, locale: str, *, email: str | None = None, phone: str | None = None) -> User:
    who = login("coordinator")
    user = db.get(User, who.user_id)
    user.locale, user.email, user.phone = locale, email, phone
    db.flush()
    return user


def test_each_recipient_reads_it_in_their_own_language(db, login):
    zh = _user(db, login, "zh_CN")
    en = _user(db, login, "en")
    odd = _user(db, login, "fr")  # unsupported: the primary language
    out = {n.user_id: n for n in notify(db, [zh.id, en.id, odd.id, None], MESSAGE)}
    assert out[zh.id].title == "案件（2026）舟普海调字第0001号：评估分拨"
    assert out[zh.id].body == "案件（2026）舟普海调字第0001号已由“制定方案”进入“评估分拨”。"
    assert out[en.id].title == "Case （2026）舟普海调字第0001号: Dispatching"
    assert out[en.id].body == "Case （2026）舟普海调字第0001号 moved from Planned to Dispatching."
    assert (out[zh.id].locale, out[en.id].locale, out[odd.id].locale) == ("zh_CN", "en", "zh_CN")
    assert out[odd.id].title == out[zh.id].title


def test_email_and_sms_only_log_and_record_the_delivery(db, login, caplog):
    with_both = _user(db, login, "en", email="lin@example.cn", phone="13800000001")
    without = _user(db, login, "zh_CN")
    with caplog.at_level(logging.INFO, logger="maritime_hub.notify"):
        sent = notify(db, [with_both.id, without.id], MESSAGE)
    rows = db.scalars(
        select(NotificationDelivery)
        .where(NotificationDelivery.notification_id.in_([n.id for n in sent]))
        .order_by(NotificationDelivery.id)
    ).all()
    got = {(r.notification_id, r.channel): (r.address, r.status) for r in rows}
    mine = next(n.id for n in sent if n.user_id == with_both.id)
    other = next(n.id for n in sent if n.user_id == without.id)
    assert got == {
        (mine, "email_log"): ("lin@example.cn", "logged"),
        (mine, "sms_log"): ("13800000001", "logged"),
        (other, "email_log"): (None, "no_address"),
        (other, "sms_log"): (None, "no_address"),
    }
    assert any("lin@example.cn" in r.getMessage() for r in caplog.records)


def test_channels_come_from_configuration(db, login, monkeypatch):
    user = _user(db, login, "zh_CN", email="a@example.cn", phone="13800000002")
    monkeypatch.setenv("MH_NOTIFY__CHANNELS", "inapp,sms_log,carrier_pigeon")
    get_settings.cache_clear()
    try:
        sent = notify(db, [user.id], MESSAGE)
    finally:
        monkeypatch.delenv("MH_NOTIFY__CHANNELS")
        get_settings.cache_clear()
    rows = db.scalars(select(NotificationDelivery).where(NotificationDelivery.notification_id == sent[0].id)).all()
    assert [r.channel for r in rows] == ["sms_log"]


def test_inactive_users_get_nothing(db, login):
    user = _user(db, login, "zh_CN")
    user.active = False
    db.flush()
    assert notify(db, [user.id], MESSAGE) == []


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_every_role_reads_and_marks_only_its_own(client, db, login, role):
    me, other = login(role), login(role)
    mine = notify(db, [me.user_id], MESSAGE)[0]
    notify(db, [me.user_id], MESSAGE)
    theirs = notify(db, [other.user_id], MESSAGE)[0]

    r = client.get("/api/v1/notifications", headers=me.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["unread"] == 2 and len(body["items"]) == 2
    assert theirs.id not in {n["id"] for n in body["items"]}

    # Someone else's notification does not exist for me: neither readable nor markable.
    assert client.post(f"/api/v1/notifications/{theirs.id}/read", headers=me.headers).status_code == 404
    db.refresh(theirs)
    assert theirs.read_at is None

    r = client.post(f"/api/v1/notifications/{mine.id}/read", headers=me.headers)
    assert r.status_code == 200 and r.json()["read_at"]
    unread = client.get("/api/v1/notifications?unread=true", headers=me.headers).json()
    assert unread["unread"] == 1 and len(unread["items"]) == 1 and mine.id not in {n["id"] for n in unread["items"]}

    r = client.post("/api/v1/notifications/read-all", headers=me.headers)
    assert r.status_code == 200 and r.json()["marked_read"] == 1
    assert client.get("/api/v1/notifications?unread=true", headers=me.headers).json() == {"items": [], "unread": 0}
    # The other user's stay unread.
    assert client.get("/api/v1/notifications", headers=other.headers).json()["unread"] == 1


def test_notifications_need_a_sign_in(client):
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post("/api/v1/notifications/read-all").status_code == 401


def test_notifications_page_and_badge(client, db, login):
    me = login("mediator")
    notify(db, [me.user_id], MESSAGE)
    r = client.get("/notifications/badge", headers=me.headers)
    assert r.status_code == 200 and ">1</span>" in r.text
    r = client.get("/notifications", headers=me.headers)
    assert r.status_code == 200 and "案件（2026）舟普海调字第0001号：评估分拨" in r.text
    assert db.scalar(select(Notification).where(Notification.user_id == me.user_id)).read_at is None


def test_migration_0007_matches_the_models(db):
    """notification, notification_delivery, case_alert and app_user.supervisor_id as the models declare them."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from maritime_hub.db.base import Base
    from maritime_hub.db.registry import load_all_models

    load_all_models()
    tables = {"notification", "notification_delivery", "case_alert"}
    diffs = compare_metadata(MigrationContext.configure(db.connection()), Base.metadata)

    def mine(diff) -> bool:
        text = repr(diff)
        return (
            any(f"'{t}'" in text or f"table={t}" in text or f"Table('{t}'" in text for t in tables)
            or "supervisor" in text
        )

    assert [d for d in diffs if mine(d)] == []
