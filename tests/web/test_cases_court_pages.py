"""The court in the case pages: a court's clerk refers a case for mediation (委派 before filing,
委托 after) through the intake form with their court preset; a case referred to litigation shows
the court what travels with it (the undisputed facts, the failure record) and what it does next."""

from __future__ import annotations

from tests.mediation import conftest as case_world
from tests.web.test_cases_pages import page, post

world = case_world.world  # the dispute-case test world (fixture)


def _referral(world, **extra) -> dict:
    return {
        "organisation_id": str(world.org.id),
        "dispute_type": "wage_dispute",
        "incident_at": "2026-11-03T10:00",
        "description": "船员诉船东拖欠工资，法院委派调解",
        "applicant_name": "周海生",
        "respondent_org_id": str(world.make_org(name="舟山远洋船务有限公司").id),
        "referral_kind": "pre_filing_referral",
        "court_case_number": "（2026）浙72民诉前调88号",
    } | extra


def test_the_clerk_refers_a_case_with_the_court_preset(client, world):
    html = page(client, world, "clerk", "/cases/new").text
    assert 'id="referring-court"' in html and world.court.name in html
    assert 'name="intake_channel"' not in html and 'name="referring_court_id"' not in html  # preset, not chosen
    assert 'name="filer_kind"' not in html
    assert "/cases/new" in page(client, world, "clerk", "/cases").text

    r = post(client, world, "clerk", "/cases/new", _referral(world))
    assert r.status_code == 303, r.text
    case_id = int(r.headers["location"].split("/")[2].split("?")[0])
    body = client.get(f"/api/v1/cases/{case_id}", headers=world.coordinator.headers).json()
    assert body["intake_channel"] == "court_referral" and body["referring_court_id"] == world.court.id
    assert body["referral_kind"] == "pre_filing_referral" and body["organisation_id"] == world.org.id
    assert all(p["user_id"] is None for p in body["parties"])  # the clerk is no party to it
    html = page(client, world, "clerk", f"/cases/{case_id}").text  # their court's case: they read it
    assert "（2026）浙72民诉前调88号" in html and "委派" in html


def test_a_referral_keeps_what_was_typed_and_names_the_field(client, world):
    r = post(client, world, "clerk", "/cases/new", _referral(world, court_case_number=""))
    assert r.status_code == 422 and 'value="周海生"' in r.text and "法院案号" in r.text


def test_the_api_refuses_a_clerk_for_another_court_or_outside_a_referral(client, world):
    body = {
        "organisation_id": world.org.id,
        "dispute_type": "wage_dispute",
        "incident_at": "2026-11-03T10:00:00+08:00",
        "description": "委派调解",
        "parties": [{"side": "applicant", "name": "周海生"}],
        "intake_channel": "court_referral",
        "referral_kind": "pre_filing_referral",
        "referring_court_id": world.other_court.id,
        "court_case_number": "（2026）沪72民诉前调1号",
    }
    r = client.post("/api/v1/cases", json=body, headers=world.clerk.headers)
    assert r.status_code == 403
    r = client.post("/api/v1/cases", json=body | {"referring_court_id": world.court.id}, headers=world.clerk.headers)
    assert r.status_code == 201, r.text
    window = {k: v for k, v in body.items() if k not in ("referral_kind", "referring_court_id", "court_case_number")}
    r = client.post("/api/v1/cases", json=window | {"intake_channel": "window"}, headers=world.clerk.headers)
    assert r.status_code == 422 and r.json()["field"] == "intake_channel"
    assert client.post("/api/v1/cases", json=body, headers=world.judge.headers).status_code == 403


def test_the_court_sees_what_it_can_do_with_a_case_referred_to_litigation(client, world):
    cid = world.case_in("REFERRED_LITIGATION")
    for who in ("clerk", "judge"):
        html = page(client, world, who, f"/cases/{cid}").text
        assert 'id="litigation"' in html and world.court.name in html
        assert "申请人于2026年在该船工作三个月" in html  # the undisputed facts (ODR 22)
        assert "双方对金额分歧过大" in html  # why mediation failed
        assert "法院下一步" in html and "人民调解法第27条" in html
        assert "您目前对本案无可办理的操作" not in html
    # The mediation staff see the record, without the court's steps.
    html = page(client, world, "coordinator", f"/cases/{cid}").text
    assert 'id="termination-record"' in html and "法院下一步" not in html
    assert page(client, world, "other_clerk", f"/cases/{cid}").status_code == 403
