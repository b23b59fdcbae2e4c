"""Follow-up of a settlement agreement (issue 5 §5; PML 31-32; CPL 205, 250): obligations itemised
from the AGREED payload or added later, instalments, payments with proof, statuses against a frozen
Asia/Shanghai day, the route offered when overdue, closing refused while something is owed, 回访
visits, and who may read or write what. Set-up goes through the conftest World; assertions through
the HTTP API."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from maritime_hub.audit.models import AuditEvent
from maritime_hub.db.base import Base
from maritime_hub.db.registry import load_all_models
from mediation import deadlines
from mediation.cases.rules import working_calendar
from mediation.followup import service
from tests.mediation.conftest import go, today

D = lambda s: Decimal(str(s))  # noqa: E731


def day0() -> date:
    return date.fromisoformat(today())


def obligation(world, cid: int, amount="10000", due_in: int | None = 10, instalments=None, **kw) -> dict:
    """The respondent (the shipowner company) owes the applicant (the fisher)."""
    applicant, respondent = world.party_ids(cid)
    body = {
        "obligor_party_id": respondent,
        "obligee_party_id": applicant,
        "what": "支付拖欠工资",
        "amount": str(amount),
        "place": "舟山市普陀区海上融治理中心",
        "payee_account": "6222 0000 1111 2222",
    } | kw
    if due_in is not None:
        body["due_on"] = (day0() + timedelta(days=due_in)).isoformat()
    if instalments:
        body["instalments"] = [
            {"amount": str(a), "due_on": (day0() + timedelta(days=d)).isoformat()} for a, d in instalments
        ]
    return body


def agree(client, world, obligations_of=lambda w, cid: [], **extra) -> int:
    """A case taken to MEDIATING, then to AGREED over HTTP with the obligations given."""
    cid = world.case_in("MEDIATING")
    _, payload = world.step(cid, "AGREED")
    r = go(
        client, world, cid, "AGREED", "assigned_mediator", **payload, obligations=obligations_of(world, cid), **extra
    )
    assert r.status_code == 200, r.text
    return cid


def summary(client, world, cid: int, who: str = "coordinator") -> dict:
    r = client.get(f"/api/v1/cases/{cid}/followup", headers=world.users[who].headers)
    assert r.status_code == 200, r.text
    return r.json()


def freeze(monkeypatch, days: int) -> date:
    frozen = day0() + timedelta(days=days)
    monkeypatch.setattr(service, "today", lambda: frozen)
    return frozen


def pay(client, world, cid, oid, amount, who="coordinator", **kw):
    body = {"amount": str(amount), "paid_on": today(), "method": "bank_transfer"} | kw
    return client.post(f"/api/v1/cases/{cid}/obligations/{oid}/payments", json=body, headers=world.users[who].headers)


def audits(db, action: str, case_id: int) -> int:
    return db.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == action, AuditEvent.object_id == str(case_id))
    )


# -- obligations -----------------------------------------------------------------------------------


def test_agreement_payload_creates_obligations_with_instalments(client, world, db):
    cid = agree(
        client,
        world,
        lambda w, c: [
            obligation(w, c, "10000", 10),
            obligation(w, c, "30000", None, instalments=[("10000", 15), ("20000", 45)], what="赔偿医疗费"),
        ],
    )
    s = summary(client, world, cid)
    assert s["state"] == "AGREED" and s["agreement_effective_on"] == today() and s["confirmed"] is False
    lump, split = s["obligations"]
    assert (lump["what"], D(lump["amount"]), lump["currency"], lump["status"], lump["status_zh"]) == (
        "支付拖欠工资",
        D(10000),
        "CNY",
        "due",
        "待履行",
    )
    assert lump["place"] == "舟山市普陀区海上融治理中心" and lump["payee_account"] == "6222 0000 1111 2222"
    assert lump["instalments"] == [] and lump["source"] == "agreement"
    applicant, respondent = world.party_ids(cid)
    assert (lump["obligor_party_id"], lump["obligee_party_id"]) == (respondent, applicant)
    assert split["due_on"] == (day0() + timedelta(days=45)).isoformat(), "the last instalment's day"
    assert [(i["seq"], D(i["amount"]), i["status"]) for i in split["instalments"]] == [
        (1, D(10000), "due"),
        (2, D(20000), "due"),
    ]
    assert s["totals"] == [
        {"currency": "CNY", "due": "40000.00", "paid": "0.00", "outstanding": "40000.00", "overdue": "0.00"}
    ]
    assert s["overdue"] is False and s["route"] is None and s["visits"] == []
    assert audits(db, "case.obligation.add", cid) == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"amount": "0"}, "obligations.0.amount"),
        ({"amount": "-5"}, "obligations.0.amount"),
        (
            {"instalments": [{"amount": "4000", "due_on": "2099-01-01"}, {"amount": "5000", "due_on": "2099-02-01"}]},
            "obligations.0.instalments",
        ),
        ({"due_on": "2020-01-01"}, "obligations.0.due_on"),
        ({"obligee_party_id": "OBLIGOR"}, "obligations.0.obligee_party_id"),
        ({"obligor_party_id": 999999}, "obligations.0.obligor_party_id"),
        ({"due_on": None}, "obligations.0.due_on"),
    ],
)
def test_bad_obligation_in_the_agreement_is_422_naming_the_field(client, world, db, change, field):
    cid = world.case_in("MEDIATING")
    _, payload = world.step(cid, "AGREED")
    ob = obligation(world, cid, "10000", 10)
    if change.get("obligee_party_id") == "OBLIGOR":
        change = {"obligee_party_id": ob["obligor_party_id"]}
    ob = {k: v for k, v in (ob | change).items() if v is not None}
    if "instalments" in change:
        ob.pop("due_on")
    r = go(client, world, cid, "AGREED", "assigned_mediator", **payload, obligations=[ob])
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field
    assert client.get(f"/api/v1/cases/{cid}", headers=world.coordinator.headers).json()["state"] == "MEDIATING"
    assert audits(db, "case.obligation.add", cid) == 0


def test_obligations_added_later_only_while_the_agreement_stands(client, world):
    cid = world.case_in("MEDIATING")
    url = f"/api/v1/cases/{cid}/obligations"
    r = client.post(url, json=obligation(world, cid), headers=world.coordinator.headers)
    assert r.status_code == 409, "no agreement yet"
    assert r.json()["code"] == "no_agreement"
    cid = agree(client, world)
    url = f"/api/v1/cases/{cid}/obligations"
    r = client.post(url, json=obligation(world, cid, "5000", 3), headers=world.coordinator.headers)
    assert r.status_code == 201, r.text
    assert (r.json()["source"], r.json()["status"], D(r.json()["outstanding"])) == ("added", "due", D(5000))
    bad = obligation(world, cid, "5000", None, instalments=[("1000", 3), ("1000", 5)])
    r = client.post(url, json=bad, headers=world.coordinator.headers)
    assert (r.status_code, r.json()["field"]) == (422, "instalments")
    r = client.post(url, json=obligation(world, cid, "5000", -1), headers=world.coordinator.headers)
    assert (r.status_code, r.json()["field"]) == (422, "due_on")
    assert [o["id"] for o in client.get(url, headers=world.party.headers).json()] != []


def test_a_new_agreement_after_re_mediation_supersedes_the_old_obligations(client, world, db):
    cid = agree(client, world, lambda w, c: [obligation(w, c, "9000", 10)])
    old = summary(client, world, cid)["obligations"][0]["id"]
    assert go(client, world, cid, "MEDIATING", "coordinator").status_code == 200
    _, payload = world.step(cid, "AGREED")
    r = go(
        client,
        world,
        cid,
        "AGREED",
        "assigned_mediator",
        **payload,
        obligations=[obligation(world, cid, "7000", 20, what="一次性支付工资")],
    )
    assert r.status_code == 200, r.text
    s = summary(client, world, cid)
    assert [(o["what"], D(o["amount"])) for o in s["obligations"]] == [("一次性支付工资", D(7000))]
    assert s["totals"][0]["due"] == "7000.00"
    assert pay(client, world, cid, old, "100").status_code == 404
    assert audits(db, "case.obligation.supersede", cid) == 1


# -- payments ---------------------------------------------------------------------------------------


def test_payment_with_uploaded_proof_then_by_evidence_reference(client, world, db):
    cid = agree(client, world, lambda w, c: [obligation(w, c, "30000", 10)])
    oid = summary(client, world, cid)["obligations"][0]["id"]
    content = "中国银行转账回单 10000 元".encode()
    r = client.post(
        f"/api/v1/cases/{cid}/obligations/{oid}/payments/upload",
        data={"amount": "10000", "paid_on": today(), "method": "bank_transfer", "note": "第一笔"},
        files={"file": ("回单.pdf", content, "application/pdf")},
        headers=world.assigned_mediator.headers,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert (body["status"], D(body["paid"]), D(body["outstanding"])) == ("partly_paid", D(10000), D(20000))
    proof = body["payments"][0]["proof_evidence_id"]
    case = client.get(f"/api/v1/cases/{cid}", headers=world.coordinator.headers).json()
    ev = next(e for e in case["evidence"] if e["id"] == proof)
    assert ev["file_sha256"] == hashlib.sha256(content).hexdigest()
    got = client.get(f"/api/v1/cases/{cid}/evidence/{proof}/file", headers=world.party.headers)
    assert got.status_code == 200 and got.content == content

    r = pay(client, world, cid, oid, "20000", proof_evidence_id=proof, method="wechat")
    assert r.status_code == 201, r.text
    assert (r.json()["status"], D(r.json()["outstanding"])) == ("paid", D(0))
    assert [p["method_zh"] for p in r.json()["payments"]] == ["银行转账", "微信"]
    assert audits(db, "case.obligation.payment", cid) == 2


def test_overpayment_and_bad_proof_are_422(client, world):
    cid = agree(client, world, lambda w, c: [obligation(w, c, "1000", 10)])
    other = agree(client, world)
    r = client.post(
        f"/api/v1/cases/{other}/evidence",
        files={"file": ("x.txt", b"other case", "text/plain")},
        headers=world.coordinator.headers,
    )
    foreign_proof = r.json()["id"]
    oid = summary(client, world, cid)["obligations"][0]["id"]
    assert pay(client, world, cid, oid, "600").status_code == 201
    r = pay(client, world, cid, oid, "400.01")
    assert (r.status_code, r.json()["field"]) == (422, "amount")
    assert "400.00" in r.json()["message"], "says what is still outstanding"
    r = pay(client, world, cid, oid, "100", proof_evidence_id=foreign_proof)
    assert (r.status_code, r.json()["field"]) == (422, "proof_evidence_id")
    r = pay(client, world, cid, oid, "100", currency="USD")
    assert (r.status_code, r.json()["field"]) == (422, "currency")
    r = pay(client, world, cid, oid, "100", paid_on=(day0() + timedelta(days=3)).isoformat())
    assert (r.status_code, r.json()["field"]) == (422, "paid_on")
    r = pay(client, world, cid, 999999, "100")
    assert r.status_code == 404
    assert D(summary(client, world, cid)["totals"][0]["paid"]) == D(600)


def test_statuses_due_partly_paid_paid_overdue_against_a_frozen_day(client, world, monkeypatch):
    cid = agree(
        client,
        world,
        lambda w, c: [
            obligation(w, c, "30000", None, instalments=[("10000", 10), ("20000", 40)]),
            obligation(w, c, "500", 5, what="返还船员证书押金"),
        ],
    )
    split, deposit = (o["id"] for o in summary(client, world, cid)["obligations"][::-1])

    def state(days):
        freeze(monkeypatch, days)
        s = summary(client, world, cid)
        by_id = {o["id"]: o for o in s["obligations"]}
        return by_id[split], by_id[deposit], s

    ob, dep, s = state(5)  # the last day itself is still "due"
    assert [i["status"] for i in ob["instalments"]] == ["due", "due"] and dep["status"] == "due" and s["route"] is None
    ob, dep, s = state(6)
    assert dep["status"] == "overdue" and ob["status"] == "due"
    assert (s["overdue"], s["totals"][0]["overdue"]) == (True, "500.00")
    assert pay(client, world, cid, deposit, "500").status_code == 201
    assert pay(client, world, cid, split, "4000").status_code == 201
    ob, dep, s = state(10)
    assert dep["status"] == "paid" and ob["status"] == "partly_paid"
    assert [(i["status"], D(i["paid"])) for i in ob["instalments"]] == [("partly_paid", D(4000)), ("due", D(0))]
    ob, dep, s = state(11)
    assert ob["status"] == "overdue" and D(ob["overdue_amount"]) == D(6000)
    assert [i["status_zh"] for i in ob["instalments"]] == ["逾期未履行", "待履行"]
    assert pay(client, world, cid, split, "6000").status_code == 201
    ob, dep, s = state(41)
    assert [i["status"] for i in ob["instalments"]] == ["paid", "overdue"]
    assert s["totals"] == [
        {"currency": "CNY", "due": "30500.00", "paid": "10500.00", "outstanding": "20000.00", "overdue": "20000.00"}
    ]


# -- the route on offer -------------------------------------------------------------------------------


def test_confirmed_agreement_overdue_offers_enforcement_within_two_years(client, world, monkeypatch):
    cid = agree(
        client, world, lambda w, c: [obligation(w, c, "30000", None, instalments=[("10000", 5), ("20000", 20)])]
    )
    world.advance(cid, "CONFIRM_APPLIED", "UNDER_REVIEW", "CONFIRMED", "FOLLOW_UP")
    freeze(monkeypatch, 6)
    s = summary(client, world, cid)
    assert s["confirmed"] is True and s["state"] == "FOLLOW_UP"
    route = s["route"]
    assert route["transition"] == "ENFORCEMENT"
    assert route["kind"] == "enforcement" and "CPL 250" in route["basis"] and "第250条" in route["message_zh"]
    last = day0() + timedelta(days=20)  # CPL 250: from the last instalment's day
    dl = route["deadline"]
    assert dl["start_date"] == last.isoformat() and dl["basis"] == "CPL 250"
    two_years = deadlines.add_months(last, 24)
    due = date.fromisoformat(dl["due"])
    assert two_years <= due <= two_years + timedelta(days=9), "two years, moved past a rest day at most"
    assert due == deadlines.enforcement_application(working_calendar(), last).due
    assert dl["due"] in route["message_zh"] and dl["due"] in route["message_en"]
    assert route["confirmation_possible_until"] is None


def test_unconfirmed_agreement_overdue_offers_litigation_and_says_if_confirmation_is_still_open(
    client, world, monkeypatch
):
    cid = agree(client, world, lambda w, c: [obligation(w, c, "8000", 5)])
    assert summary(client, world, cid)["route"] is None, "nothing overdue, nothing offered"
    freeze(monkeypatch, 6)
    route = summary(client, world, cid)["route"]
    assert route["transition"] == "REFERRED_LITIGATION"
    assert (
        route["kind"] == "litigation"
        and route["basis"].startswith("PML 32")
        and "人民调解法第32条" in route["message_zh"]
    )
    window = deadlines.confirmation_window(working_calendar(), day0()).due
    assert route["confirmation_possible_until"] == window.isoformat() and "CPL 205" in route["message_en"]
    freeze(monkeypatch, (window - day0()).days + 1)
    route = summary(client, world, cid)["route"]
    assert route["kind"] == "litigation" and route["confirmation_possible_until"] is None
    assert "CPL 205" not in route["message_en"]


# -- closing ------------------------------------------------------------------------------------------------


def test_follow_up_cannot_close_while_obligations_are_owed(client, world, db):
    cid = agree(client, world, lambda w, c: [obligation(w, c, "1000", 5), obligation(w, c, "2000", 9, what="赔偿网具")])
    assert go(client, world, cid, "FOLLOW_UP", "assigned_mediator").status_code == 200
    first, second = (o["id"] for o in summary(client, world, cid)["obligations"])
    r = go(client, world, cid, "CLOSED", "coordinator")
    assert r.status_code == 409
    assert r.json()["code"] == "step_refused"
    msg = r.json()["message"]
    assert "不能结案" in msg and "unpaid and not waived" in msg and "close_with_outstanding" in msg
    r = go(client, world, cid, "CLOSED", "coordinator", close_with_outstanding=True)
    assert (r.status_code, r.json()["field"]) == (422, "outstanding_reason")

    assert pay(client, world, cid, first, "1000").status_code == 201
    assert go(client, world, cid, "CLOSED", "coordinator").status_code == 409, "the second is still owed"
    r = client.post(
        f"/api/v1/cases/{cid}/obligations/{second}/waiver",
        json={"reason": "权利人书面放弃"},
        headers=world.assigned_mediator.headers,
    )
    assert r.status_code == 200 and r.json()["status"] == "waived"
    s = summary(client, world, cid)
    assert s["totals"][0]["outstanding"] == "0.00" and s["totals"][0]["due"] == "1000.00"
    assert audits(db, "case.obligation.waive", cid) == 1
    r = go(client, world, cid, "CLOSED", "coordinator")
    assert r.status_code == 200, r.text
    assert pay(client, world, cid, first, "1").status_code == 409, "an archived file takes no more payments"


def test_closing_with_outstanding_items_on_purpose(client, world):
    cid = agree(client, world, lambda w, c: [obligation(w, c, "1000", 5)])
    assert go(client, world, cid, "FOLLOW_UP", "assigned_mediator").status_code == 200
    r = go(
        client,
        world,
        cid,
        "CLOSED",
        "coordinator",
        close_with_outstanding=True,
        outstanding_reason="已告知权利人诉讼途径",
    )
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "CLOSED"


# -- visits ---------------------------------------------------------------------------------------------------


def test_visits_with_satisfaction(client, world, db):
    cid = world.case_in("MEDIATING")
    url = f"/api/v1/cases/{cid}/visits"
    visit = {
        "visited_at": f"{today()}T00:00:00",
        "channel": "on_board",
        "satisfaction": 4,
        "performing": True,
        "notes": "船东已支付第一期",
    }
    assert client.post(url, json=visit, headers=world.assigned_mediator.headers).status_code == 409, "no agreement yet"
    cid = agree(client, world)
    url = f"/api/v1/cases/{cid}/visits"
    applicant, _ = world.party_ids(cid)
    r = client.post(url, json=visit | {"party_id": applicant}, headers=world.assigned_mediator.headers)
    assert r.status_code == 201, r.text
    v = r.json()
    assert (v["channel_zh"], v["satisfaction"], v["performing"], v["party_id"]) == ("登船回访", 4, True, applicant)
    assert v["visitor_name"] and v["visitor_user_id"] == world.assigned_mediator.user_id
    for bad, field in (
        ({"satisfaction": 6}, "satisfaction"),
        ({"satisfaction": 0}, "satisfaction"),
        ({"channel": "carrier_pigeon"}, "channel"),
        ({"party_id": 999999}, "party_id"),
        ({"visited_at": "2099-01-01T09:00:00"}, "visited_at"),
    ):
        r = client.post(url, json=visit | bad, headers=world.coordinator.headers)
        assert (r.status_code, r.json()["field"]) == (422, field), (bad, r.text)
    assert (
        client.post(
            url, json=visit | {"channel": "phone", "satisfaction": 2}, headers=world.coordinator.headers
        ).status_code
        == 201
    )
    listed = client.get(url, headers=world.party.headers).json()
    assert [(x["channel"], x["satisfaction"]) for x in listed] == [("on_board", 4), ("phone", 2)]
    assert [x["satisfaction"] for x in summary(client, world, cid, "respondent_party")["visits"]] == [4, 2]
    assert audits(db, "case.visit.add", cid) == 2


# -- access ------------------------------------------------------------------------------------------------------


def test_who_reads_and_who_writes(client, world):
    cid = agree(client, world, lambda w, c: [obligation(w, c, "1000", 5)])
    oid = summary(client, world, cid)["obligations"][0]["id"]
    base = f"/api/v1/cases/{cid}"
    visit = {"visited_at": f"{today()}T00:00:00", "channel": "phone", "satisfaction": 5}

    for who in ("party", "respondent_party", "admin", "auditor", "org_mediator", "panel_chief"):
        assert client.get(f"{base}/followup", headers=world.users[who].headers).status_code == 200, who
    for who in ("stranger_party", "outside_mediator", "other_coordinator", "judge"):
        r = client.get(f"{base}/followup", headers=world.users[who].headers)
        assert r.status_code in (403, 404), (who, r.status_code)
        assert client.get(f"{base}/visits", headers=world.users[who].headers).status_code in (403, 404)

    # Role gate: parties, admin, auditors, court staff never write follow-up.
    for who in ("party", "admin", "auditor", "clerk"):
        assert pay(client, world, cid, oid, "1", who=who).status_code == 403, who
        assert client.post(f"{base}/visits", json=visit, headers=world.users[who].headers).status_code == 403, who
    # Per case: mediators and coordinators of other organisations may not write.
    for who in ("outside_mediator", "other_coordinator"):
        assert pay(client, world, cid, oid, "1", who=who).status_code == 403, who
        r = client.post(f"{base}/obligations", json=obligation(world, cid), headers=world.users[who].headers)
        assert r.status_code == 403, who
        assert client.post(f"{base}/visits", json=visit, headers=world.users[who].headers).status_code == 403, who
    # Another mediator of the organisation reads the case but does not change it.
    r = client.post(f"{base}/visits", json=visit, headers=world.org_mediator.headers)
    assert r.status_code == 403 and r.json()["code"] == "not_case_staff", r.text
    assert pay(client, world, cid, oid, "1", who="org_mediator").json()["code"] == "not_case_staff"
    # The mediator it is dispatched to, the joint-panel chief and the coordinator do.
    for who in ("assigned_mediator", "panel_chief", "coordinator"):
        assert client.post(f"{base}/visits", json=visit, headers=world.users[who].headers).status_code == 201, who
    assert pay(client, world, cid, oid, "1", who="coordinator").status_code == 201
    assert pay(client, world, cid, oid, "1", who="panel_chief").status_code == 201

    # After confirmation the court's judge sees the case, and its follow-up.
    world.advance(cid, "CONFIRM_APPLIED", "UNDER_REVIEW", "CONFIRMED")
    assert client.get(f"{base}/followup", headers=world.judge.headers).status_code == 200
    assert client.get(f"{base}/followup").status_code == 401


def test_models_match_migration(db):
    load_all_models()
    tables = {"agreement_obligation", "obligation_instalment", "obligation_payment", "followup_visit"}
    diffs = compare_metadata(MigrationContext.configure(db.connection()), Base.metadata)

    def touches(d) -> bool:
        op = d[0] if isinstance(d, list) else d
        return any(
            getattr(getattr(x, "table", None), "name", None) in tables
            or getattr(x, "name", None) in tables
            or x in tables
            for x in op[1:]
            if not isinstance(x, (dict, list))
        )

    assert [d for d in diffs if touches(d)] == []


def test_case_page_partial_renders_the_summary_in_chinese(client, world, monkeypatch):
    from maritime_hub.web.render import env

    cid = agree(client, world, lambda w, c: [obligation(w, c, "12000", None, instalments=[("2000", 3), ("10000", 8)])])
    oid = summary(client, world, cid)["obligations"][0]["id"]
    assert pay(client, world, cid, oid, "2000").status_code == 201
    freeze(monkeypatch, 9)
    data = service.case_followup(world.db, world.principal("coordinator"), cid)
    html = env.get_template("cases/_followup.html").render(followup=data)
    for text in ("回访反馈", "协议义务", "逾期未履行", "已履行", "就调解协议提起诉讼", "人民调解法第32条", "12,000"):
        assert text in html, text
