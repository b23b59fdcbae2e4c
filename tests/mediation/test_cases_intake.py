"""Intake (受理登记): case numbers, concurrent numbering, 422s naming the field, duplicate
suggestions, online filing by a party, the intake audit event, and the list's filters."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from maritime_hub.audit.models import AuditEvent
from mediation.cases.payloads import local_today


def body(**kw) -> dict:
    b = {
        "dispute_type": "collision",
        "incident_at": "2026-11-01T08:00:00+08:00",
        "description": "两船在朱家尖以东碰撞",
        "intake_channel": "window",
        "parties": [{"side": "applicant", "name": "张三"}, {"side": "respondent", "name": "李四"}],
    }
    b.update(kw)
    return b


def test_intake_numbers_cases_per_organisation_and_year(client, world):
    year = local_today().year
    numbers = []
    for _ in range(3):
        r = client.post("/api/v1/cases", json=body(), headers=world.coordinator.headers)
        assert r.status_code == 201, r.text
        numbers.append(r.json()["number"])
    assert numbers == [f"（{year}）舟普海调字第{i:04d}号" for i in (1, 2, 3)]
    other = client.post("/api/v1/cases", json=body(), headers=world.other_coordinator.headers).json()
    assert other["number"].endswith("字第0001号") and world.other_org.code in other["number"]
    created = client.get(
        f"/api/v1/cases/{client.post('/api/v1/cases', json=body(), headers=world.coordinator.headers).json()['id']}",
        headers=world.coordinator.headers,
    ).json()
    assert created["state"] == "REGISTERED" and created["state_label_zh"] == "受理登记"
    assert created["timeline"][0]["to_state"] == "REGISTERED" and created["timeline"][0]["from_state"] is None
    assert [d["key"] for d in created["deadlines"]] == ["acknowledgement", "collision_claim"]
    assert {s["to"] for s in created["allowed_transitions"]} == {"TRIAGED", "REFUSED"}


def test_concurrent_intake_gives_distinct_consecutive_numbers(scratch_db):
    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from maritime_hub.audit.service import SYSTEM
    from maritime_hub.auth.service import Principal
    from maritime_hub.orgs.schemas import OrganisationCreate
    from maritime_hub.orgs.service import create as create_org
    from mediation.cases.schemas import CaseCreate
    from mediation.cases.service import create_case

    engine = create_engine(scratch_db, pool_size=16, max_overflow=0)
    try:
        with Session(engine) as s:
            org = create_org(
                s, SYSTEM, OrganisationCreate(name="并发测试调解委员会", kind="mediation_committee", code="舟并海调")
            )
            s.commit()
            org_id = org.id
        coordinator = Principal(
            user_id=None, username="intake", organisation_id=org_id, roles=frozenset({"coordinator"})
        )
        n = 16
        start = threading.Barrier(n)

        def file_one(i: int) -> tuple[int, str]:
            with Session(engine) as s:
                start.wait(timeout=30)
                case = create_case(s, coordinator, CaseCreate(**body(description=f"并发受理 {i}")))
                s.commit()
                return case.seq, case.number

        with ThreadPoolExecutor(n) as pool:
            results = sorted(pool.map(file_one, range(n)))
        year = local_today().year
        assert [seq for seq, _ in results] == list(range(1, n + 1))
        assert [number for _, number in results] == [f"（{year}）舟并海调字第{i:04d}号" for i in range(1, n + 1)]
        with Session(engine) as s:
            from mediation.cases.models import CaseNumberCounter

            assert s.get(CaseNumberCounter, (org_id, year)).last_number == n
    finally:
        engine.dispose()


BAD = [
    ({"dispute_type": None}, "dispute_type"),
    ({"dispute_type": "piracy"}, "dispute_type"),
    ({"incident_at": "yesterday"}, "incident_at"),
    ({"incident_at": (datetime.now(UTC) + timedelta(days=2)).isoformat()}, "incident_at"),
    ({"incident_position": {"lon": 122.4, "lat": 95}}, "incident_position.lat"),
    ({"amount_claimed": "-5"}, "amount_claimed"),
    ({"amount_claimed": "12.345"}, "amount_claimed"),
    ({"currency": "rmb"}, "currency"),
    ({"description": ""}, "description"),
    ({"intake_channel": "court_referral"}, "referral_kind"),
    (
        {"intake_channel": "court_referral", "referral_kind": "pre_filing_referral", "court_case_number": "x"},
        "referring_court_id",
    ),
    ({"referral_kind": "pre_filing_referral"}, "referral_kind"),
    ({"court_procedure": "summary"}, "court_procedure"),
    ({"intake_channel": "online_form", "filer_kind": "relative"}, "filer_name"),
    ({"claim_arose_on": "2999-01-01"}, "claim_arose_on"),
    ({"parties": []}, "parties"),
    ({"parties": [{"side": "respondent", "name": "李四"}]}, "parties"),
    ({"parties": [{"side": "applicant", "name": "张三", "person_id": 1}]}, "parties.0"),
    ({"parties": [{"side": "applicant"}]}, "parties.0"),
    ({"parties": [{"side": "plaintiff", "name": "张三"}]}, "parties.0.side"),
    ({"parties": [{"side": "applicant", "name": "Juan", "nationality": "XX"}]}, "parties.0.nationality"),
    ({"parties": [{"side": "applicant", "person_id": 999999}]}, "parties.0.person_id"),
    ({"parties": [{"side": "applicant", "organisation_id": 999999}]}, "parties.0.organisation_id"),
    (
        {"parties": [{"side": "applicant", "name": "张三", "contacts": [{"kind": "at_sea_on_vessel"}]}]},
        "parties.0.contacts.0",
    ),
    (
        {
            "parties": [
                {"side": "applicant", "name": "张三", "contacts": [{"kind": "at_sea_on_vessel", "vessel_id": 999999}]}
            ]
        },
        "parties.0.contacts.0.vessel_id",
    ),
    ({"vessels": [{"vessel_id": 999999}]}, "vessels.0.vessel_id"),
    ({"crew": [{"person_id": 999999}]}, "crew.0.person_id"),
    ({"organisation_id": "abc"}, "organisation_id"),
]


@pytest.mark.parametrize(("change", "field"), BAD, ids=[f"{i}-{f}" for i, (_, f) in enumerate(BAD)])
def test_bad_intake_is_422_naming_the_field(client, world, change, field):
    b = body(**change)
    for k, v in change.items():
        if v is None:
            b.pop(k)
    r = client.post("/api/v1/cases", json=b, headers=world.coordinator.headers)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field, r.json()


def test_intake_references_are_checked(client, world, make_person, make_vessel, make_org):
    p, q, v = make_person(), make_person(), make_vessel()
    boarding = client.post(
        f"/api/v1/crew/{p.id}/boardings",
        json={"vessel_id": v.id, "embark_date": "2026-03-01"},
        headers=world.auditor.headers,
    ).json()
    r = client.post(
        "/api/v1/cases",
        json=body(crew=[{"person_id": q.id, "boarding_id": boarding["id"]}]),
        headers=world.coordinator.headers,
    )
    assert r.status_code == 422 and r.json()["field"] == "crew.0.boarding_id"
    r = client.post(
        "/api/v1/cases",
        json=body(parties=[{"side": "applicant", "name": "张三", "user_id": world.clerk.user_id}]),
        headers=world.coordinator.headers,
    )
    assert r.status_code == 422 and r.json()["field"] == "parties.0.user_id"
    r = client.post("/api/v1/cases", json=body(organisation_id=world.other_org.id), headers=world.coordinator.headers)
    assert r.status_code == 403
    company = make_org()
    r = client.post(
        "/api/v1/cases",
        json=body(intake_channel="online_form", organisation_id=company.id),
        headers=world.party.headers,
    )
    assert r.status_code == 422 and r.json()["field"] == "organisation_id"
    r = client.post(
        "/api/v1/cases",
        json=body(
            intake_channel="court_referral",
            referral_kind="pre_filing_referral",
            referring_court_id=999999,
            court_case_number="x",
        ),
        headers=world.coordinator.headers,
    )
    assert r.status_code == 422 and r.json()["field"] == "referring_court_id"
    r = client.post(
        "/api/v1/cases",
        json=body(
            crew=[{"person_id": p.id, "boarding_id": boarding["id"]}], vessels=[{"vessel_id": v.id, "role": "雇佣船"}]
        ),
        headers=world.coordinator.headers,
    )
    assert r.status_code == 201 and r.json()["crew"][0]["boarding_id"] == boarding["id"]


def test_party_files_online_and_follows_the_case(client, world):
    r = client.post("/api/v1/cases", json=body(), headers=world.stranger_party.headers)
    assert r.status_code == 422 and r.json()["field"] == "intake_channel"
    r = client.post("/api/v1/cases", json=body(intake_channel="online_form"), headers=world.stranger_party.headers)
    assert r.status_code == 422 and r.json()["field"] == "organisation_id"
    r = client.post(
        "/api/v1/cases",
        json=body(
            intake_channel="online_form",
            organisation_id=world.org.id,
            filer_kind="relative",
            filer_name="张三之妻",
            filer_phone="13900000000",
        ),
        headers=world.stranger_party.headers,
    )
    assert r.status_code == 201, r.text
    case = r.json()
    assert case["parties"][0]["user_id"] == world.stranger_party.user_id and case["filer_kind"] == "relative"
    assert case["suggested_links"] == []
    mine = client.get("/api/v1/cases", headers=world.stranger_party.headers).json()
    assert [c["id"] for c in mine["items"]] == [case["id"]]
    assert client.get(f"/api/v1/cases/{case['id']}", headers=world.coordinator.headers).status_code == 200


def test_intake_is_audited_with_its_parties(client, world, db):
    r = client.post(
        "/api/v1/cases",
        json=body(amount_claimed="150000.00", incident_position={"lon": 122.45, "lat": 29.9}),
        headers=world.coordinator.headers,
    )
    case = r.json()
    assert case["amount_claimed"] == "150000.00" and case["currency"] == "CNY"
    assert case["incident_position"] == {"lon": 122.45, "lat": 29.9}
    ev = db.scalar(
        select(AuditEvent).where(AuditEvent.action == "case.create", AuditEvent.object_id == str(case["id"]))
    )
    assert ev.actor_user_id == world.coordinator.user_id
    assert ev.after["number"] == case["number"] and [p["name"] for p in ev.after["parties"]] == ["张三", "李四"]


def test_duplicates_are_suggested_never_merged(client, world, make_vessel, make_person):
    v, p = make_vessel(), make_person()
    day0 = datetime(2026, 10, 10, 8, tzinfo=UTC)

    def file(at: datetime, **kw):
        r = client.post("/api/v1/cases", json=body(incident_at=at.isoformat(), **kw), headers=world.coordinator.headers)
        assert r.status_code == 201, r.text
        return r.json()

    first = file(day0, vessels=[{"vessel_id": v.id}])
    by_vessel = file(day0 + timedelta(days=6, hours=23), vessels=[{"vessel_id": v.id}])
    assert [s["case_id"] for s in by_vessel["suggested_links"]] == [first["id"]]
    assert "same vessel" in by_vessel["suggested_links"][0]["reasons"][0]
    assert file(day0 + timedelta(days=14, hours=1), vessels=[{"vessel_id": v.id}])["suggested_links"] == []
    # The same person, once as a party and once as crew, matches too.
    as_party = file(day0, parties=[{"side": "applicant", "person_id": p.id}, {"side": "respondent", "name": "某船东"}])
    as_crew = file(day0 - timedelta(days=3), crew=[{"person_id": p.id}])
    assert [s["case_id"] for s in as_crew["suggested_links"]] == [as_party["id"]]
    assert p.name in as_crew["suggested_links"][0]["reasons"][0]
    # Both remain separate cases, and the older one shows the link on its page too.
    page = client.get(f"/api/v1/cases/{first['id']}", headers=world.coordinator.headers).json()
    assert [s["case_id"] for s in page["suggested_links"]] == [by_vessel["id"]]
    assert page["number"] != by_vessel["number"]


def test_list_filters_and_pagination(client, world, make_vessel):
    v = make_vessel()
    ids = [
        client.post(
            "/api/v1/cases",
            json=body(dispute_type=t, vessels=[{"vessel_id": v.id}] if t == "gear_damage" else []),
            headers=world.coordinator.headers,
        ).json()["id"]
        for t in ("collision", "gear_damage", "wage_dispute")
    ]
    world.advance(ids[0], "TRIAGED")
    h = world.coordinator.headers
    get = lambda q: client.get(f"/api/v1/cases?{q}", headers=h).json()  # noqa: E731
    assert {c["id"] for c in get("")["items"]} == set(ids)
    assert [c["id"] for c in get("state=TRIAGED")["items"]] == [ids[0]]
    assert [c["id"] for c in get("dispute_type=gear_damage")["items"]] == [ids[1]]
    assert [c["id"] for c in get("grade=general")["items"]] == [ids[0]]
    assert [c["id"] for c in get(f"vessel_id={v.id}")["items"]] == [ids[1]]
    assert get(f"organisation_id={world.other_org.id}")["total"] == 0
    page = get("page=2&page_size=2")
    assert page["total"] == 3 and len(page["items"]) == 1 and page["items"][0]["id"] == ids[0]  # newest first
    bad = client.get("/api/v1/cases?state=DONE", headers=h)
    assert bad.status_code == 422 and bad.json()["field"] == "state"


def test_contact_routes_and_party_accounts(client, world, make_vessel):
    v = make_vessel(name_zh="浙普远98")
    r = client.post(
        "/api/v1/cases",
        json=body(
            parties=[
                {
                    "side": "applicant",
                    "name": "Agus",
                    "nationality": "ID",
                    "agent_name": "王律师",
                    "agent_authority": "special",
                    "contacts": [{"kind": "at_sea_on_vessel", "vessel_id": v.id, "note": "卫星电话经船东转接"}],
                },
                {"side": "respondent", "name": "某船东", "contacts": [{"kind": "phone", "value": "0580-1234567"}]},
            ]
        ),
        headers=world.coordinator.headers,
    )
    assert r.status_code == 201, r.text
    agus, owner = r.json()["parties"]
    assert (
        agus["reachable_only_via_vessel"] and agus["contacts"][0]["vessel_id"] == v.id and agus["nationality"] == "ID"
    )
    assert not owner["reachable_only_via_vessel"] and owner["kind"] == "new_person"
    cid = r.json()["id"]
    r = client.patch(
        f"/api/v1/cases/{cid}/parties/{owner['id']}",
        json={"user_id": world.stranger_party.user_id},
        headers=world.coordinator.headers,
    )
    assert r.status_code == 200 and r.json()["parties"][1]["user_id"] == world.stranger_party.user_id
    assert client.get(f"/api/v1/cases/{cid}", headers=world.stranger_party.headers).status_code == 200


def test_make_case_factory_registers_through_the_service(make_case):
    case = make_case()
    assert case.number.endswith("字第0001号") and case.state.value == "REGISTERED"
    second = make_case(dispute_type="gear_damage", intake_channel="window")
    assert second.organisation_id != case.organisation_id and second.dispute_type.value == "gear_damage"


def test_a_party_cannot_read_the_registries_through_online_filing(client, world, db):
    """Linking registry records is staff work: a party naming a person, a vessel, a crew member (with a
    boarding) or an account is refused before anything is looked up, with the field named and the
    same answer whether the record exists or not; nothing is filed."""
    from mediation.cases.models import Case

    person, vessel = world.make_person(), world.make_vessel()
    boarding = client.post(
        f"/api/v1/crew/{person.id}/boardings",
        json={"vessel_id": vessel.id, "embark_date": "2026-03-01"},
        headers=world.auditor.headers,
    ).json()
    online = {"intake_channel": "online_form", "organisation_id": world.org.id}
    applicant = {"side": "applicant", "name": "张三"}
    tries = {
        "parties.1.person_id": {"parties": [applicant, {"side": "respondent", "person_id": person.id}]},
        "parties.0.user_id": {"parties": [applicant | {"user_id": world.respondent_party.user_id}]},
        "parties.0.contacts.0.vessel_id": {
            "parties": [applicant | {"contacts": [{"kind": "at_sea_on_vessel", "vessel_id": vessel.id}]}]
        },
        "vessels.0.vessel_id": {"vessels": [{"vessel_id": vessel.id}]},
        "crew.0.person_id": {"crew": [{"person_id": person.id, "boarding_id": boarding["id"]}]},
    }
    cases_before = db.scalar(select(func.count()).select_from(Case))
    for field, extra in tries.items():
        answers = []
        for real in (True, False):
            b = body(**online, **extra)
            if not real:  # the same request naming records that do not exist
                b = json.loads(
                    json.dumps(b)
                    .replace(f'"person_id": {person.id}', '"person_id": 999999')
                    .replace(f'"vessel_id": {vessel.id}', '"vessel_id": 999998')
                    .replace(f'"boarding_id": {boarding["id"]}', '"boarding_id": 999997')
                )
            r = client.post("/api/v1/cases", json=b, headers=world.stranger_party.headers)
            assert r.status_code == 422, (field, r.text)
            answers.append(r.json())
        assert answers[0] == answers[1], field
        assert answers[0]["code"] == "registry_link_by_staff" and answers[0]["field"] == field, answers[0]
        assert person.name not in answers[0]["message"]
    assert db.scalar(select(func.count()).select_from(Case)) == cases_before
    # The same application in words is filed; organisations (a public list) may be chosen.
    company = world.make_org()
    r = client.post(
        "/api/v1/cases",
        json=body(**online, parties=[applicant, {"side": "respondent", "organisation_id": company.id}]),
        headers=world.stranger_party.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["vessels"] == [] and r.json()["crew"] == []
    # Staff still link the registries at intake.
    r = client.post(
        "/api/v1/cases",
        json=body(vessels=[{"vessel_id": vessel.id}], crew=[{"person_id": person.id}]),
        headers=world.coordinator.headers,
    )
    assert r.status_code == 201 and r.json()["vessels"][0]["mmsi"] == vessel.mmsi
