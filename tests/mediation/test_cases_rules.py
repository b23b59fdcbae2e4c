"""The legal invariants on transitions: the CPL 205 window, joint applications, the termination
record (ODR 21-22), the 3+X panel, routes of referrals, enforcement only after confirmation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from mediation.cases.models import Case
from tests.mediation.conftest import go


def _agreed_on(client, world, db, effective: str) -> int:
    """A case registered well before ``effective`` whose agreement took effect that day."""
    cid = world.case_in("MEDIATING")
    db.execute(update(Case).where(Case.id == cid).values(created_at=datetime(2026, 1, 5, tzinfo=UTC)))
    r = go(client, world, cid, "AGREED", "assigned_mediator", effective_at=effective, terms_summary="十日内付清工资")
    assert r.status_code == 200, r.text
    return cid


def _apply(client, world, cid, applied_on: str, actor: str = "coordinator", **kw):
    applicant, respondent = world.party_ids(cid)
    body = {"applicant_party_ids": [applicant, respondent], "court_id": world.court.id, "applied_on": applied_on} | kw
    return go(client, world, cid, "CONFIRM_APPLIED", actor, **body)


@pytest.mark.parametrize(
    ("effective", "last_day", "day_after", "moved"),
    [
        # 6/1 + 30 days = 7/1, a Wednesday and a workday.
        ("2026-06-01", "2026-07-01", "2026-07-02", False),
        # 9/2 + 30 days = 10/2, inside 国庆 (10/1-10/7): CPL 85 moves the last day to Thursday 10/8.
        ("2026-09-02", "2026-10-08", "2026-10-09", True),
    ],
)
def test_cpl_205_thirty_day_window(client, world, db, effective, last_day, day_after, moved):
    late = _agreed_on(client, world, db, effective)
    r = _apply(client, world, late, day_after)
    assert r.status_code == 409, r.text
    assert r.json()["details"]["reason_codes"] == ["deadline_passed"]
    assert r.json()["code"] == "deadline_passed"
    msg = r.json()["message"]
    assert "CPL 205" in msg and last_day in msg and "MEDIATING" in msg and "REFERRED_LITIGATION" in msg
    assert ("rest day" in msg) is moved
    page = client.get(f"/api/v1/cases/{late}", headers=world.coordinator.headers).json()
    assert page["state"] == "AGREED"
    offered = {s["to"]: s for s in page["allowed_transitions"]}
    assert "CPL 205" in offered["CONFIRM_APPLIED"]["blockers"][0]  # today is long past the window too
    # The way out the message offers is open.
    assert go(client, world, late, "MEDIATING", "coordinator").status_code == 200

    in_time = _agreed_on(client, world, db, effective)
    r = _apply(client, world, in_time, last_day)
    assert r.status_code == 200, r.text
    assert r.json()["confirmation_applied_on"] == last_day


def test_confirmation_window_is_shown_as_a_live_deadline(client, world):
    cid = world.case_in("AGREED")
    page = client.get(f"/api/v1/cases/{cid}", headers=world.party.headers).json()
    window = next(d for d in page["deadlines"] if d["key"] == "confirmation_window")
    assert (
        window["basis"] == "CPL 205; PML 33"
        and window["status"] in ("ok", "due_soon")
        and window["days_remaining"] >= 30
    )


def test_application_before_the_agreement_took_effect_is_refused(client, world, db):
    cid = _agreed_on(client, world, db, "2026-06-01")
    r = _apply(client, world, cid, "2026-05-31")
    assert r.status_code == 409 and "before the agreement took effect" in r.json()["message"]
    assert r.json()["code"] == "step_refused"


def test_confirmation_needs_both_parties_or_the_others_recorded_agreement(client, world):
    cid = world.case_in("AGREED")
    applicant, respondent = world.party_ids(cid)
    r = _apply(client, world, cid, None, applicant_party_ids=[applicant])
    assert r.status_code == 409
    assert r.json()["code"] == "step_refused"
    assert "jointly" in r.json()["message"] and "respondent" in r.json()["message"]
    # A party cannot vouch for the other side ...
    r = _apply(
        client, world, cid, None, actor="party", applicant_party_ids=[applicant], consenting_party_ids=[respondent]
    )
    assert r.status_code == 403
    # ... nor apply in someone else's name only.
    r = _apply(client, world, cid, None, actor="party", applicant_party_ids=[respondent])
    assert r.status_code == 403
    r = _apply(client, world, cid, None, applicant_party_ids=[applicant, 999999])
    assert r.status_code == 422 and r.json()["field"] == "applicant_party_ids"
    # The mediator records the respondent's agreement: a single-party application is then valid.
    r = _apply(
        client,
        world,
        cid,
        None,
        actor="assigned_mediator",
        applicant_party_ids=[applicant],
        consenting_party_ids=[respondent],
    )
    assert r.status_code == 200, r.text


def test_confirmation_goes_to_a_maritime_court(client, world, make_org):
    cid = world.case_in("AGREED")
    r = _apply(client, world, cid, None, court_id=make_org().id)
    assert r.status_code == 422 and r.json()["field"] == "court_id" and "MC-Scope" in r.json()["message"]


def test_court_invited_mediation_is_confirmed_by_that_court(client, world):
    case = world.new_case(
        intake_channel="court_referral",
        referral_kind="pre_filing_referral",
        referring_court_id=world.court.id,
        court_case_number="（2026）浙72民诉前调1号",
    )
    world.advance(case.id, "TRIAGED", "PLANNED", "DISPATCHING", "ACCEPTED", "INVESTIGATING", "MEDIATING", "AGREED")
    r = _apply(client, world, case.id, None, court_id=world.other_court.id)
    assert r.status_code == 409 and "CPL 205" in r.json()["message"] and str(world.court.id) in r.json()["message"]
    assert r.json()["code"] == "step_refused"
    applicant, respondent = world.party_ids(case.id)
    r = go(client, world, case.id, "CONFIRM_APPLIED", "coordinator", applicant_party_ids=[applicant, respondent])
    assert r.status_code == 200 and r.json()["confirmation_court_id"] == world.court.id


def test_post_filing_referral_has_no_judicial_confirmation(client, world):
    case = world.new_case(
        intake_channel="court_referral",
        referral_kind="post_filing_referral",
        court_procedure="summary",
        referring_court_id=world.court.id,
        court_case_number="（2026）浙72民初88号",
    )
    world.advance(case.id, "TRIAGED", "PLANNED", "DISPATCHING", "ACCEPTED")
    page = client.get(f"/api/v1/cases/{case.id}", headers=world.coordinator.headers).json()
    period = next(d for d in page["deadlines"] if d["key"].startswith("mediation_period"))
    assert period["key"] == "mediation_period_post_filing_summary" and period["amount"] == 7
    world.advance(case.id, "INVESTIGATING", "MEDIATING", "AGREED")
    r = _apply(client, world, case.id, None)
    assert r.status_code == 409 and "民事调解书" in r.json()["message"] and "FOLLOW_UP" in r.json()["message"]
    assert r.json()["code"] == "step_refused"


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({"failure_reason": "分歧大", "cost_raising_conduct": "无"}, ["undisputed_facts"]),
        ({"failure_reason": "分歧大", "cost_raising_conduct": "无", "undisputed_facts": "   "}, ["undisputed_facts"]),
        ({}, ["failure_reason", "cost_raising_conduct", "undisputed_facts"]),
    ],
)
def test_termination_needs_the_failure_record(client, world, given, missing):
    cid = world.case_in("MEDIATING")
    r = go(client, world, cid, "TERMINATED", "assigned_mediator", **given)
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "step_refused"
    msg = r.json()["message"]
    assert all(m in msg for m in missing) and "ODR 21-22" in msg
    present = {"failure_reason", "cost_raising_conduct", "undisputed_facts"} - set(missing)
    assert not any(f"{p} (" in msg for p in present)
    assert client.get(f"/api/v1/cases/{cid}", headers=world.coordinator.headers).json()["state"] == "MEDIATING"


def test_termination_record_is_carried_into_the_referral(client, world):
    cid = world.case_in("TERMINATED")
    r = go(client, world, cid, "REFERRED_LITIGATION", "coordinator", court_id=world.court.id)
    assert r.status_code == 200
    body = r.json()
    assert body["referral_record"]["undisputed_facts"] == "申请人于2026年在该船工作三个月"
    assert body["referral_record"]["cost_raising_conduct"] == "无"
    assert body["litigation_court_id"] == world.court.id
    # The court it was referred to can now read the case.
    assert client.get(f"/api/v1/cases/{cid}", headers=world.judge.headers).status_code == 200


def test_referral_follows_the_triage_route(client, world):
    maritime = world.case_in("TERMINATED")
    r = go(
        client, world, maritime, "REFERRED_ARBITRATION", "coordinator", arbitration_body="舟山市劳动人事争议仲裁委员会"
    )
    assert (
        r.status_code == 409 and "Crew-Prov 1" in r.json()["message"] and "REFERRED_LITIGATION" in r.json()["message"]
    )
    labour = world.case_in("TERMINATED", basis="other_labour")
    r = go(client, world, labour, "REFERRED_LITIGATION", "coordinator")
    assert r.status_code == 409 and "labour arbitration" in r.json()["message"]
    assert r.json()["code"] == "step_refused"
    r = go(
        client, world, labour, "REFERRED_ARBITRATION", "coordinator", arbitration_body="舟山市劳动人事争议仲裁委员会"
    )
    assert r.status_code == 200 and r.json()["referral_record"]["failure_reason"] == "双方对金额分歧过大"


def test_enforcement_needs_a_confirmation_ruling(client, world):
    cid = world.case_in("AGREED")
    world.advance(cid, "FOLLOW_UP")
    r = go(client, world, cid, "ENFORCEMENT", "party")
    assert r.status_code == 409 and "CPL 206" in r.json()["message"] and "REFERRED_LITIGATION" in r.json()["message"]
    assert r.json()["code"] == "step_refused"


def test_major_case_needs_a_3_plus_x_panel_before_dispatch(client, world):
    cid = world.case_in("REGISTERED")
    go(client, world, cid, "TRIAGED", "coordinator", grade="major", crew_claim_basis="on_board_service")
    world.advance(cid, "PLANNED")
    r = go(client, world, cid, "DISPATCHING", "coordinator", mediator_user_id=world.assigned_mediator.user_id)
    assert r.status_code == 409
    assert r.json()["code"] == "step_refused"
    for role in ("judge", "legal_aid_lawyer", "department"):
        assert role in r.json()["message"]
    assert "chief_mediator" not in r.json()["message"]  # the world's cases already have one
    for role, name in (("judge", "王法官"), ("legal_aid_lawyer", "李律师"), ("department", "区海洋与渔业局")):
        assert (
            client.post(
                f"/api/v1/cases/{cid}/members", json={"role": role, "name": name}, headers=world.coordinator.headers
            ).status_code
            == 201
        )
    r = go(client, world, cid, "DISPATCHING", "coordinator", mediator_user_id=world.assigned_mediator.user_id)
    assert r.status_code == 200, r.text
    assert {m["role"] for m in r.json()["members"]} == {"chief_mediator", "judge", "legal_aid_lawyer", "department"}


def test_dispatch_checks_the_mediator(client, world):
    cid = world.case_in("PLANNED")
    r = go(client, world, cid, "DISPATCHING", "coordinator", mediator_user_id=world.clerk.user_id)
    assert r.status_code == 422 and r.json()["field"] == "mediator_user_id"
    world.advance(cid, "DISPATCHING")
    r = go(client, world, cid, "DISPATCHING", "coordinator", mediator_user_id=world.assigned_mediator.user_id)
    assert r.status_code == 409 and "already dispatched" in r.json()["message"]
    page = client.get(f"/api/v1/cases/{cid}", headers=world.coordinator.headers).json()
    assert page["assigned_mediator_id"] == world.assigned_mediator.user_id and page["dispatched_at"]


def test_agreement_dates_are_checked(client, world):
    cid = world.case_in("MEDIATING")
    future = (datetime.now(UTC) + timedelta(days=3)).date().isoformat()
    r = go(client, world, cid, "AGREED", "assigned_mediator", effective_at=future, terms_summary="x")
    assert r.status_code == 422 and r.json()["field"] == "effective_at"
    r = go(client, world, cid, "AGREED", "assigned_mediator", effective_at="2020-01-01", terms_summary="x")
    assert r.status_code == 422 and "before the case was registered" in r.json()["message"]
    r = go(client, world, cid, "AGREED", "assigned_mediator", effective_at="2026-01-01")
    assert r.status_code == 422 and r.json()["field"] == "terms_summary"


def test_not_accepted_grounds_come_from_interp_355(client, world):
    cid = world.case_in("CONFIRM_APPLIED")
    r = go(client, world, cid, "NOT_ACCEPTED", "clerk", grounds=["UNCLEAR"], reason="内容不明")
    assert r.status_code == 422 and r.json()["field"] == "grounds" and "CPL-Interp 355" in r.json()["message"]
    r = go(client, world, cid, "REJECTED", "judge", grounds=["UNCLEAR"], reason="内容不明")
    assert r.status_code == 409  # a ruling needs the application accepted first (UNDER_REVIEW)


def test_a_party_refuses_only_for_themselves(client, world):
    cid = world.case_in("TRIAGED")
    applicant, respondent = world.party_ids(cid)
    r = go(client, world, cid, "REFUSED", "party", refusing_party_id=respondent)
    assert r.status_code == 403
    r = go(client, world, cid, "REFUSED", "party", refusing_party_id=applicant, reason="不愿调解")
    assert r.status_code == 200 and r.json()["refused_party_id"] == applicant
