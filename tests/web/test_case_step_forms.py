"""The case page's step and follow-up forms over HTTP (issue 14 §2): a refused step comes back open
with what was typed and each error beside its input, in the reader's language; 签订协议 takes its
obligations as rows; payments (with proof), waivers and 回访 visits from the page; 结案存档 says
what the follow-up still lacks; 实地调查 skipped with a reason; 制定方案 records its parts.

Roster users sign in with their API tokens; pages are Chinese for them (locale zh_CN)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from maritime_hub.audit.models import AuditEvent
from tests.mediation import conftest as case_world
from tests.mediation.conftest import today

world = case_world.world  # the dispute-case test world (fixture)


def post(client, world, who: str, url: str, data: dict, **kw):
    return client.post(url, data=data, headers=world.users[who].headers, follow_redirects=False, **kw)


def error_at(html: str, field: str) -> str:
    m = re.search(rf'data-field="{re.escape(field)}">([^<]*)<', html)
    assert m, f"no error beside {field}"
    return m[1]


def agreement_form(world, cid: int, **rows) -> dict:
    applicant, respondent = world.party_ids(cid)
    return {
        "to": "AGREED",
        "effective_at": today(),
        "terms_summary": "船东分两期支付拖欠工资",
        "ob0_obligor_party_id": str(respondent),
        "ob0_obligee_party_id": str(applicant),
        "ob0_what": "支付拖欠工资",
        "ob0_amount": "30000",
        "ob0_currency": "CNY",
        "ob0_due_on": (date.fromisoformat(today()) + timedelta(days=10)).isoformat(),
    } | rows


def test_a_refused_agreement_comes_back_open_with_what_was_typed_and_chinese_errors_by_row(client, world):
    cid = world.case_in("MEDIATING")
    applicant, respondent = world.party_ids(cid)
    future = (date.fromisoformat(today()) + timedelta(days=3)).isoformat()
    form = agreement_form(
        world,
        cid,
        effective_at=future,
        ob0_amount="-5",
        # the second row the mediator added (the script numbers it 3 after removing rows 1 and 2)
        ob3_obligor_party_id=str(applicant),
        ob3_obligee_party_id=str(respondent),
        ob3_what="撤回起诉",
        ob3_amount="",
    )
    r = post(client, world, "assigned_mediator", f"/cases/{cid}/transition", form)
    assert r.status_code == 422
    html = r.text
    assert 'id="agreement" open' in html
    assert "是未来的日期" in error_at(html, "effective_at")
    assert error_at(html, "obligations.0.amount") == "应大于 0"
    assert error_at(html, "obligations.1.amount") == "此项为必填项"  # row 3 as typed is the second row
    assert 'name="ob1_what" value="撤回起诉"' in html and 'name="ob0_amount" value="-5"' in html
    assert "船东分两期支付拖欠工资</textarea>" in html
    for internal in ("Input should be", "is in the future", "obligations.0：", "ObligationIn"):
        assert internal not in html
    # The same form in English.
    r = client.post(
        f"/cases/{cid}/transition",
        data=form,
        headers=world.assigned_mediator.headers | {"Cookie": "mh_lang=en"},
        follow_redirects=False,
    )
    assert "is in the future" in error_at(r.text, "effective_at")


def test_an_obligation_the_service_refuses_lands_beside_its_row(client, world):
    cid = world.case_in("MEDIATING")
    applicant, _ = world.party_ids(cid)
    form = agreement_form(world, cid, ob0_obligee_party_id="", ob5_what="", ob5_amount="")  # a blank row is dropped
    form["ob0_obligor_party_id"] = str(applicant)
    form["ob0_obligee_party_id"] = str(applicant)
    r = post(client, world, "assigned_mediator", f"/cases/{cid}/transition", form)
    assert r.status_code == 422, r.text
    assert "双方" in error_at(r.text, "obligations.0.obligee_party_id") or "同为" in error_at(
        r.text, "obligations.0.obligee_party_id"
    )
    assert 'id="agreement" open' in r.text and 'id="case-state">组织调解<' in r.text  # nothing kept


def test_an_agreement_with_rows_and_instalments_is_tracked_in_the_follow_up(client, world):
    from mediation.followup.repository import FollowUpRepository

    cid = world.case_in("MEDIATING")
    d0 = date.fromisoformat(today())
    form = agreement_form(
        world,
        cid,
        ob0_due_on="",
        ob0_in0_amount="10000",
        ob0_in0_due_on=(d0 + timedelta(days=5)).isoformat(),
        ob0_in2_amount="20000",
        ob0_in2_due_on=(d0 + timedelta(days=35)).isoformat(),
        ob0_payee_account="6222 0000 1111 2222",
    )
    r = post(client, world, "assigned_mediator", f"/cases/{cid}/transition", form)
    assert r.status_code == 303, r.text
    (ob,) = FollowUpRepository(world.db).obligations(cid)
    assert (ob.what, str(ob.amount), ob.currency, ob.due_on) == ("支付拖欠工资", "30000.00", "CNY", d0 + timedelta(35))
    assert [str(i.amount) for i in ob.instalments] == ["10000.00", "20000.00"]
    html = client.get(f"/cases/{cid}", headers=world.assigned_mediator.headers).text
    assert 'id="obligation-' in html and "分期" in html


def test_a_refused_step_keeps_the_form_open_and_says_why(client, world):
    cid = world.case_in("TERMINATED")  # routed to the maritime court: no labour arbitration
    form = {"to": "REFERRED_ARBITRATION", "arbitration_body": "舟山市劳动人事争议仲裁委员会"}
    r = post(client, world, "coordinator", f"/cases/{cid}/transition", form)
    assert r.status_code == 409 and 'id="action-error"' in r.text
    assert 'data-to="REFERRED_ARBITRATION" data-step="REFERRED_ARBITRATION" open' in r.text
    assert 'value="舟山市劳动人事争议仲裁委员会"' in r.text and "劳动仲裁仅受理" in r.text


def test_the_plan_records_its_parts_and_the_timeline_shows_them_in_chinese(client, world):
    cid = world.case_in("TRIAGED")
    html = client.get(f"/cases/{cid}", headers=world.coordinator.headers).text
    assert 'name="approach"' in html and 'name="participants"' in html and 'name="schedule"' in html
    r = post(client, world, "coordinator", f"/cases/{cid}/transition", {"to": "PLANNED", "schedule": "下周"})
    assert r.status_code == 422 and error_at(r.text, "approach") == "此项为必填项"
    assert "下周</textarea>" in r.text
    plan = {
        "to": "PLANNED",
        "approach": "背靠背调解后视频联合调解",
        "participants": "申请人、船东代表、渔村调解员",
        "schedule": "三日内完成调查",
    }
    assert post(client, world, "coordinator", f"/cases/{cid}/transition", plan).status_code == 303
    timeline = client.get(f"/cases/{cid}", headers=world.coordinator.headers).text.split('id="timeline"')[1]
    assert "调解思路与方式: 背靠背调解后视频联合调解" in timeline
    assert "参加人员: 申请人、船东代表、渔村调解员" in timeline and "时间安排: 三日内完成调查" in timeline


def test_a_remote_mediation_skips_the_field_investigation_with_a_reason(client, world, db):
    cid = world.case_in("ACCEPTED")
    html = client.get(f"/cases/{cid}", headers=world.assigned_mediator.headers).text
    assert 'data-step="SKIP_INVESTIGATION"' in html and "免实地调查" in html
    r = post(client, world, "assigned_mediator", f"/cases/{cid}/transition", {"to": "MEDIATING"})
    assert r.status_code == 422 and error_at(r.text, "skip_reason") == "此项为必填项"
    assert 'data-step="SKIP_INVESTIGATION" open' in r.text
    # Not for another mediator of the organisation: the same people as 实地调查.
    reason = {"to": "MEDIATING", "skip_reason": "远程视频调解，申请人在远洋渔船上"}
    assert post(client, world, "org_mediator", f"/cases/{cid}/transition", reason).status_code == 403
    assert post(client, world, "assigned_mediator", f"/cases/{cid}/transition", reason).status_code == 303
    html = client.get(f"/cases/{cid}", headers=world.assigned_mediator.headers).text
    assert 'id="case-state">组织调解<' in html
    assert "免实地调查理由: 远程视频调解，申请人在远洋渔船上" in html.split('id="timeline"')[1]
    event = db.scalars(
        select(AuditEvent).where(AuditEvent.action == "case.transition", AuditEvent.object_id == str(cid))
    ).all()[-1]
    assert event.after["transition"] == "ACCEPTED->MEDIATING"
    assert event.after["payload"]["skip_reason"] == "远程视频调解，申请人在远洋渔船上"


def _followup_case(client, world) -> tuple[int, int]:
    cid = world.case_in("MEDIATING")
    assert (
        post(client, world, "assigned_mediator", f"/cases/{cid}/transition", agreement_form(world, cid)).status_code
        == 303
    )
    world.advance(cid, "FOLLOW_UP")
    from mediation.followup.repository import FollowUpRepository

    (ob,) = FollowUpRepository(world.db).obligations(cid)
    return cid, ob.id


def test_payments_waivers_and_visits_from_the_page_then_closing(client, world):
    cid, oid = _followup_case(client, world)
    html = client.get(f"/cases/{cid}", headers=world.coordinator.headers).text
    # 结案存档 is refused until the follow-up is recorded, and the page says what is missing.
    missing = html.split('id="closing-missing"')[1].split("</div>")[0]
    assert "结案前" in missing and "支付拖欠工资" in missing and "30,000" in missing
    assert f'action="/cases/{cid}/obligations/{oid}/payments"' in html and f'id="waiver-{oid}"' in html
    r = post(client, world, "coordinator", f"/cases/{cid}/transition", {"to": "CLOSED"})
    assert r.status_code == 409 and 'id="closing-missing"' in r.text

    # An overpayment: the payment form again, open, with what was typed and the reason beside the amount.
    pay = {"amount": "40000", "currency": "CNY", "paid_on": today(), "method": "wechat", "note": "第一笔"}
    r = post(client, world, "assigned_mediator", f"/cases/{cid}/obligations/{oid}/payments", pay)
    assert r.status_code == 422 and f'id="payment-{oid}" open' in r.text
    assert "超过尚欠的 30000.00 CNY" in error_at(r.text, "amount") and 'value="第一笔"' in r.text
    assert '<option value="wechat" selected>微信</option>' in r.text
    future = (date.fromisoformat(today()) + timedelta(days=2)).isoformat()
    r = post(client, world, "assigned_mediator", f"/cases/{cid}/obligations/{oid}/payments", pay | {"paid_on": future})
    assert r.status_code == 422 and "是未来的日期" in error_at(r.text, "paid_on")

    # A payment with its proof: kept as case evidence.
    pay |= {"amount": "10000"}
    files = {"file": ("转账凭证.png", b"\x89PNG proof", "image/png")}
    r = post(client, world, "assigned_mediator", f"/cases/{cid}/obligations/{oid}/payments", pay, files=files)
    assert r.status_code == 303, r.text
    html = client.get(f"/cases/{cid}", headers=world.coordinator.headers).text
    assert "转账凭证.png" in html and "付款凭证" in html and "20,000" in html.split('id="closing-missing"')[1]

    # A visit: refused in the future, then recorded.
    visit = {
        "visited_at": f"{future}T10:00",
        "channel": "video",
        "satisfaction": "4",
        "performing": "yes",
        "notes": "船东称下月付清",
    }
    r = post(client, world, "assigned_mediator", f"/cases/{cid}/visits", visit)
    assert r.status_code == 422 and 'id="visit" open' in r.text and "回访时间不能" in error_at(r.text, "visited_at")
    assert "船东称下月付清</textarea>" in r.text
    visit["visited_at"] = today() + "T00:01"
    assert post(client, world, "assigned_mediator", f"/cases/{cid}/visits", visit).status_code == 303

    # A waiver without its reason, then with it; then the case closes.
    r = post(client, world, "assigned_mediator", f"/cases/{cid}/obligations/{oid}/waiver", {"reason": " "})
    assert r.status_code == 422 and error_at(r.text, "reason") == "此项为必填项"
    r = post(
        client, world, "assigned_mediator", f"/cases/{cid}/obligations/{oid}/waiver", {"reason": "申请人书面放弃余款"}
    )
    assert r.status_code == 303
    html = client.get(f"/cases/{cid}", headers=world.coordinator.headers).text
    assert 'id="closing-missing"' not in html and "视频回访" in html and "船东称下月付清" in html
    assert post(client, world, "coordinator", f"/cases/{cid}/transition", {"to": "CLOSED"}).status_code == 303


def test_follow_up_forms_only_for_those_who_may_change_the_case(client, world):
    cid, oid = _followup_case(client, world)
    for who in ("party", "org_mediator"):
        html = client.get(f"/cases/{cid}", headers=world.users[who].headers).text
        assert 'id="followup"' in html and f'id="payment-{oid}"' not in html and 'id="visit"' not in html
    pay = {"amount": "1", "paid_on": today(), "method": "cash"}
    assert post(client, world, "party", f"/cases/{cid}/obligations/{oid}/payments", pay).status_code == 403
    r = post(client, world, "org_mediator", f"/cases/{cid}/obligations/{oid}/payments", pay)
    assert r.status_code == 403 and 'id="action-error"' in r.text
