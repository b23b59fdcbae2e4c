"""A party's home page lists their own cases and what is waiting for them (choose a mediator while
the parties may, rate the mediator once mediation is over); the intake form starts with their name."""

from __future__ import annotations

import re

from tests.mediation import conftest as case_world

world = case_world.world  # the dispute-case test world (fixture)


def todo(html: str) -> set[tuple[str, str]]:
    return set(re.findall(r'data-todo="(\w+)" data-case="(\d+)"', html))


def test_party_home_lists_own_cases_and_what_waits(client, world):
    from mediation.cases.repository import CaseRepository
    from mediation.dispatch import schemas, service

    fresh = world.case_in("REGISTERED")
    agreed = world.case_in("AGREED")
    other = world.new_case(
        parties=[
            {"side": "applicant", "person_id": world.make_person().id, "user_id": world.stranger_party.user_id},
            {"side": "respondent", "organisation_id": world.make_org().id},
        ]
    )
    numbers = {c: CaseRepository(world.db).load(c).number for c in (fresh, agreed, other.id)}

    r = client.get("/", headers=world.party.headers)
    assert r.status_code == 200
    assert numbers[fresh] in r.text and numbers[agreed] in r.text
    assert numbers[other.id] not in r.text  # someone else's case
    assert todo(r.text) == {("choose_mediator", str(fresh)), ("rate_mediator", str(agreed))}
    assert "选择调解员" in r.text and "为调解员评分" in r.text

    service.rate(world.db, world.principal("party"), agreed, schemas.RatingCreate(score=5))
    r = client.get("/", headers=world.party.headers)
    assert todo(r.text) == {("choose_mediator", str(fresh))}  # rated: no longer waiting

    # Staff see no party section.
    assert 'id="party-todo"' not in client.get("/", headers=world.coordinator.headers).text


def test_intake_form_prefills_the_party_name(client, world):
    from maritime_hub.auth.models import User

    name = world.db.get(User, world.party.user_id).display_name
    r = client.get("/cases/new", headers=world.party.headers)
    assert r.status_code == 200
    assert re.search(rf'name="applicant_name"[^>]*value="{name}"', r.text)
    r = client.get("/cases/new", headers=world.coordinator.headers)
    assert not re.search(r'name="applicant_name"[^>]*value="[^"]', r.text)  # staff file for others
