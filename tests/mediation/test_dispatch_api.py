"""选单 → 派单 → 接单/拒单 through the API, with a real database: ranking and exclusions, who may do
what, the attempt record, ratings and mediator profiles."""

from __future__ import annotations

import pytest

from maritime_hub.audit.service import SYSTEM
from mediation.dispatch import schemas, service
from mediation.dispatch.models import DispatchAttempt


def profile(world, name: str, **kw):
    kw.setdefault("kind", "sea_elder")
    return service.create_profile(world.db, SYSTEM, schemas.ProfileCreate(user_id=world.users[name].user_id, **kw))


@pytest.fixture
def ranked(world):
    """A PLANNED wage dispute and three profiled mediators: a specialist, a generalist, and one who
    works for the respondent company."""
    case_id = world.case_in("PLANNED")
    from mediation.cases.repository import CaseRepository

    respondent_org = next(
        p.organisation_id for p in CaseRepository(world.db).load(case_id).parties if p.organisation_id
    )
    profile(world, "assigned_mediator", specialties=["wage_dispute"], home_ports=["沈家门"])
    profile(world, "org_mediator", kind="invited")
    profile(world, "outside_mediator", kind="gold_medal", specialties=["wage_dispute"], organisation_id=respondent_org)
    return case_id


def url(case_id: int, tail: str = "") -> str:
    return f"/api/v1/cases/{case_id}/{tail}"


def test_candidates_are_ranked_with_reasons_and_conflicts_excluded(client, world, ranked):
    r = client.get(url(ranked, "candidates"), headers=world.coordinator.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    ids = [c["user_id"] for c in body]
    assert ids == [world.assigned_mediator.user_id, world.org_mediator.user_id, world.outside_mediator.user_id]
    first, _, conflicted = body
    assert first["rank"] == 1 and first["score"] > body[1]["score"]
    assert any(x["component"] == "specialty" and x["points"] > 0 and x["zh"] and x["en"] for x in first["reasons"])
    assert conflicted["excluded"] and conflicted["rank"] is None
    assert "同属一家单位" in conflicted["exclusions"][0]["zh"]


@pytest.mark.parametrize("who", ["party", "assigned_mediator", "judge", "auditor"])
def test_parties_and_mediators_cannot_see_candidates(client, world, ranked, who):
    assert client.get(url(ranked, "candidates"), headers=world.users[who].headers).status_code == 403


def test_coordinator_of_another_organisation_cannot_see_candidates(client, world, ranked):
    assert client.get(url(ranked, "candidates"), headers=world.other_coordinator.headers).status_code == 403


def test_dispatch_accept_only_by_the_assigned_mediator(client, world, ranked):
    mediator = world.assigned_mediator
    r = client.post(
        url(ranked, "dispatch"), json={"mediator_user_id": mediator.user_id}, headers=world.org_mediator.headers
    )
    assert r.status_code == 403  # mediators cannot assign
    r = client.post(
        url(ranked, "dispatch"), json={"mediator_user_id": mediator.user_id}, headers=world.coordinator.headers
    )
    assert r.status_code == 201, r.text
    assert r.json()["outcome"] is None and r.json()["mediator_user_id"] == mediator.user_id
    assert client.post(url(ranked, "dispatch/accept"), headers=world.org_mediator.headers).status_code == 403
    assert client.post(url(ranked, "dispatch/accept"), headers=world.coordinator.headers).status_code == 403
    r = client.post(url(ranked, "dispatch/accept"), headers=mediator.headers)
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "accepted" and r.json()["answered_at"]
    assert client.get(f"/api/v1/cases/{ranked}", headers=world.coordinator.headers).json()["state"] == "ACCEPTED"
    assert client.post(url(ranked, "dispatch/accept"), headers=mediator.headers).status_code == 409


def test_dispatch_to_a_conflicted_mediator_is_refused(client, world, ranked):
    r = client.post(
        url(ranked, "dispatch"),
        json={"mediator_user_id": world.outside_mediator.user_id},
        headers=world.coordinator.headers,
    )
    assert r.status_code == 409 and r.json()["field"] == "mediator_user_id"
    assert "conflict of interest" in r.json()["message"]


def test_decline_needs_a_reason_and_proposes_the_next_candidate(client, world, ranked):
    mediator = world.assigned_mediator
    client.post(url(ranked, "dispatch"), json={"mediator_user_id": mediator.user_id}, headers=world.coordinator.headers)
    for body in ({}, {"reason": "   "}):
        r = client.post(url(ranked, "dispatch/decline"), json=body, headers=mediator.headers)
        assert r.status_code == 422 and r.json()["field"] == "reason", r.text
    r = client.post(
        url(ranked, "dispatch/decline"), json={"reason": "本人出海作业"}, headers=world.org_mediator.headers
    )
    assert r.status_code == 403
    r = client.post(url(ranked, "dispatch/decline"), json={"reason": "本人出海作业"}, headers=mediator.headers)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["attempt"]["outcome"] == "declined" and out["attempt"]["reason"] == "本人出海作业"
    assert out["proposed"]["user_id"] == world.org_mediator.user_id
    # The decliner can no longer accept; the coordinator dispatches again.
    assert client.post(url(ranked, "dispatch/accept"), headers=mediator.headers).status_code == 403
    r = client.post(
        url(ranked, "dispatch"),
        json={"mediator_user_id": world.org_mediator.user_id},
        headers=world.coordinator.headers,
    )
    assert r.status_code == 201, r.text
    history = client.get(url(ranked, "dispatch"), headers=world.coordinator.headers).json()
    assert [(a["mediator_user_id"], a["outcome"]) for a in history] == [
        (mediator.user_id, "declined"),
        (world.org_mediator.user_id, None),
    ]
    cands = client.get(url(ranked, "candidates"), headers=world.coordinator.headers).json()
    assert next(c for c in cands if c["user_id"] == mediator.user_id)["exclusions"][0]["component"] == "previous"


def test_decline_outside_dispatching_is_409(client, world, ranked):
    r = client.post(url(ranked, "dispatch/decline"), json={"reason": "x"}, headers=world.assigned_mediator.headers)
    assert r.status_code == 409


def test_generic_transition_dispatch_is_picked_up(client, world, ranked):
    """A dispatch made through POST /transitions gets its attempt when the mediator answers."""
    world.advance(ranked, "DISPATCHING")
    r = client.post(url(ranked, "dispatch/accept"), headers=world.assigned_mediator.headers)
    assert r.status_code == 200 and r.json()["outcome"] == "accepted"
    assert world.db.query(DispatchAttempt).filter_by(case_id=ranked).count() == 1


def test_profiles_list_with_load_and_rating(client, world, ranked):
    world.advance(ranked, "DISPATCHING", "ACCEPTED")
    r = client.post(url(ranked, "rating"), json={"score": 4, "comment": "耐心"}, headers=world.party.headers)
    assert r.status_code == 201, r.text
    assert client.post(url(ranked, "rating"), json={"score": 5}, headers=world.party.headers).status_code == 409
    assert (
        client.post(url(ranked, "rating"), json={"score": 6}, headers=world.respondent_party.headers).status_code == 422
    )
    assert (
        client.post(url(ranked, "rating"), json={"score": 5}, headers=world.stranger_party.headers).status_code == 403
    )
    rows = {m["user_id"]: m for m in client.get("/api/v1/mediators", headers=world.org_mediator.headers).json()}
    me = rows[world.assigned_mediator.user_id]
    assert me["load"] == 1 and me["rating"] == 4.0 and me["ratings"] == 1 and me["specialties"] == ["wage_dispute"]
    assert client.get("/api/v1/mediators", headers=world.party.headers).status_code == 403


def test_profile_create_update_and_conflicts(client, world):
    uid = world.org_mediator.user_id
    body = {"user_id": uid, "kind": "gold_medal", "languages": ["ZH", "id"], "specialties": ["collision"]}
    assert client.post("/api/v1/mediators", json=body, headers=world.org_mediator.headers).status_code == 403
    r = client.post("/api/v1/mediators", json=body, headers=world.coordinator.headers)
    assert r.status_code == 201, r.text
    assert r.json()["languages"] == ["id", "zh"]
    assert client.post("/api/v1/mediators", json=body, headers=world.coordinator.headers).status_code == 409
    r = client.post(
        "/api/v1/mediators", json=body | {"user_id": world.coordinator.user_id}, headers=world.admin.headers
    )
    assert r.status_code == 422 and r.json()["field"] == "user_id"
    r = client.patch(f"/api/v1/mediators/{uid}", json={"available": False, "max_load": 3}, headers=world.admin.headers)
    assert r.status_code == 200 and r.json()["available"] is False and r.json()["max_load"] == 3
    r = client.post(f"/api/v1/mediators/{uid}/conflicts", json={"relation": "亲属"}, headers=world.coordinator.headers)
    assert r.status_code == 422
    person = world.make_person()
    r = client.post(
        f"/api/v1/mediators/{uid}/conflicts",
        json={"person_id": person.id, "relation": "亲属"},
        headers=world.coordinator.headers,
    )
    assert r.status_code == 201, r.text
    assert len(client.get(f"/api/v1/mediators/{uid}/conflicts", headers=world.coordinator.headers).json()) == 1


def test_coordinators_keep_only_their_own_organisations_mediators(client, world):
    """A coordinator creates and changes the profiles and conflicts of interest of their own
    organisation's mediators only (403 not_own_mediator otherwise); an administrator, everyone's."""
    ours, theirs = world.org_mediator.user_id, world.outside_mediator.user_id
    other = world.other_coordinator.headers
    r = client.post("/api/v1/mediators", json={"user_id": ours, "kind": "sea_elder"}, headers=other)
    assert r.status_code == 403 and r.json()["code"] == "not_own_mediator", r.text
    assert "coordinator" in r.json()["message"]
    assert (
        client.post(
            "/api/v1/mediators", json={"user_id": ours, "kind": "sea_elder"}, headers=world.coordinator.headers
        ).status_code
        == 201
    )
    r = client.patch(f"/api/v1/mediators/{ours}", json={"available": False}, headers=other)
    assert r.status_code == 403 and r.json()["code"] == "not_own_mediator"
    person = world.make_person()
    r = client.post(
        f"/api/v1/mediators/{ours}/conflicts", json={"person_id": person.id, "relation": "亲属"}, headers=other
    )
    assert r.status_code == 403 and r.json()["code"] == "not_own_mediator"
    profile = client.get(f"/api/v1/mediators/{ours}", headers=other).json()  # the roster stays readable
    assert profile["available"] is True
    assert client.get(f"/api/v1/mediators/{ours}/conflicts", headers=world.coordinator.headers).json() == []
    r = client.get(f"/api/v1/mediators/{ours}/conflicts", headers=other)  # whom they are related to: not theirs to read
    assert r.status_code == 403 and r.json()["code"] == "not_own_mediator"
    # Their own organisation's mediator, and an administrator for anyone.
    assert (
        client.post("/api/v1/mediators", json={"user_id": theirs, "kind": "invited"}, headers=other).status_code == 201
    )
    assert client.patch(f"/api/v1/mediators/{theirs}", json={"max_load": 2}, headers=other).status_code == 200
    r = client.patch(f"/api/v1/mediators/{theirs}", json={"max_load": 3}, headers=world.coordinator.headers)
    assert r.status_code == 403
    r = client.patch(f"/api/v1/mediators/{ours}", json={"max_load": 4}, headers=world.admin.headers)
    assert r.status_code == 200 and r.json()["max_load"] == 4
    r = client.post(
        f"/api/v1/mediators/{theirs}/conflicts",
        json={"person_id": person.id, "relation": "亲属"},
        headers=world.admin.headers,
    )
    assert r.status_code == 201
