"""派单 by the parties (ODR Rules 12): each party chooses a mediator from the roster before dispatch;
the same choice by every party dispatches the case; conflicts, closed windows and outsiders are refused."""

from __future__ import annotations

import pytest

from mediation.dispatch.models import DispatchAttempt
from tests.mediation.test_dispatch_api import profile, ranked, url  # noqa: F401 - fixture reuse

CHOICES = "mediator-choices"


def choose(client, who, case_id, mediator_id):
    return client.post(url(case_id, CHOICES), json={"mediator_user_id": mediator_id}, headers=who.headers)


def test_a_party_sees_the_roster_without_scores_and_without_conflicted_mediators(client, world, ranked):  # noqa: F811
    r = client.get(url(ranked, CHOICES), headers=world.party.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    ids = [c["user_id"] for c in body["candidates"]]
    assert ids == [world.assigned_mediator.user_id, world.org_mediator.user_id]  # the respondent's employee is left out
    assert "score" not in body["candidates"][0] and body["open"] is True and body["choices"] == []


def test_the_same_choice_by_both_sides_dispatches_the_case(client, world, ranked):  # noqa: F811
    mediator = world.org_mediator
    r = choose(client, world.party, ranked, mediator.user_id)
    assert r.status_code == 200, r.text
    assert r.json()["agreed_mediator_user_id"] is None and not r.json()["dispatched"]
    assert client.get(f"/api/v1/cases/{ranked}", headers=world.coordinator.headers).json()["state"] == "PLANNED"

    r = choose(client, world.respondent_party, ranked, mediator.user_id)
    assert r.status_code == 200, r.text
    assert r.json()["agreed_mediator_user_id"] == mediator.user_id and r.json()["dispatched"] is True
    case = client.get(f"/api/v1/cases/{ranked}", headers=world.coordinator.headers).json()
    assert case["state"] == "DISPATCHING"
    attempts = world.db.query(DispatchAttempt).filter_by(case_id=ranked).all()
    assert [(a.mediator_user_id, a.outcome) for a in attempts] == [(mediator.user_id, None)]
    # The mediator answers as with any 派单.
    assert client.post(url(ranked, "dispatch/accept"), headers=mediator.headers).status_code == 200
    # Once dispatched the parties can no longer choose: 409 telling them to ask the coordinator.
    r = choose(client, world.party, ranked, world.assigned_mediator.user_id)
    assert r.status_code == 409 and "coordinator" in r.json()["message"]
    assert r.json()["code"] == "choice_closed"


def test_different_choices_leave_the_decision_to_the_coordinator(client, world, ranked):  # noqa: F811
    assert choose(client, world.party, ranked, world.org_mediator.user_id).status_code == 200
    r = choose(client, world.respondent_party, ranked, world.assigned_mediator.user_id)
    assert r.status_code == 200 and r.json()["agreed_mediator_user_id"] is None
    r = client.get(url(ranked, CHOICES), headers=world.coordinator.headers)
    assert r.status_code == 200
    assert {(c["side"], c["mediator_user_id"]) for c in r.json()["choices"]} == {
        ("applicant", world.org_mediator.user_id),
        ("respondent", world.assigned_mediator.user_id),
    }
    # A party may change its mind; the last choice stands, one row per party.
    r = choose(client, world.party, ranked, world.assigned_mediator.user_id)
    assert r.json()["dispatched"] is True and len(r.json()["choices"]) == 2


def test_a_conflicted_or_unknown_mediator_is_refused(client, world, ranked):  # noqa: F811
    r = choose(client, world.party, ranked, world.outside_mediator.user_id)
    assert r.status_code == 409 and r.json()["field"] == "mediator_user_id"
    assert r.json()["code"] == "mediator_not_eligible"
    r = choose(client, world.party, ranked, world.clerk.user_id)
    assert r.status_code == 422 and r.json()["field"] == "mediator_user_id"


@pytest.mark.parametrize("who", ["stranger_party", "coordinator", "assigned_mediator", "judge", "auditor"])
def test_only_the_case_parties_choose(client, world, ranked, who):  # noqa: F811
    r = choose(client, world.users[who], ranked, world.org_mediator.user_id)
    assert r.status_code in (403, 404), r.text


@pytest.mark.parametrize(
    "who,status", [("stranger_party", 403), ("assigned_mediator", 403), ("judge", 403), ("other_coordinator", 403)]
)
def test_who_may_read_the_choices(client, world, ranked, who, status):  # noqa: F811
    assert client.get(url(ranked, CHOICES), headers=world.users[who].headers).status_code == status
