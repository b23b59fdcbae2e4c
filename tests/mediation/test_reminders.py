"""定时催办 / 超时督办: reminders before a deadline to the person responsible, escalations of overdue
duties to the coordinators' supervisor (or all coordinators), each once; a case that moved on gets
nothing; the periodic job runs through a real procrastinate worker. Time is frozen by passing ``now``."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import psycopg
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from maritime_hub.audit.models import AuditEvent
from maritime_hub.auth.models import User
from maritime_hub.notify.models import Notification
from mediation.cases import reminders
from mediation.cases.detail import live_deadlines
from mediation.cases.ledger import AlertKind, CaseAlert
from mediation.cases.models import Case, CaseTimeline
from mediation.deadlines import LOCAL_TZ
from tests.conftest import run_mh
from tests.mediation.conftest import make_user


def notes(db, user_id: int, kind: str) -> list[Notification]:
    return db.scalars(select(Notification).where(Notification.user_id == user_id, Notification.kind == kind)).all()


def alerts(db, case_id: int) -> list[tuple[str, str]]:
    rows = db.scalars(select(CaseAlert).where(CaseAlert.case_id == case_id).order_by(CaseAlert.id)).all()
    return [(a.deadline_key, a.kind.value) for a in rows]


def local_noon(day) -> datetime:
    return datetime.combine(day, time(12), LOCAL_TZ).astimezone(UTC)


def deadline(db, case_id: int, key: str):
    return next(d for d in live_deadlines(db.get(Case, case_id)) if d.key.startswith(key))


def supervised(world):
    """The organisation's director supervises the window coordinator."""
    director = make_user(world.db, "coordinator", world.org.id)
    world.db.get(User, world.coordinator.user_id).supervisor_id = director.user_id
    world.db.flush()
    return director


def test_acknowledgement_reminder_fires_once_to_the_coordinators(world):
    db = world.db
    case = world.new_case()
    created = db.get(Case, case.id).created_at
    # 接诉即办: 24 hours by default; the reminder comes within the last 6 hours.
    assert reminders.sweep(db, created + timedelta(hours=17)) == []
    fired = reminders.sweep(db, created + timedelta(hours=19))
    assert [(a.deadline_key, a.kind) for a in fired] == [("acknowledgement", AlertKind.reminder)]
    assert reminders.sweep(db, created + timedelta(hours=20)) == []  # once
    got = notes(db, world.coordinator.user_id, "reminder")
    assert len(got) == 1 and got[0].title.startswith("定时催办：接诉即办") and got[0].case_id == case.id
    assert notes(db, world.other_coordinator.user_id, "reminder") == []  # another organisation's coordinator


def test_overdue_acknowledgement_escalates_once_to_the_supervisor(world):
    db = world.db
    director = supervised(world)
    case = world.new_case()
    now = db.get(Case, case.id).created_at + timedelta(hours=25)
    fired = reminders.sweep(db, now)
    assert [(a.deadline_key, a.kind) for a in fired] == [("acknowledgement", AlertKind.escalation)]
    assert fired[0].recipients == [director.user_id]
    assert reminders.sweep(db, now + timedelta(hours=1)) == []
    assert alerts(db, case.id) == [("acknowledgement", "escalation")]
    [esc] = notes(db, director.user_id, "escalation")
    assert esc.title == f"超时督办：案件{case.number}的接诉即办已逾期"
    assert notes(db, world.coordinator.user_id, "escalation") == []
    # Recorded in the audit trail and on the case timeline.
    audit = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.escalation", AuditEvent.object_id == str(case.id))
    ).all()
    assert len(audit) == 1 and audit[0].after["escalated_to"] == [director.user_id]
    rows = db.scalars(select(CaseTimeline).where(CaseTimeline.case_id == case.id).order_by(CaseTimeline.id)).all()
    assert rows[-1].actor_name == "超时督办" and rows[-1].payload["escalation"]["deadline"] == "acknowledgement"


def test_without_a_supervisor_all_coordinators_of_the_organisation_are_told(world):
    db = world.db
    second = make_user(db, "coordinator", world.org.id)
    case = world.new_case()
    [alert] = reminders.sweep(db, db.get(Case, case.id).created_at + timedelta(hours=30))
    assert alert.kind == AlertKind.escalation
    assert alert.recipients == sorted([world.coordinator.user_id, second.user_id])
    assert notes(db, world.other_coordinator.user_id, "escalation") == []


def test_a_case_that_moved_on_gets_nothing(world):
    db = world.db
    case = world.new_case()
    now = db.get(Case, case.id).created_at + timedelta(hours=30)
    [item] = reminders.items_for(db.get(Case, case.id), now)
    assert item.key == "acknowledgement" and item.kind == AlertKind.escalation
    world.advance(case.id, "TRIAGED")  # acknowledged: the SLA no longer runs
    assert reminders.fire(db, item, now) is None
    assert reminders.sweep(db, now) == []
    assert alerts(db, case.id) == []
    assert notes(db, world.coordinator.user_id, "escalation") == []


def test_mediation_period_reminds_the_mediator_then_escalates(world):
    db = world.db
    director = supervised(world)
    case_id = world.case_in("MEDIATING")
    d = deadline(db, case_id, "mediation_period")
    fired = reminders.sweep(db, local_noon(d.due - timedelta(days=1)))
    assert [(a.deadline_key, a.kind) for a in fired] == [(d.key, AlertKind.reminder)]
    assert fired[0].recipients == [world.assigned_mediator.user_id]
    [note] = notes(db, world.assigned_mediator.user_id, "reminder")
    assert note.body == f"案件{db.get(Case, case_id).number}：调解期限的期限为{d.due.isoformat()}（依据：{d.basis}）。"
    assert reminders.sweep(db, local_noon(d.due)) == []  # the reminder is not repeated on the last day
    fired = reminders.sweep(db, local_noon(d.due + timedelta(days=1)))
    assert [(a.deadline_key, a.kind, a.recipients) for a in fired] == [
        (d.key, AlertKind.escalation, [director.user_id])
    ]
    assert reminders.sweep(db, local_noon(d.due + timedelta(days=5))) == []


def test_court_deadline_reminds_the_clerk_in_their_language(world):
    db = world.db
    clerk = db.get(User, world.clerk.user_id)
    clerk.locale = "en"
    db.flush()
    case_id = world.case_in("CONFIRM_APPLIED")
    d = deadline(db, case_id, "court_acceptance")
    fired = reminders.sweep(db, local_noon(d.due))
    assert ("court_acceptance", AlertKind.reminder, [clerk.id]) in [
        (a.deadline_key, a.kind, a.recipients) for a in fired
    ]
    [note] = [n for n in notes(db, clerk.id, "reminder") if "court" in n.title.lower() or "accept" in n.title.lower()]
    assert note.title == f"Reminder: {d.label_en} due {d.due.isoformat()}"
    assert notes(db, world.other_clerk.user_id, "reminder") == []


def test_lead_is_configurable(world, monkeypatch):
    from maritime_hub.config import get_settings

    db = world.db
    case_id = world.case_in("MEDIATING")
    d = deadline(db, case_id, "mediation_period")
    early = local_noon(d.due - timedelta(days=20))
    assert reminders.items_for(db.get(Case, case_id), early) == []
    monkeypatch.setenv("MH_REMINDER__LEAD_DAYS", "30")
    get_settings.cache_clear()
    try:
        items = reminders.items_for(db.get(Case, case_id), early)
    finally:
        monkeypatch.delenv("MH_REMINDER__LEAD_DAYS")
        get_settings.cache_clear()
    assert [(i.key, i.kind) for i in items] == [(d.key, AlertKind.reminder)]


def test_the_periodic_job_runs_through_the_worker(scratch_db):
    """A committed overdue case in a database of its own; the job runs in `mh worker --once`."""
    from maritime_hub.audit.service import SYSTEM
    from maritime_hub.auth.service import Principal
    from maritime_hub.jobs.app import open_app
    from maritime_hub.orgs.models import OrgKind
    from maritime_hub.orgs.schemas import OrganisationCreate
    from maritime_hub.orgs.service import create as create_org
    from mediation.cases.schemas import CaseCreate
    from mediation.cases.service import create_case

    engine = create_engine(scratch_db)
    with Session(engine) as s:
        org = create_org(
            s, SYSTEM, OrganisationCreate(name="工作进程测试调委会", kind=OrgKind.mediation_committee, code="舟工海调")
        )
        coordinator = User(
            username="worker_coordinator",
            display_name="协调员",
            organisation_id=org.id,
            roles=["coordinator"],
            locale="zh_CN",
            active=True,
        )
        s.add(coordinator)
        s.flush()
        principal = Principal(
            user_id=coordinator.id,
            username=coordinator.username,
            organisation_id=org.id,
            roles=frozenset({"coordinator"}),
        )
        case = create_case(
            s,
            principal,
            CaseCreate(
                dispute_type="wage_dispute",
                incident_at=datetime.now(UTC) - timedelta(days=2),
                description="拖欠工资",
                intake_channel="window",
                parties=[{"side": "applicant", "name": "张三"}, {"side": "respondent", "name": "李四"}],
            ),
        )
        s.commit()
        case_id, coordinator_id, created = case.id, coordinator.id, case.created_at
    engine.dispose()

    libpq = scratch_db.replace("postgresql+psycopg://", "postgresql://")
    jobs = open_app(libpq, sync=True)
    when = int((created + timedelta(hours=30)).timestamp())
    with jobs.open():
        job_id = jobs.configure_task(name="mh:mediation.case_reminders").defer(timestamp=when)
    done = run_mh("worker", "--once", url=scratch_db)
    assert done.returncode == 0, done.stderr
    with psycopg.connect(libpq) as conn:
        assert (
            conn.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (job_id,)).fetchone()[0] == "succeeded"
        )
        assert conn.execute(
            "SELECT deadline_key, kind, recipients FROM case_alert WHERE case_id = %s", (case_id,)
        ).fetchall() == [("acknowledgement", "escalation", [coordinator_id])]
        assert (
            conn.execute(
                "SELECT count(*) FROM notification WHERE user_id = %s AND kind = 'escalation'", (coordinator_id,)
            ).fetchone()[0]
            == 1
        )


def test_acknowledgement_hours_are_configurable(world, monkeypatch):
    from maritime_hub.config import get_settings

    db = world.db
    case = world.new_case()
    created = db.get(Case, case.id).created_at
    assert reminders.items_for(db.get(Case, case.id), created + timedelta(hours=3)) == []
    monkeypatch.setenv("MH_REMINDER__ACKNOWLEDGEMENT_HOURS", "2")
    get_settings.cache_clear()
    try:
        items = reminders.items_for(db.get(Case, case.id), created + timedelta(hours=3))
        shown = next(d for d in live_deadlines(db.get(Case, case.id)) if d.key == "acknowledgement")
    finally:
        monkeypatch.delenv("MH_REMINDER__ACKNOWLEDGEMENT_HOURS")
        get_settings.cache_clear()
    assert [(i.key, i.kind) for i in items] == [("acknowledgement", AlertKind.escalation)]
    assert shown.amount == 2 and shown.due_at == created + timedelta(hours=2)  # the case page shows the same SLA
