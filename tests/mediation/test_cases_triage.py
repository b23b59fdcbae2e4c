"""Triage flags set at TRIAGED: foreign element, maritime court vs labour arbitration (Crew-Prov 1),
and the maritime-lien countdown (海商法 22, 29) shown among the live deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from mediation import deadlines as dl
from mediation.cases.payloads import local_today
from tests.mediation.conftest import go


def _triage(client, world, case_id, **payload):
    payload.setdefault("grade", "general")
    r = go(client, world, case_id, "TRIAGED", "coordinator", **payload)
    assert r.status_code == 200, r.text
    return r.json()


def test_all_chinese_case_has_no_foreign_element(client, world):
    body = _triage(client, world, world.new_case().id, crew_claim_basis="on_board_service")
    assert body["triage"]["foreign_element"] is False and body["triage"]["foreign_reasons"] == []


@pytest.mark.parametrize("where", ["party", "registry_party", "organisation", "vessel", "crew"])
def test_foreign_element_from_any_party_vessel_or_crew(client, world, make_person, make_org, make_vessel, where):
    kw = {}
    if where == "party":
        kw["parties"] = [
            {"side": "applicant", "name": "Agus Santoso", "nationality": "ID"},
            {"side": "respondent", "name": "某船东"},
        ]
    elif where == "registry_party":
        kw["parties"] = [
            {"side": "applicant", "person_id": make_person(name="Juan Cruz", nationality="PH").id},
            {"side": "respondent", "name": "某船东"},
        ]
    elif where == "organisation":
        kw["parties"] = [
            {"side": "applicant", "name": "张三"},
            {"side": "respondent", "organisation_id": make_org(name="Pacific Fishing S.A.", country="PE").id},
        ]
    elif where == "vessel":
        kw["vessels"] = [{"vessel_id": make_vessel(name_en="OCEAN STAR", flag_state="PA").id}]
    else:
        kw["crew"] = [{"person_id": make_person(name="Nguyen Van A", nationality="VN").id}]
    body = _triage(client, world, world.new_case(**kw).id, crew_claim_basis="on_board_service")
    assert body["triage"]["foreign_element"] is True
    expected = {"party": "ID", "registry_party": "PH", "organisation": "PE", "vessel": "PA", "crew": "VN"}[where]
    assert any(expected in reason for reason in body["triage"]["foreign_reasons"])


def test_a_foreign_party_added_after_triage_updates_the_flag(client, world):
    cid = world.new_case().id
    assert _triage(client, world, cid, crew_claim_basis="on_board_service")["triage"]["foreign_element"] is False
    r = client.post(
        f"/api/v1/cases/{cid}/parties",
        json={"side": "respondent", "name": "Kim", "nationality": "KR"},
        headers=world.coordinator.headers,
    )
    assert r.status_code == 201 and r.json()["triage"]["foreign_element"] is True


@pytest.mark.parametrize(
    ("dispute_type", "basis", "route", "article"),
    [
        ("wage_dispute", "boarding", "maritime_court", "Crew-Prov 1"),
        ("wage_dispute", "on_board_service", "maritime_court", "MC-Scope item 24"),
        ("crew_service_contract", "repatriation", "maritime_court", "Crew-Prov 1"),
        ("wage_dispute", "other_labour", "labour_arbitration", "劳动争议调解仲裁法 27"),
        ("crew_service_contract", "other_labour", "labour_arbitration", "Crew-Prov 1, 5"),
        ("collision", None, "maritime_court", "MC-Scope item 1"),
        ("gear_damage", None, "maritime_court", "MC-Scope item 5"),
        ("personal_injury_at_sea", None, "maritime_court", "MC-Scope item 7"),
        ("fishery_contract", None, "maritime_court", "MC-Scope item 58"),
        ("fishing_ground_conflict", None, None, None),
    ],
)
def test_route_maritime_court_or_labour_arbitration(client, world, dispute_type, basis, route, article):
    payload = {"crew_claim_basis": basis} if basis else {}
    body = _triage(client, world, world.new_case(dispute_type=dispute_type).id, **payload)
    assert body["triage"]["route"] == route
    if article:
        assert article in body["triage"]["route_basis"]
    keys = {d["key"] for d in body["deadlines"]}
    assert ("labour_arbitration" in keys) is (route == "labour_arbitration")


def test_crew_claim_basis_given_at_intake_is_used(client, world):
    body = _triage(client, world, world.new_case(crew_claim_basis="other_labour").id)
    assert body["triage"]["route"] == "labour_arbitration"


def test_maritime_lien_countdown_for_wage_and_injury_claims(client, world):
    body = _triage(client, world, world.new_case().id, crew_claim_basis="on_board_service", claim_arose_on="2026-03-01")
    lien = next(d for d in body["deadlines"] if d["key"] == "maritime_lien")
    # 海商法 29: one year from when the claim arose, no extension: 2026-03-01 -> 2027-03-01.
    assert lien["basis"] == "海商法 29" and lien["start_date"] == "2026-03-01" and lien["due"] == "2027-03-01"
    assert lien["days_remaining"] == (date(2027, 3, 1) - local_today()).days and lien["status"] == "ok"
    assert body["triage"]["lien_applies"] is True and body["triage"]["claim_arose_on"] == "2026-03-01"

    injury = world.new_case(dispute_type="personal_injury_at_sea")
    body = _triage(client, world, injury.id)
    lien = next(d for d in body["deadlines"] if d["key"] == "maritime_lien")
    assert lien["start_date"] == dl.local_date(injury.incident_at).isoformat()  # defaults to the incident date

    body = _triage(client, world, world.new_case(dispute_type="gear_damage").id)
    assert body["triage"]["lien_applies"] is False
    assert "maritime_lien" not in {d["key"] for d in body["deadlines"]}


def test_lien_countdown_goes_overdue(client, world):
    body = _triage(
        client,
        world,
        world.new_case(incident_at="2025-01-10T09:00:00+08:00").id,
        crew_claim_basis="on_board_service",
        claim_arose_on="2025-01-10",
    )
    lien = next(d for d in body["deadlines"] if d["key"] == "maritime_lien")
    assert lien["due"] == "2026-01-10" and lien["status"] == "overdue" and lien["days_remaining"] < 0
