"""Taking parties, vessels and crew off a case file (mediation/cases/unlink.py): audited with what
was removed, refused once the file is settled, a case keeps one applicant, and the foreign-element
flag follows after triage."""

from __future__ import annotations

from sqlalchemy import select

from maritime_hub.audit.models import AuditEvent


def _url(cid: int, tail: str) -> str:
    return f"/api/v1/cases/{cid}/{tail}"


def _events(db, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_remove_a_vessel_crew_member_and_party_each_with_its_audit_record(client, world, db):
    cid = world.case_in("MEDIATING")
    h = world.coordinator.headers
    vessel, person = world.make_vessel(), world.make_person()
    assert client.post(_url(cid, "vessels"), json={"vessel_id": vessel.id}, headers=h).status_code == 201
    assert client.post(_url(cid, "crew"), json={"person_id": person.id}, headers=h).status_code == 201
    added = client.post(_url(cid, "parties"), json={"side": "respondent", "name": "错录的船东"}, headers=h).json()
    party_id = next(p["id"] for p in added["parties"] if p["name"] == "错录的船东")

    r = client.delete(_url(cid, f"vessels/{vessel.id}"), headers=h)
    assert r.status_code == 200 and vessel.id not in [v["vessel_id"] for v in r.json()["vessels"]]
    r = client.delete(_url(cid, f"crew/{person.id}"), headers=h)
    assert r.status_code == 200 and person.id not in [c["person_id"] for c in r.json()["crew"]]
    r = client.delete(_url(cid, f"parties/{party_id}"), headers=h)
    assert r.status_code == 200 and party_id not in [p["id"] for p in r.json()["parties"]]

    (v,) = _events(db, "case.vessel.remove")
    (c,) = _events(db, "case.crew.remove")
    (p,) = _events(db, "case.party.remove")
    assert v.object_id == str(cid) and v.before["vessel_id"] == vessel.id
    assert c.before["person_id"] == person.id
    assert p.before["name"] == "错录的船东" and p.before["contacts"] == []


def test_not_on_the_case_is_404_and_the_last_applicant_stays(client, world):
    cid = world.case_in("MEDIATING")
    h = world.coordinator.headers
    assert client.delete(_url(cid, f"vessels/{world.make_vessel().id}"), headers=h).status_code == 404
    assert client.delete(_url(cid, f"crew/{world.make_person().id}"), headers=h).status_code == 404
    applicant, _respondent = world.party_ids(cid)
    r = client.delete(_url(cid, f"parties/{applicant}"), headers=h)
    assert r.status_code == 409 and r.json()["code"] == "last_applicant" and r.json()["field"] == "party_id"
    # Another applicant first, then the wrong one can go.
    client.post(_url(cid, "parties"), json={"side": "applicant", "name": "正确的申请人"}, headers=h)
    assert client.delete(_url(cid, f"parties/{applicant}"), headers=h).status_code == 200


def test_a_settled_file_keeps_its_vessels(client, world):
    cid = world.case_in("AGREED")
    vessel_id = client.get(f"/api/v1/cases/{cid}", headers=world.coordinator.headers).json()["vessels"][0]["vessel_id"]
    r = client.delete(_url(cid, f"vessels/{vessel_id}"), headers=world.coordinator.headers)
    assert r.status_code == 409 and r.json()["code"] == "case_settled"


def test_removing_the_foreign_crew_member_after_triage_clears_the_flag(client, world):
    foreign = world.make_person(name="Nguyen Van A", nationality="VN")
    cid = world.new_case(crew=[{"person_id": foreign.id}]).id
    world.advance(cid, "TRIAGED")
    h = world.coordinator.headers
    assert client.get(f"/api/v1/cases/{cid}", headers=h).json()["triage"]["foreign_element"] is True
    r = client.delete(_url(cid, f"crew/{foreign.id}"), headers=h)
    assert r.status_code == 200 and r.json()["triage"]["foreign_element"] is False
