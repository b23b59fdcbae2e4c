"""Every transition, tried by everyone in the world: exactly the expected people may take it.

The expected sets are written out here on purpose, independently of states.py, so that widening
who may act in code fails this test until the table below (and docs/security.md) agree.
Everyone else gets 403 and the case does not move; each expected actor then takes the step on a
fresh case of their own.
"""

from __future__ import annotations

import pytest

from mediation.cases import states
from tests.mediation.conftest import ROSTER, go

STAFF = {"coordinator", "assigned_mediator"}  # of the case's organisation / dispatched to it
MEDIATORS = {"assigned_mediator", "panel_chief"}
COURT = {"clerk", "judge"}  # of the court applied to
PARTIES = {"party", "respondent_party"}  # both sides' linked accounts
BEFORE_MEDIATION = ("REGISTERED", "TRIAGED", "PLANNED", "DISPATCHING")

EXPECTED: dict[tuple[str, str], set[str]] = {
    ("REGISTERED", "TRIAGED"): {"coordinator"},
    **{(s, "REFUSED"): {"coordinator", *PARTIES} for s in BEFORE_MEDIATION},
    ("TRIAGED", "PLANNED"): {"coordinator", "assigned_mediator", "org_mediator"},
    ("PLANNED", "DISPATCHING"): {"coordinator"},
    ("DISPATCHING", "DISPATCHING"): {"coordinator"},
    ("DISPATCHING", "ACCEPTED"): {"assigned_mediator"},
    ("ACCEPTED", "INVESTIGATING"): MEDIATORS,
    ("ACCEPTED", "MEDIATING"): MEDIATORS,  # 实地调查 skipped (remote mediation): the same people
    ("INVESTIGATING", "MEDIATING"): MEDIATORS,
    ("MEDIATING", "AGREED"): MEDIATORS,
    ("MEDIATING", "TERMINATED"): MEDIATORS,
    ("AGREED", "CONFIRM_APPLIED"): {*PARTIES, *STAFF},
    ("AGREED", "FOLLOW_UP"): {"assigned_mediator"},
    ("AGREED", "MEDIATING"): STAFF,
    ("AGREED", "REFERRED_LITIGATION"): STAFF,
    ("CONFIRM_APPLIED", "UNDER_REVIEW"): COURT,
    ("CONFIRM_APPLIED", "NOT_ACCEPTED"): COURT,
    ("NOT_ACCEPTED", "CONFIRM_APPLIED"): {*PARTIES, *STAFF},
    ("NOT_ACCEPTED", "MEDIATING"): STAFF,
    ("NOT_ACCEPTED", "REFERRED_LITIGATION"): STAFF,
    ("UNDER_REVIEW", "CONFIRMED"): {"judge"},
    ("UNDER_REVIEW", "REJECTED"): {"judge"},
    ("UNDER_REVIEW", "WITHDRAWN"): {*PARTIES, *COURT},
    ("CONFIRMED", "FOLLOW_UP"): {"assigned_mediator"},
    ("CONFIRMED", "ENFORCEMENT"): {*PARTIES, *STAFF},
    ("REJECTED", "MEDIATING"): STAFF,
    ("REJECTED", "REFERRED_LITIGATION"): STAFF,
    ("WITHDRAWN", "FOLLOW_UP"): {"assigned_mediator"},
    ("WITHDRAWN", "CLOSED"): {"coordinator"},
    ("FOLLOW_UP", "CLOSED"): {"coordinator"},
    ("FOLLOW_UP", "ENFORCEMENT"): {*PARTIES, *STAFF},
    ("FOLLOW_UP", "REFERRED_LITIGATION"): STAFF,
    ("ENFORCEMENT", "CLOSED"): {"coordinator"},
    ("TERMINATED", "REFERRED_LITIGATION"): STAFF,
    ("TERMINATED", "REFERRED_ARBITRATION"): STAFF,
    ("TERMINATED", "CLOSED"): {"coordinator"},
    ("REFERRED_LITIGATION", "CLOSED"): {"coordinator"},
    ("REFERRED_ARBITRATION", "CLOSED"): {"coordinator"},
    ("REFUSED", "CLOSED"): {"coordinator"},
}


def test_the_table_covers_every_declared_transition():
    assert set(EXPECTED) == {(t.source.value, t.target.value) for t in states.TRANSITIONS}


def _basis(edge: tuple[str, str]) -> str:
    return "other_labour" if "REFERRED_ARBITRATION" in edge else "on_board_service"


def _payload(world, case_id: int, edge: tuple[str, str], actor: str) -> dict:
    _, payload = world.step(case_id, edge[1], actor, basis=_basis(edge))
    if edge == ("DISPATCHING", "DISPATCHING"):
        payload["mediator_user_id"] = world.org_mediator.user_id  # a reassignment names someone new
    return payload


@pytest.mark.parametrize("edge", sorted(EXPECTED), ids=lambda e: f"{e[0]}->{e[1]}")
def test_each_transition_allowed_and_refused_per_role(client, world, edge):
    source, target = edge
    allowed = EXPECTED[edge]
    case_id = world.case_in(source, basis=_basis(edge))
    for actor in sorted(set(ROSTER) - allowed):
        r = go(client, world, case_id, target, actor, **_payload(world, case_id, edge, actor))
        assert r.status_code == 403, f"{actor} {source}->{target}: {r.status_code} {r.text}"
    body = client.get(f"/api/v1/cases/{case_id}", headers=world.admin.headers).json()
    assert body["state"] == source and len(body["timeline"]) == len(world_path(source)) + 1
    for actor in sorted(allowed):
        fresh = case_id if actor == min(allowed) else world.case_in(source, basis=_basis(edge))
        offered = client.get(f"/api/v1/cases/{fresh}", headers=world.users[actor].headers).json()["allowed_transitions"]
        assert target in {s["to"] for s in offered}, f"{actor} is not offered {source}->{target}"
        r = go(client, world, fresh, target, actor, **_payload(world, fresh, edge, actor))
        assert r.status_code == 200, f"{actor} {source}->{target}: {r.text}"
        assert r.json()["state"] == target


def world_path(state: str) -> list[str]:
    from tests.mediation.conftest import PATH_TO

    return PATH_TO[state]
