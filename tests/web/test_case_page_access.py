"""The case pages keep the API's object-level rules (docs/security.md, issue 12 §3): the page
actions that change a case refuse another mediator of the organisation and show why; a party
sees the other side by name, side and agent only; the online form cannot link registry records.

Roster users sign in with their API tokens; pages are Chinese for them (locale zh_CN)."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.mediation import conftest as case_world

world = case_world.world  # the dispute-case test world (fixture)

# Every page action on a case, and the rule it keeps.
PAGE_WRITES = {
    "/cases/{case_id:int}/evidence": "a party of the case, or access.require_write (mediation/cases/evidence.py)",
    "/cases/{case_id:int}/evidence/ais": "access.require_write (evidence.link_ais)",
    "/cases/{case_id:int}/evidence/ais/new": "access.require_write before anything is frozen",
    "/cases/{case_id:int}/transition": "the step's own relations (states.py, tests/mediation/test_cases_roles.py)",
    "/cases/{case_id:int}/dispatch": "派单: the PLANNED → DISPATCHING step (the case's own coordinator)",
    "/cases/{case_id:int}/accept": "接单: the DISPATCHING → ACCEPTED step (the assigned mediator)",
    "/cases/{case_id:int}/decline": "拒单: the assigned mediator (dispatch.decline)",
    "/cases/{case_id:int}/obligations/{obligation_id:int}/payments": "FOLLOWUP_WRITE + access.require_write",
    "/cases/{case_id:int}/obligations/{obligation_id:int}/waiver": "FOLLOWUP_WRITE + access.require_write",
    "/cases/{case_id:int}/visits": "FOLLOWUP_WRITE + access.require_write (followup.service._writable)",
    "/cases/{case_id:int}/parties": "access.require_write (service.add_party)",
    "/cases/{case_id:int}/parties/{party_id:int}/remove": "access.require_write (unlink.remove_party)",
    "/cases/{case_id:int}/vessels": "access.require_write (service.add_vessel)",
    "/cases/{case_id:int}/vessels/{vessel_id:int}/remove": "access.require_write (unlink.remove_vessel)",
    "/cases/{case_id:int}/crew": "access.require_write (service.add_crew)",
    "/cases/{case_id:int}/crew/{person_id:int}/remove": "access.require_write (unlink.remove_crew)",
}


def test_every_page_action_on_a_case_is_listed(app):
    from fastapi import routing

    # Full paths: the pages live under /cases, the API's case routes under /api/v1/cases.
    posts = {
        c.path
        for c in routing.iter_route_contexts(app.routes)
        if isinstance(c.original_route, routing.APIRoute)
        and c.methods & {"POST", "PATCH", "PUT", "DELETE"}
        and c.path.startswith("/cases/{case_id:int}")
    }
    assert posts == set(PAGE_WRITES)


def _evidence(world, cid: int) -> int:
    from mediation.cases.models import CaseEvidence

    return world.db.scalar(select(func.count()).select_from(CaseEvidence).where(CaseEvidence.case_id == cid))


def test_another_mediator_of_the_organisation_reads_the_case_page_but_cannot_change_it(client, world):
    from vessels.ais.models import AisEvidence

    vessel = world.make_vessel(mmsi="412300777")
    cid = world.new_case(vessels=[{"vessel_id": vessel.id}]).id
    world.advance(cid, "TRIAGED", "PLANNED", "DISPATCHING", "ACCEPTED")
    html = client.get(f"/cases/{cid}", headers=world.org_mediator.headers).text
    assert 'id="evidence-upload"' not in html and 'id="ais-freeze"' not in html  # no forms they could not use
    assert 'id="evidence-upload"' in client.get(f"/cases/{cid}", headers=world.assigned_mediator.headers).text

    frozen = AisEvidence(
        kind="track",
        params={"mmsis": [412300777]},
        result={"type": "FeatureCollection", "features": []},
        sources=[],
        sha256="cd" * 32,
        svg="<svg/>",
    )
    world.db.add(frozen)
    world.db.flush()
    tries = [
        ("evidence", {"files": {"file": ("x.txt", b"x" * 50, "text/plain")}}),
        ("evidence/ais", {"data": {"ais_evidence_id": str(frozen.id)}}),
        (
            "evidence/ais/new",
            {
                "data": {
                    "kind": "track",
                    "vessel_id": str(vessel.id),
                    "start": "2026-11-02T07:30",
                    "end": "2026-11-02T10:30",
                }
            },
        ),
    ]
    for tail, kw in tries:
        r = client.post(f"/cases/{cid}/{tail}", headers=world.org_mediator.headers, follow_redirects=False, **kw)
        assert r.status_code == 403 and 'id="action-error"' in r.text, (tail, r.status_code)
        assert "协调员" in r.text and "指派" in r.text  # who may, and what to ask for, in Chinese
    assert _evidence(world, cid) == 0
    assert world.db.scalar(select(func.count()).select_from(AisEvidence)) == 1  # nothing frozen either
    r = client.post(
        f"/cases/{cid}/evidence/ais",
        data={"ais_evidence_id": str(frozen.id)},
        headers=world.assigned_mediator.headers,
        follow_redirects=False,
    )
    assert r.status_code == 303 and _evidence(world, cid) == 1


def test_the_case_page_shows_a_party_the_other_side_by_name_and_agent(client, world):
    cid = world.new_case(
        parties=[
            {
                "side": "applicant",
                "name": "张三",
                "id_number": "330902199001011234",
                "user_id": world.party.user_id,
                "contacts": [{"kind": "phone", "value": "13900000001"}],
            },
            {
                "side": "respondent",
                "name": "李四",
                "id_number": "330902198502023456",
                "agent_name": "王律师",
                "agent_phone": "13900000002",
                "user_id": world.respondent_party.user_id,
                "contacts": [{"kind": "phone", "value": "13900000003"}],
            },
        ]
    ).id
    html = client.get(f"/cases/{cid}", headers=world.party.headers).text
    assert "张三" in html and "李四" in html and "王律师" in html
    assert "13900000001" in html  # their own contact route
    for hidden in ("330902198502023456", "13900000002", "13900000003"):
        assert hidden not in html, hidden
    # The other side's page: the applicant (listed first) by name only, the upload form still theirs.
    r = client.get(f"/cases/{cid}", headers=world.respondent_party.headers)
    assert r.status_code == 200 and "张三" in r.text and 'id="evidence-upload"' in r.text
    assert "330902199001011234" not in r.text and "13900000001" not in r.text and "13900000003" in r.text
    staff = client.get(f"/cases/{cid}", headers=world.coordinator.headers).text
    assert "13900000002" in staff and "13900000003" in staff


def test_the_online_form_cannot_link_registry_records(client, world):
    from mediation.cases.models import Case

    vessel = world.make_vessel()
    form = {
        "organisation_id": str(world.org.id),
        "dispute_type": "wage_dispute",
        "incident_at": "2026-11-03T10:00",
        "description": "丈夫在船上被拖欠工资",
        "applicant_name": "孙小渔",
        "vessel_ids": [str(vessel.id)],
    }
    before = world.db.scalar(select(func.count()).select_from(Case))
    r = client.post("/cases/new", data=form, headers=world.stranger_party.headers, follow_redirects=False)
    assert r.status_code == 422, r.text
    assert "登记" in r.text and vessel.name_zh not in r.text  # the rule, not the registry record
    assert world.db.scalar(select(func.count()).select_from(Case)) == before
    del form["vessel_ids"]
    assert (
        client.post("/cases/new", data=form, headers=world.stranger_party.headers, follow_redirects=False).status_code
        == 303
    )
