"""The case file on the case page (web/cases_file.py): a collision case gets its second vessel
and then a CPA freeze between the two; crew are added several at once from the registry with
their boardings on the case's vessels; parties are added and removed; refusals keep what was typed
and name the field; people who may not change the case see no form and are refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from maritime_hub.audit.models import AuditEvent
from tests.mediation import conftest as case_world
from tests.web.test_cases_pages import page, post

world = case_world.world  # the dispute-case test world (fixture)


def _actions(world, action: str) -> int:
    return len(list(world.db.scalars(select(AuditEvent).where(AuditEvent.action == action))))


def test_a_collision_case_gets_its_second_vessel_then_a_cpa_freeze(client, world):
    from tests.vessels.ais_factory import insert_positions, straight
    from vessels.ais.models import AisEvidence

    t0 = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
    a = world.make_vessel(name_zh="浙岱渔03321", mmsi="412300321")
    b = world.make_vessel(name_zh="浙岱渔03322", mmsi="412300322")
    insert_positions(world.db, 412300321, straight(t0, 122.30, 30.20, 8, 0, 120))
    insert_positions(world.db, 412300322, straight(t0, 122.50, 30.20, -8, 0, 120))
    case = world.new_case(
        dispute_type="collision",
        description="两船相撞",
        incident_at=t0 + timedelta(hours=1),
        vessels=[{"vessel_id": a.id}],
    )
    world.advance(case.id, "TRIAGED", "PLANNED", "DISPATCHING", "ACCEPTED")
    html = page(client, world, "assigned_mediator", f"/cases/{case.id}").text
    assert 'id="add-vessels"' in html and f'<option value="{b.id}"' in html

    r = post(
        client, world, "assigned_mediator", f"/cases/{case.id}/vessels", {"vessel_ids": [str(b.id)], "role": "肇事船"}
    )
    assert r.status_code == 303, r.text
    html = page(client, world, "assigned_mediator", f"/cases/{case.id}").text
    assert "浙岱渔03322" in html and "肇事船" in html and "MMSI 412300322" in html
    assert _actions(world, "case.vessel.add") == 1

    form = {
        "kind": "cpa",
        "vessel_id": str(a.id),
        "other_vessel_id": str(b.id),
        "start": "2026-11-02T07:30",
        "end": "2026-11-02T10:30",
        "description": "两船最近会遇",
    }
    r = post(client, world, "assigned_mediator", f"/cases/{case.id}/evidence/ais/new", form)
    assert r.status_code == 303, r.text
    frozen = world.db.scalars(select(AisEvidence).where(AisEvidence.kind == "cpa")).one()
    assert sorted(frozen.params["mmsis"]) == [412300321, 412300322]
    assert "两船最近会遇" in page(client, world, "assigned_mediator", f"/cases/{case.id}").text

    # Taken off again: the vessel leaves the file and the freeze form.
    r = post(client, world, "assigned_mediator", f"/cases/{case.id}/vessels/{b.id}/remove", {})
    assert r.status_code == 303 and _actions(world, "case.vessel.remove") == 1
    html = page(client, world, "assigned_mediator", f"/cases/{case.id}").text
    assert f'<option value="{b.id}">浙岱渔03322 (MMSI' not in html


def test_several_crew_at_once_from_the_registry_with_their_boardings(client, world, db):
    from crew.models import Boarding

    vessel = world.make_vessel(name_zh="浙普远96")
    case = world.new_case(vessels=[{"vessel_id": vessel.id}])
    cook, deckhand, ashore = (world.make_person(name=n) for n in ("郑大厨", "郑水手", "郑岸上"))
    for p, position in ((cook, "厨师"), (deckhand, "水手")):
        db.add(Boarding(person_id=p.id, vessel_id=vessel.id, position=position, embark_date=date(2026, 3, 1)))
    db.flush()
    html = page(client, world, "coordinator", f"/cases/{case.id}").text
    # Whoever was aboard the case's vessel is offered, with that boarding.
    assert 'id="add-crew"' in html and "郑大厨" in html and "浙普远96 · 厨师 · 2026-03-01" in html
    assert "郑岸上" not in html
    picked = page(client, world, "coordinator", f"/cases/{case.id}/crew-picker?q=郑岸上", htmx=True).text
    assert "郑岸上" in picked and "郑大厨" not in picked

    boarding = db.scalars(select(Boarding).where(Boarding.person_id == cook.id)).one()
    form = {"person_ids": [str(cook.id), str(deckhand.id), str(ashore.id)], f"boarding_{cook.id}": str(boarding.id)}
    r = post(client, world, "coordinator", f"/cases/{case.id}/crew", form)
    assert r.status_code == 303, r.text
    assert _actions(world, "case.crew.add") == 3
    body = client.get(f"/api/v1/cases/{case.id}", headers=world.coordinator.headers).json()
    assert {c["person_id"]: c["boarding_id"] for c in body["crew"]} == {
        cook.id: boarding.id,
        deckhand.id: None,
        ashore.id: None,
    }

    # All or nothing: one already linked refuses the whole form, the choices stay ticked.
    other = world.make_person(name="郑新人")
    r = post(client, world, "coordinator", f"/cases/{case.id}/crew", {"person_ids": [str(other.id), str(cook.id)]})
    assert r.status_code == 409 and 'id="action-error"' in r.text and "已关联" in r.text
    assert _actions(world, "case.crew.add") == 3

    r = post(client, world, "coordinator", f"/cases/{case.id}/crew/{ashore.id}/remove", {})
    assert r.status_code == 303 and _actions(world, "case.crew.remove") == 1


def test_add_and_remove_a_party_and_the_refusals_keep_what_was_typed(client, world):
    case = world.new_case()
    world.advance(case.id, "TRIAGED")
    r = post(
        client,
        world,
        "coordinator",
        f"/cases/{case.id}/parties",
        {"side": "respondent", "name": "", "agent_name": "李律师"},
    )
    assert r.status_code == 422 and 'value="李律师"' in r.text and "请填写当事人姓名" in r.text
    r = post(
        client,
        world,
        "coordinator",
        f"/cases/{case.id}/parties",
        {"side": "respondent", "name": "船长张三", "phone": "13900001111"},
    )
    assert r.status_code == 303, r.text
    body = client.get(f"/api/v1/cases/{case.id}", headers=world.coordinator.headers).json()
    added = next(p for p in body["parties"] if p["name"] == "船长张三")
    assert added["contacts"][0]["value"] == "13900001111"
    r = post(client, world, "coordinator", f"/cases/{case.id}/parties/{added['id']}/remove", {})
    assert r.status_code == 303 and _actions(world, "case.party.remove") == 1
    applicant, _ = world.party_ids(case.id)
    r = post(client, world, "coordinator", f"/cases/{case.id}/parties/{applicant}/remove", {})
    assert r.status_code == 409 and "唯一的申请人" in r.text


def test_who_may_not_change_the_file_sees_no_form_and_is_refused(client, world):
    case = world.new_case()
    world.advance(case.id, "TRIAGED", "PLANNED", "DISPATCHING", "ACCEPTED")
    for who in ("org_mediator", "party"):
        html = page(client, world, who, f"/cases/{case.id}").text
        assert 'id="add-vessels"' not in html and 'id="add-party"' not in html and "/remove" not in html
    vessel = world.make_vessel()
    r = post(client, world, "org_mediator", f"/cases/{case.id}/vessels", {"vessel_ids": [str(vessel.id)]})
    assert r.status_code == 403 and "协调员" in r.text
    assert (
        post(client, world, "party", f"/cases/{case.id}/vessels", {"vessel_ids": [str(vessel.id)]}).status_code == 403
    )
    assert page(client, world, "org_mediator", f"/cases/{case.id}/crew-picker?q=王").status_code == 403
    # A settled file: no forms for the staff either.
    settled = world.case_in("AGREED")
    assert 'id="add-vessels"' not in page(client, world, "coordinator", f"/cases/{settled}").text
