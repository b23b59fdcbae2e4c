"""The audit trail: append-only (trigger), hash-chained, verifiable, tamper-evident."""

from __future__ import annotations

import hashlib

import psycopg
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from maritime_hub.audit.models import AuditEvent
from maritime_hub.audit.service import GENESIS, SYSTEM, canonical, event_payload, record, verify
from tests.conftest import run_mh


def test_chain_links_each_event_to_the_previous(db):
    a = record(db, SYSTEM, "test.one", "thing", 1, after={"x": 1})
    b = record(db, SYSTEM, "test.two", "thing", 1, before={"x": 1}, after={"x": 2})
    assert b.prev_hash == a.hash
    assert b.hash == hashlib.sha256((a.hash + canonical(event_payload(b))).encode()).hexdigest()
    first = db.scalar(select(AuditEvent).order_by(AuditEvent.id).limit(1))
    assert first.prev_hash == GENESIS
    assert verify(db).ok


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_event SET action = 'x'", "DELETE FROM audit_event", "TRUNCATE audit_event"]
)
def test_trigger_rejects_update_delete_truncate(db, statement):
    record(db, SYSTEM, "test.one", "thing", 1)
    db.flush()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.begin_nested():
            db.execute(text(statement))


def test_every_api_write_is_audited(client, db, login):
    admin = login("admin")
    n0 = db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    client.post("/api/v1/organisations", json={"name": "岱山县渔业局", "kind": "fishery_bureau"}, headers=admin.headers)
    client.post(
        "/api/v1/users",
        json={"username": "auditor9", "password": "long-enough-1", "roles": ["fishery_auditor"]},
        headers=admin.headers,
    )
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.id > n0).order_by(AuditEvent.id)).all()
    assert actions == ["organisation.create", "user.create"]
    user_event = db.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.create").order_by(AuditEvent.id.desc()).limit(1)
    )
    assert "password_hash" not in user_event.after


def test_audit_api_lists_and_verifies(client, login):
    admin = login("admin")
    events = client.get("/api/v1/audit/events?object_type=user", headers=admin.headers).json()
    assert events and events[0]["action"] in ("user.create", "token.create", "login.success")
    assert client.get("/api/v1/audit/verify", headers=admin.headers).json()["ok"] is True


def test_cli_verify_detects_a_tampered_row(scratch_db):
    libpq = scratch_db.replace("postgresql+psycopg://", "postgresql://")
    out = run_mh(
        "users",
        "create",
        "--username",
        "clerk1",
        "--role",
        "court_clerk",
        "--password-stdin",
        url=scratch_db,
        stdin="clerk-password-1\n",
    )
    assert out.returncode == 0, out.stderr
    out = run_mh("tokens", "create", "--username", "clerk1", url=scratch_db)
    assert out.returncode == 0 and out.stdout.startswith("mh_")
    ok = run_mh("audit", "verify", url=scratch_db)
    assert ok.returncode == 0, ok.stderr
    assert "2 events" in ok.stdout
    with psycopg.connect(libpq, autocommit=True) as conn:
        first = conn.execute("SELECT min(id) FROM audit_event").fetchone()[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE audit_event SET actor_username = 'mallory' WHERE id = %s", (first,))
        # A superuser can switch the guard off; the chain still tells.
        conn.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update")
        conn.execute("UPDATE audit_event SET actor_username = 'mallory' WHERE id = %s", (first,))
        conn.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update")
    bad = run_mh("audit", "verify", url=scratch_db)
    assert bad.returncode == 1
    assert f"event id {first}" in bad.stderr


def test_cli_verify_detects_a_deleted_row(scratch_db):
    libpq = scratch_db.replace("postgresql+psycopg://", "postgresql://")
    for name in ("a1", "a2", "a3"):
        assert (
            run_mh(
                "users",
                "create",
                "--username",
                name,
                "--role",
                "mediator",
                "--password-stdin",
                url=scratch_db,
                stdin="password-123\n",
            ).returncode
            == 0
        )
    with psycopg.connect(libpq, autocommit=True) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM audit_event ORDER BY id")]
        conn.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update")
        conn.execute("DELETE FROM audit_event WHERE id = %s", (ids[1],))
    bad = run_mh("audit", "verify", url=scratch_db)
    assert bad.returncode == 1 and f"event id {ids[2]}" in bad.stderr
