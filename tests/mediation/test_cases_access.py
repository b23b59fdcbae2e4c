"""Who sees which case: parties only their own; mediation staff their organisation's; courts the
cases referred or applied to them; admin and the fishery bureau everything. Plus evidence."""

from __future__ import annotations

import hashlib

import pytest

CASE_ROUTES = [
    "GET /api/v1/cases",
    "GET /api/v1/cases/{id}",
    "POST /api/v1/cases/{id}/transitions",
    "POST /api/v1/cases/{id}/parties",
    "POST /api/v1/cases/{id}/members",
    "POST /api/v1/cases/{id}/evidence/ais",
]


def _ids(client, login, **q):
    query = "&".join(f"{k}={v}" for k, v in q.items())
    r = client.get(f"/api/v1/cases?{query}", headers=login.headers)
    assert r.status_code == 200, r.text
    return {c["id"] for c in r.json()["items"]}


def test_parties_see_only_their_own_cases(client, world, make_person):
    mine = world.new_case().id
    theirs = world.new_case(
        parties=[
            {"side": "applicant", "person_id": make_person().id, "user_id": world.stranger_party.user_id},
            {"side": "respondent", "name": "某船东"},
        ]
    ).id
    assert _ids(client, world.party) == {mine}
    assert _ids(client, world.stranger_party) == {theirs}
    assert client.get(f"/api/v1/cases/{theirs}", headers=world.party.headers).status_code == 403
    assert client.get(f"/api/v1/cases/{mine}", headers=world.party.headers).status_code == 200
    r = client.post(
        f"/api/v1/cases/{theirs}/transitions",
        json={"to": "REFUSED", "refusing_party_id": 1},
        headers=world.party.headers,
    )
    assert r.status_code == 403
    # Filters cannot widen what a party sees.
    assert _ids(client, world.party, organisation_id=world.org.id) == {mine}


def test_mediation_staff_see_their_organisations_cases(client, world):
    cid = world.new_case().id
    for who in ("coordinator", "assigned_mediator", "org_mediator", "panel_chief", "admin", "auditor"):
        assert cid in _ids(client, world.users[who]), who
        assert client.get(f"/api/v1/cases/{cid}", headers=world.users[who].headers).status_code == 200, who
    for who in ("other_coordinator", "outside_mediator", "clerk", "judge", "other_judge"):
        assert cid not in _ids(client, world.users[who]), who
        assert client.get(f"/api/v1/cases/{cid}", headers=world.users[who].headers).status_code == 403, who


def test_dispatched_mediator_from_another_organisation_sees_the_case(client, world):
    cid = world.case_in("PLANNED")
    r = client.post(
        f"/api/v1/cases/{cid}/transitions",
        json={"to": "DISPATCHING", "mediator_user_id": world.outside_mediator.user_id},
        headers=world.coordinator.headers,
    )
    assert r.status_code == 200
    assert client.get(f"/api/v1/cases/{cid}", headers=world.outside_mediator.headers).status_code == 200
    r = client.post(f"/api/v1/cases/{cid}/transitions", json={"to": "ACCEPTED"}, headers=world.outside_mediator.headers)
    assert r.status_code == 200 and r.json()["accepted_at"]


def test_courts_see_cases_referred_or_applied_to_them(client, world):
    referred = world.new_case(
        intake_channel="court_referral",
        referral_kind="pre_filing_referral",
        referring_court_id=world.other_court.id,
        court_case_number="（2026）沪72民诉前调5号",
    ).id
    applied = world.case_in("AGREED")
    assert referred in _ids(client, world.other_judge) and applied not in _ids(client, world.clerk)
    assert client.get(f"/api/v1/cases/{applied}", headers=world.clerk.headers).status_code == 403
    world.advance(applied, "CONFIRM_APPLIED")
    assert applied in _ids(client, world.clerk) and applied in _ids(client, world.judge)
    page = client.get(f"/api/v1/cases/{applied}", headers=world.clerk.headers).json()
    assert {s["to"] for s in page["allowed_transitions"]} == {"UNDER_REVIEW", "NOT_ACCEPTED"}
    assert page["deadlines"][0]["key"] == "court_acceptance" and page["deadlines"][0]["basis"] == "SPC-2011 4"
    assert applied not in _ids(client, world.other_clerk)


@pytest.mark.parametrize("route", CASE_ROUTES)
def test_case_routes_need_credentials(client, world, route):
    method, path = route.split(" ")
    cid = world.new_case().id
    r = client.request(method, path.format(id=cid), json={})
    assert r.status_code == 401


def test_role_gates_on_writes(client, world):
    cid = world.new_case().id
    for who in ("admin", "auditor", "clerk", "judge", "party"):
        r = client.post(
            f"/api/v1/cases/{cid}/parties",
            json={"side": "respondent", "name": "王五"},
            headers=world.users[who].headers,
        )
        assert r.status_code == 403, who
    for who in ("admin", "auditor", "judge", "org_mediator"):
        r = client.post("/api/v1/cases", json={}, headers=world.users[who].headers)
        assert r.status_code == 403, who
    # The clerk refers court cases (tests/web/test_cases_court_pages.py): past the role gate, to validation.
    assert client.post("/api/v1/cases", json={}, headers=world.clerk.headers).status_code == 422
    r = client.post(
        f"/api/v1/cases/{cid}/parties",
        json={"side": "respondent", "name": "王五"},
        headers=world.other_coordinator.headers,
    )
    assert r.status_code == 403
    # Another mediator of the organisation reads the case but does not change its file (object-level
    # table: tests/mediation/test_case_writes.py).
    r = client.post(
        f"/api/v1/cases/{cid}/parties", json={"side": "respondent", "name": "王五"}, headers=world.org_mediator.headers
    )
    assert r.status_code == 403 and r.json()["code"] == "not_case_staff"
    assert "dispatch" in r.json()["message"]
    r = client.post(
        f"/api/v1/cases/{cid}/parties", json={"side": "respondent", "name": "王五"}, headers=world.coordinator.headers
    )
    assert r.status_code == 201 and [p["name"] for p in r.json()["parties"]][-1] == "王五"


def test_parties_are_settled_once_agreed(client, world, make_vessel):
    cid = world.case_in("AGREED")
    r = client.post(
        f"/api/v1/cases/{cid}/vessels", json={"vessel_id": make_vessel().id}, headers=world.coordinator.headers
    )
    assert r.status_code == 409 and "AGREED" in r.json()["message"]
    assert r.json()["code"] == "case_settled"


def test_uploaded_evidence_is_always_a_download_with_a_safe_type(client, world):
    """A party's upload must never run as a page on this origin (stored XSS): HTML and SVG come back
    as application/octet-stream attachments; a Chinese name survives (RFC 5987), a path does not."""
    from urllib.parse import quote

    cid = world.case_in("MEDIATING")
    cases = [
        ("证据.html", b"<script>alert(1)</script>", "text/html", "application/octet-stream"),
        (
            "map.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "image/svg+xml",
            "application/octet-stream",
        ),
        ("..\\..\\工资条 8月.pdf", b"%PDF-1.4 x", "application/pdf", "application/pdf"),
    ]
    for name, content, declared, served in cases:
        ev = client.post(
            f"/api/v1/cases/{cid}/evidence", files={"file": (name, content, declared)}, headers=world.party.headers
        ).json()
        got = client.get(f"/api/v1/cases/{cid}/evidence/{ev['id']}/file", headers=world.assigned_mediator.headers)
        assert got.status_code == 200 and got.content == content
        assert got.headers["content-type"] == served
        disposition = got.headers["content-disposition"]
        assert disposition.startswith("attachment; filename=")
        assert (
            got.headers["x-content-type-options"] == "nosniff" and "sandbox" in got.headers["content-security-policy"]
        )
        assert got.headers["cache-control"] == "no-store"
    assert disposition == "attachment; filename=\"___ 8_.pdf\"; filename*=UTF-8''" + quote("工资条 8月.pdf", safe="")


def test_evidence_files_and_ais_links(client, world, db):
    from vessels.ais.models import AisEvidence

    cid = world.case_in("MEDIATING")
    content = "工资条 2026年8月 应发 9000 实发 0\n".encode() * 20
    r = client.post(
        f"/api/v1/cases/{cid}/evidence",
        files={"file": ("payslip.txt", content, "text/plain")},
        data={"description": "八月工资条"},
        headers=world.party.headers,
    )
    assert r.status_code == 201, r.text
    ev = r.json()
    assert ev["file_sha256"] == hashlib.sha256(content).hexdigest() and ev["party_id"] == world.party_ids(cid)[0]
    got = client.get(f"/api/v1/cases/{cid}/evidence/{ev['id']}/file", headers=world.assigned_mediator.headers)
    assert got.status_code == 200 and got.content == content
    assert (
        client.get(f"/api/v1/cases/{cid}/evidence/{ev['id']}/file", headers=world.stranger_party.headers).status_code
        == 403
    )
    r = client.post(
        f"/api/v1/cases/{cid}/evidence",
        files={"file": ("x.txt", b"x", "text/plain")},
        headers=world.stranger_party.headers,
    )
    assert r.status_code == 403
    r = client.post(
        f"/api/v1/cases/{cid}/evidence",
        files={"file": ("empty.txt", b"", "text/plain")},
        headers=world.coordinator.headers,
    )
    assert r.status_code == 422 and r.json()["field"] == "file"

    frozen = AisEvidence(
        kind="cpa",
        params={"mmsi": [412000001, 412000002]},
        result={"type": "FeatureCollection", "features": []},
        sources=[],
        sha256="ab" * 32,
        svg="<svg/>",
    )
    db.add(frozen)
    db.flush()
    link = {"ais_evidence_id": frozen.id, "description": "两船最近会遇点"}
    r = client.post(f"/api/v1/cases/{cid}/evidence/ais", json=link, headers=world.party.headers)
    assert r.status_code == 403
    r = client.post(f"/api/v1/cases/{cid}/evidence/ais", json=link, headers=world.assigned_mediator.headers)
    assert r.status_code == 201 and r.json()["kind"] == "ais"
    assert (
        client.post(f"/api/v1/cases/{cid}/evidence/ais", json=link, headers=world.coordinator.headers).status_code
        == 409
    )
    r = client.post(
        f"/api/v1/cases/{cid}/evidence/ais", json={"ais_evidence_id": 999999}, headers=world.coordinator.headers
    )
    assert r.status_code == 422 and r.json()["field"] == "ais_evidence_id"
    page = client.get(f"/api/v1/cases/{cid}", headers=world.party.headers).json()
    assert [e["kind"] for e in page["evidence"]] == ["file", "ais"]


def test_a_panel_member_with_an_account_sees_the_case(client, world):
    cid = world.new_case().id
    assert client.get(f"/api/v1/cases/{cid}", headers=world.other_judge.headers).status_code == 403
    r = client.post(
        f"/api/v1/cases/{cid}/members",
        json={
            "role": "judge",
            "name": "陈法官",
            "user_id": world.other_judge.user_id,
            "organisation_id": world.other_court.id,
        },
        headers=world.coordinator.headers,
    )
    assert r.status_code == 201
    assert client.get(f"/api/v1/cases/{cid}", headers=world.other_judge.headers).status_code == 200
    assert cid in _ids(client, world.other_judge)


def test_a_party_sees_the_other_side_by_name_role_and_agent_only(client, world):
    """Each party sees their own record in full and of the others what the mediation needs: name,
    side, kind, agent (no ID number, nationality, phone, contact routes, registry or account links).
    Staff see every record."""
    cid = world.new_case(
        parties=[
            {
                "side": "applicant",
                "name": "张三",
                "id_number": "330902199001011234",
                "nationality": "CN",
                "user_id": world.party.user_id,
                "contacts": [{"kind": "phone", "value": "13900000001"}],
            },
            {
                "side": "respondent",
                "name": "李四",
                "id_number": "330902198502023456",
                "agent_name": "王律师",
                "agent_authority": "special",
                "agent_phone": "13900000002",
                "user_id": world.respondent_party.user_id,
                "contacts": [{"kind": "phone", "value": "13900000003"}],
            },
        ]
    ).id
    r = client.get(f"/api/v1/cases/{cid}", headers=world.party.headers)
    assert r.status_code == 200, r.text
    mine, theirs = r.json()["parties"]
    assert (
        mine["view"] == "full"
        and mine["id_number"] == "330902199001011234"
        and mine["contacts"][0]["value"] == "13900000001"
    )
    assert theirs == {
        "view": "limited",
        "id": theirs["id"],
        "side": "respondent",
        "kind": "new_person",
        "organisation_id": None,
        "name": "李四",
        "agent_name": "王律师",
        "agent_authority": "special",
    }
    assert "330902198502023456" not in r.text and "13900000002" not in r.text and "13900000003" not in r.text
    # The other side sees the applicant the same way.
    theirs_view = client.get(f"/api/v1/cases/{cid}", headers=world.respondent_party.headers).json()["parties"]
    assert [p["view"] for p in theirs_view] == ["limited", "full"] and "330902199001011234" not in str(theirs_view)
    # Staff see everything.
    for who in ("coordinator", "assigned_mediator", "admin"):
        staff = client.get(f"/api/v1/cases/{cid}", headers=world.users[who].headers).json()["parties"]
        assert [p["view"] for p in staff] == ["full", "full"] and staff[1]["agent_phone"] == "13900000002", who
