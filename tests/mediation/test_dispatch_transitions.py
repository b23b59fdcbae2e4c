"""One dispatch, two doors: ``POST /cases/{id}/transitions {"to": "DISPATCHING"}`` records the same
attempt and obeys the same conflict-of-interest rule as ``POST /cases/{id}/dispatch``; and the people
concerned are notified (the mediator on 派单, the coordinators on 拒单), in their own language."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from maritime_hub.audit.models import AuditEvent
from maritime_hub.audit.service import SYSTEM
from maritime_hub.auth.models import User
from maritime_hub.notify.models import Notification
from mediation.cases.repository import CaseRepository
from mediation.dispatch import schemas, service
from mediation.dispatch.models import DispatchAttempt
from tests.mediation.conftest import go


@pytest.fixture
def planned(world):
    """A PLANNED wage dispute; org_mediator works for the respondent company (a conflict)."""
    case_id = world.case_in("PLANNED")
    respondent_org = next(
        p.organisation_id for p in CaseRepository(world.db).load(case_id).parties if p.organisation_id
    )
    for name, org in (("assigned_mediator", None), ("org_mediator", respondent_org), ("outside_mediator", None)):
        service.create_profile(
            world.db,
            SYSTEM,
            schemas.ProfileCreate(
                user_id=world.users[name].user_id, kind="sea_elder", specialties=["wage_dispute"], organisation_id=org
            ),
        )
    return case_id


def attempts(db, case_id: int) -> list[tuple[int, str | None, int | None]]:
    rows = db.scalars(
        select(DispatchAttempt).where(DispatchAttempt.case_id == case_id).order_by(DispatchAttempt.id)
    ).all()
    return [(a.mediator_user_id, a.outcome.value if a.outcome else None, a.assigned_by_id) for a in rows]


def test_dispatch_through_transitions_records_the_attempt(client, world, planned):
    r = go(client, world, planned, "DISPATCHING", "coordinator", mediator_user_id=world.assigned_mediator.user_id)
    assert r.status_code == 200, r.text
    assert attempts(world.db, planned) == [(world.assigned_mediator.user_id, None, world.coordinator.user_id)]
    events = world.db.scalars(select(AuditEvent).where(AuditEvent.action == "dispatch.assign")).all()
    assert len(events) == 1
    # The attempt is the same one /dispatch shows, and accepting closes it.
    history = client.get(f"/api/v1/cases/{planned}/dispatch", headers=world.coordinator.headers).json()
    assert [(a["mediator_user_id"], a["outcome"]) for a in history] == [(world.assigned_mediator.user_id, None)]
    assert (
        client.post(f"/api/v1/cases/{planned}/dispatch/accept", headers=world.assigned_mediator.headers).status_code
        == 200
    )
    assert attempts(world.db, planned)[0][1] == "accepted"


def test_dispatch_through_transitions_refuses_a_conflicted_mediator(client, world, planned):
    r = go(client, world, planned, "DISPATCHING", "coordinator", mediator_user_id=world.org_mediator.user_id)
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "mediator_not_eligible"
    body = r.json()
    assert body["field"] == "mediator_user_id" and "conflict of interest" in body["message"]
    assert "candidates" in body["message"]  # what to do instead
    assert attempts(world.db, planned) == []
    assert client.get(f"/api/v1/cases/{planned}", headers=world.coordinator.headers).json()["state"] == "PLANNED"
    # The dedicated endpoint says the same.
    r = client.post(
        f"/api/v1/cases/{planned}/dispatch",
        json={"mediator_user_id": world.org_mediator.user_id},
        headers=world.coordinator.headers,
    )
    assert r.status_code == 409 and r.json()["field"] == "mediator_user_id"
    assert r.json()["code"] == "mediator_not_eligible"


def test_reassignment_through_transitions_closes_the_open_attempt(client, world, planned):
    go(client, world, planned, "DISPATCHING", "coordinator", mediator_user_id=world.assigned_mediator.user_id)
    r = go(client, world, planned, "DISPATCHING", "coordinator", mediator_user_id=world.outside_mediator.user_id)
    assert r.status_code == 200, r.text
    assert attempts(world.db, planned) == [
        (world.assigned_mediator.user_id, "reassigned", world.coordinator.user_id),
        (world.outside_mediator.user_id, None, world.coordinator.user_id),
    ]
    # The first mediator was asked already: going back to them is refused like on /dispatch.
    r = go(client, world, planned, "DISPATCHING", "coordinator", mediator_user_id=world.assigned_mediator.user_id)
    assert r.status_code == 409 and "already asked" in r.json()["message"]
    assert r.json()["code"] == "mediator_not_eligible"


def test_the_lifecycle_lists_the_dispatch_rule_on_both_paths(client, world):
    body = client.get("/api/v1/cases/lifecycle", headers=world.coordinator.headers).json()
    to_dispatching = [t for t in body["transitions"] if t["to"] == "DISPATCHING"]
    assert len(to_dispatching) == 2
    assert all("dispatch_allowed" in t["preconditions"] and "record_dispatch" in t["effects"] for t in to_dispatching)


def test_the_mediator_hears_of_the_dispatch_and_the_coordinators_of_the_decline(client, world, planned):
    db = world.db
    mediator = db.get(User, world.assigned_mediator.user_id)
    mediator.locale = "en"
    db.flush()
    number = CaseRepository(db).load(planned).number
    go(client, world, planned, "DISPATCHING", "coordinator", mediator_user_id=mediator.id)
    [note] = db.scalars(
        select(Notification).where(Notification.user_id == mediator.id, Notification.kind == "dispatch")
    ).all()
    assert note.title == f"New case for you: {number}" and "3 working days" in note.body
    assert note.link == f"/cases/{planned}"
    # The parties hear of the step in Chinese; the coordinator who acted is not told of their own act.
    party = db.scalars(
        select(Notification)
        .where(Notification.user_id == world.party.user_id, Notification.kind == "transition")
        .order_by(Notification.id)
    ).all()
    assert party[-1].title == f"案件{number}：评估分拨"
    assert db.scalars(select(Notification).where(Notification.user_id == world.coordinator.user_id)).all() == []

    r = client.post(
        f"/api/v1/cases/{planned}/dispatch/decline",
        json={"reason": "本人出海作业"},
        headers=world.assigned_mediator.headers,
    )
    assert r.status_code == 200, r.text
    [declined] = db.scalars(
        select(Notification).where(
            Notification.user_id == world.coordinator.user_id, Notification.kind == "dispatch_declined"
        )
    ).all()
    assert declined.title == f"调解员拒绝接单：{number}" and "本人出海作业" in declined.body
    assert db.scalars(select(Notification).where(Notification.user_id == world.other_coordinator.user_id)).all() == []


def test_the_coordinators_hear_of_a_timeout(world, planned):
    from datetime import UTC, datetime

    db = world.db
    service.assign(
        db,
        world.principal("coordinator"),
        planned,
        world.assigned_mediator.user_id,
        now=datetime(2026, 9, 30, 2, 0, tzinfo=UTC),
    )
    # ODR 12: due 10-10 (across 国庆); on 10-11 the case goes to the next candidate.
    assert [a.mediator_user_id for a in service.reassign_overdue(db, datetime(2026, 10, 11, 4, tzinfo=UTC))] == [
        world.assigned_mediator.user_id
    ]
    [note] = db.scalars(
        select(Notification).where(
            Notification.user_id == world.coordinator.user_id, Notification.kind == "dispatch_timed_out"
        )
    ).all()
    assert note.title.startswith("接单超时") and "已自动派给下一位候选调解员" in note.body
    nxt = CaseRepository(db).load(planned).assigned_mediator_id
    assert nxt == world.outside_mediator.user_id
    assert db.scalars(select(Notification).where(Notification.user_id == nxt, Notification.kind == "dispatch")).all()


def test_court_clerks_hear_of_the_confirmation_application(world):
    db = world.db
    case_id = world.case_in("CONFIRM_APPLIED")
    got = db.scalars(
        select(Notification).where(Notification.user_id == world.clerk.user_id, Notification.case_id == case_id)
    ).all()
    assert [n.kind for n in got] == ["transition"] and "申请司法确认" in got[0].title
    assert db.scalars(select(Notification).where(Notification.user_id == world.other_clerk.user_id)).all() == []
