"""The lifecycle table itself, and a walk over the whole transition graph through the HTTP API:
every path from REGISTERED to an end, every declared transition taken at least once, each one
leaving a timeline row and an audit event."""

from __future__ import annotations

from collections import deque

import pytest
from sqlalchemy import func, select

from maritime_hub.audit.models import AuditEvent
from mediation.cases import states
from mediation.cases.enums import DisputeType
from mediation.cases.states import DISPUTE_TYPE_LABELS_ZH, STATE_LABELS_ZH, State
from tests.mediation.conftest import go

EDGES = {(t.source.value, t.target.value) for t in states.TRANSITIONS}

_M = ["TRIAGED", "PLANNED", "DISPATCHING", "ACCEPTED", "INVESTIGATING", "MEDIATING"]
_A = [*_M, "AGREED", "CONFIRM_APPLIED"]


def _paths(w):
    """Every terminal path; a step is a target, or (target, actor, payload overrides)."""
    reassign = ("DISPATCHING", "coordinator", {"mediator_user_id": w.org_mediator.user_id})
    elsewhere = ("CONFIRM_APPLIED", "coordinator", {"court_id": w.other_court.id})
    return [
        ("on_board_service", ["REFUSED", "CLOSED"]),
        ("on_board_service", ["TRIAGED", "REFUSED", "CLOSED"]),
        ("on_board_service", ["TRIAGED", "PLANNED", "REFUSED", "CLOSED"]),
        ("on_board_service", ["TRIAGED", "PLANNED", "DISPATCHING", "REFUSED", "CLOSED"]),
        (
            "on_board_service",
            [
                "TRIAGED",
                "PLANNED",
                "DISPATCHING",
                reassign,
                "DISPATCHING",
                "ACCEPTED",
                "INVESTIGATING",
                "MEDIATING",
                "AGREED",
                "CONFIRM_APPLIED",
                "UNDER_REVIEW",
                "CONFIRMED",
                "FOLLOW_UP",
                "ENFORCEMENT",
                "CLOSED",
            ],
        ),
        ("on_board_service", [*_A, "UNDER_REVIEW", "CONFIRMED", "ENFORCEMENT", "CLOSED"]),
        ("on_board_service", [*_M, "AGREED", "FOLLOW_UP", "REFERRED_LITIGATION", "CLOSED"]),
        ("on_board_service", [*_M, "AGREED", "MEDIATING", "AGREED", "REFERRED_LITIGATION", "CLOSED"]),
        (
            "on_board_service",
            [
                *_A,
                "NOT_ACCEPTED",
                elsewhere,
                ("UNDER_REVIEW", "other_clerk", {}),
                ("REJECTED", "other_judge", {}),
                "MEDIATING",
                "AGREED",
                "FOLLOW_UP",
                "CLOSED",
            ],
        ),
        ("on_board_service", [*_A, "NOT_ACCEPTED", "MEDIATING", "TERMINATED", "CLOSED"]),
        ("on_board_service", [*_A, "NOT_ACCEPTED", "REFERRED_LITIGATION", "CLOSED"]),
        ("on_board_service", [*_A, "UNDER_REVIEW", "REJECTED", "REFERRED_LITIGATION", "CLOSED"]),
        ("on_board_service", [*_A, "UNDER_REVIEW", "WITHDRAWN", "FOLLOW_UP", "CLOSED"]),
        ("on_board_service", [*_A, "UNDER_REVIEW", "WITHDRAWN", "CLOSED"]),
        ("on_board_service", [*_M, "TERMINATED", "REFERRED_LITIGATION", "CLOSED"]),
        # A remote mediation: no field investigation (ACCEPTED → MEDIATING with the reason).
        ("on_board_service", [*_M[:4], "MEDIATING", "TERMINATED", "CLOSED"]),
        ("other_labour", [*_M, "TERMINATED", "REFERRED_ARBITRATION", "CLOSED"]),
    ]


def test_every_state_has_a_label_and_the_graph_is_sound():
    assert set(STATE_LABELS_ZH) == set(State)
    assert set(DISPUTE_TYPE_LABELS_ZH) == {d.value for d in DisputeType}
    sources = {t.source for t in states.TRANSITIONS}
    assert sources == set(State) - states.TERMINAL, "every state but CLOSED has a way out"
    seen, todo = {State.REGISTERED}, deque([State.REGISTERED])
    while todo:
        for t in states.from_state(todo.popleft()):
            if t.target not in seen:
                seen.add(t.target)
                todo.append(t.target)
    assert seen == set(State), "every state is reachable from REGISTERED"
    assert len(EDGES) == len(states.TRANSITIONS), "no transition is declared twice"
    assert all(t.who and t.basis for t in states.TRANSITIONS), "every step says who and on what basis"


def test_walk_the_whole_graph(client, world, db):
    taken: set[tuple[str, str]] = set()
    for basis, path in _paths(world):
        case = world.new_case()
        state = "REGISTERED"
        for step in path:
            target, actor, extra = (step, None, {}) if isinstance(step, str) else step
            who, payload = world.step(case.id, target, actor, basis=basis)
            r = go(client, world, case.id, target, who, **(payload | extra))
            assert r.status_code == 200, f"{state} -> {target} as {who}: {r.text}"
            assert r.json()["state"] == target
            taken.add((state, target))
            state = target
        body = client.get(f"/api/v1/cases/{case.id}", headers=world.admin.headers).json()
        assert body["state"] == "CLOSED" and body["closed_at"] and body["allowed_transitions"] == []
        assert [e["to_state"] for e in body["timeline"]] == [
            "REGISTERED",
            *[s if isinstance(s, str) else s[0] for s in path],
        ]
        assert set(body["time_in_state"]) >= {"REGISTERED", "CLOSED"}
        events = db.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.object_type == "mediation_case",
                AuditEvent.object_id == str(case.id),
                AuditEvent.action == "case.transition",
            )
        )
        assert events == len(path)
    assert taken == EDGES, f"never taken: {sorted(EDGES - taken)}"


def test_lifecycle_endpoint_describes_every_transition(client, world):
    r = client.get("/api/v1/cases/lifecycle", headers=world.stranger_party.headers)
    assert r.status_code == 200
    body = r.json()
    assert body["states"]["UNDER_REVIEW"] == "法院受理审查"
    assert body["labels"]["dispute_type"]["gear_damage"] == "网具损害"
    confirm = next(t for t in body["transitions"] if t["from"] == "AGREED" and t["to"] == "CONFIRM_APPLIED")
    assert "within_confirmation_window" in confirm["preconditions"] and "CPL 205" in confirm["basis"]
    assert {f["name"] for f in confirm["payload"] if f["required"]} == {"applicant_party_ids"}
    assert len(body["transitions"]) == len(states.TRANSITIONS)


def test_case_page_lists_the_callers_next_steps(client, world):
    cid = world.case_in("AGREED")
    steps = {
        s["to"]: s
        for s in client.get(f"/api/v1/cases/{cid}", headers=world.assigned_mediator.headers).json()[
            "allowed_transitions"
        ]
    }
    assert set(steps) == {"CONFIRM_APPLIED", "FOLLOW_UP", "MEDIATING", "REFERRED_LITIGATION"}
    assert steps["CONFIRM_APPLIED"]["blockers"] == [] and steps["CONFIRM_APPLIED"]["as"] == ["assigned_mediator"]
    party = {
        s["to"] for s in client.get(f"/api/v1/cases/{cid}", headers=world.party.headers).json()["allowed_transitions"]
    }
    assert party == {"CONFIRM_APPLIED"}
    assert client.get(f"/api/v1/cases/{cid}", headers=world.auditor.headers).json()["allowed_transitions"] == []


@pytest.mark.parametrize(
    ("state", "to"), [("REGISTERED", "AGREED"), ("MEDIATING", "CONFIRMED"), ("CLOSED", "REGISTERED")]
)
def test_illegal_transition_is_409_saying_what_is_possible(client, world, state, to):
    cid = world.case_in(state)
    r = go(client, world, cid, to, "coordinator")
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "illegal_transition"
    body = r.json()
    assert state in body["message"] and to in body["message"] and body["field"] == "to"
    allowed = [t.target.value for t in states.from_state(State(state))]
    assert body["details"]["allowed"] == allowed
    if state == "CLOSED":
        assert "closed and archived" in body["message"]
    else:
        assert allowed[0] in body["message"]


def test_unknown_state_or_payload_field_is_422(client, world):
    cid = world.case_in("REGISTERED")
    r = go(client, world, cid, "HALF_DONE", "coordinator")
    assert r.status_code == 422 and r.json()["field"] == "to"
    r = go(client, world, cid, "TRIAGED", "coordinator", grade="huge")
    assert r.status_code == 422 and r.json()["field"] == "grade"
    r = go(
        client, world, cid, "TRIAGED", "coordinator", grade="general", crew_claim_basis="on_board_service", colour="red"
    )
    assert r.status_code == 422 and r.json()["field"] == "colour"
    r = go(client, world, cid, "TRIAGED", "coordinator", grade="general")
    assert r.status_code == 422 and r.json()["field"] == "crew_claim_basis" and "Crew-Prov 1" in r.json()["message"]
    assert client.get(f"/api/v1/cases/{cid}", headers=world.coordinator.headers).json()["state"] == "REGISTERED"


def test_the_timeline_is_append_only(world, db):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    cid = world.case_in("TRIAGED")
    with pytest.raises(DBAPIError, match="immutable"), db.begin_nested():
        db.execute(text("UPDATE case_timeline SET to_state = 'CLOSED' WHERE case_id = :id"), {"id": cid})
    with pytest.raises(DBAPIError, match="immutable"), db.begin_nested():
        db.execute(text("DELETE FROM case_timeline WHERE case_id = :id"), {"id": cid})
