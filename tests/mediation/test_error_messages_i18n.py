"""Refusals in the reader's language (docs/architecture.md "i18n/errors"): the API answers in
English unless the client asks for Chinese; details.reasons stay English; the Chinese case page
shows the Chinese reason with its legal citation."""

from __future__ import annotations

import pytest

from maritime_hub.errors import Conflict, NotFound
from maritime_hub.messages import N_, ByLocale, Joined, Label, Msg
from tests.mediation import conftest as case_world
from tests.mediation.conftest import go
from tests.mediation.test_cases_rules import _agreed_on, _apply

world = case_world.world


def test_a_message_is_english_text_that_renders_in_chinese():
    state = ByLocale("AGREED (签订协议)", zh_CN="“签订协议”")
    err = Conflict(
        N_("a case in {state} cannot go to {target}; from here it can go to: {options}"),
        state=state,
        target=state,
        options=Joined([Label("Applicant"), Label("Respondent")]),
        field="to",
    )
    assert err.message == (
        "a case in AGREED (签订协议) cannot go to AGREED (签订协议); from here it can go to: Applicant, Respondent"
    )
    assert err.localised("zh_CN") == "处于“签订协议”阶段的案件不能转入“签订协议”；当前可转入：申请人、被申请人"
    assert err.localised("en") == err.message and err.to_dict()["message"] == err.message
    assert err.to_dict("zh_CN")["message"] == err.localised("zh_CN") and err.to_dict()["field"] == "to"
    # A reason returned by a check is a str (joins, JSON, pydantic) that still localises.
    reason = Msg(N_("user {user_id} is not an active mediator"), user_id=7)
    assert reason == "user 7 is not an active mediator" and reason.localised("zh_CN") == "用户 7 不是在职调解员"
    # Plain strings: looked up as msgids, untranslated ones stay as they are (and braces are not formatted).
    assert NotFound("Not found").localised("zh_CN") != "Not found"
    assert NotFound("no {such} thing").localised("zh_CN") == "no {such} thing"


@pytest.mark.parametrize(
    ("headers", "query", "chinese"),
    [
        ({}, "", False),
        ({"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}, "", True),
        ({"Accept-Language": "en-US,en;q=0.9,zh-CN;q=0.5"}, "", False),
        ({"Accept-Language": "en-GB,zh-CN;q=0.9"}, "", False),
        ({"Accept-Language": "fr-FR,zh;q=0.8,en;q=0.3"}, "", True),
        ({}, "?lang=zh_CN", True),
        ({"Accept-Language": "zh-CN"}, "?lang=en", False),
    ],
)
def test_refused_transition_is_english_by_default_and_chinese_when_asked(client, world, headers, query, chinese):
    cid = world.case_in("REGISTERED")
    r = client.post(
        f"/api/v1/cases/{cid}/transitions{query}", json={"to": "AGREED"}, headers=world.coordinator.headers | headers
    )
    assert r.status_code == 409, r.text
    assert r.json()["code"] == "illegal_transition"
    body = r.json()
    assert body["field"] == "to" and body["details"]["state"] == "REGISTERED"
    if chinese:
        assert body["message"].startswith("处于“受理登记”阶段的案件不能转入“签订协议”；当前可转入：“事项研判”"), body
        assert "cannot" not in body["message"]
    else:
        assert body["message"].startswith("a case in REGISTERED (受理登记) cannot go to AGREED (签订协议)"), body


def test_precondition_reasons_keep_the_legal_citation_in_both_languages(client, world, db):
    late = _agreed_on(client, world, db, "2026-06-01")
    r = _apply(client, world, late, "2026-07-02")
    assert r.status_code == 409
    assert r.json()["code"] == "deadline_passed"
    en = r.json()
    assert "CPL 205" in en["message"] and "2026-07-01" in en["message"]
    assert en["details"]["reasons"] == [en["message"]]  # one reason, English, as before
    zh = client.post(
        f"/api/v1/cases/{late}/transitions",
        headers=world.coordinator.headers | {"Accept-Language": "zh-CN"},
        json={
            "to": "CONFIRM_APPLIED",
            "applicant_party_ids": list(world.party_ids(late)),
            "court_id": world.court.id,
            "applied_on": "2026-07-02",
        },
    ).json()
    assert (
        zh["message"].startswith("已逾司法确认申请期限：协议于 2026-06-01 生效")
        and "民事诉讼法第205条" in zh["message"]
    )
    assert "2026-07-01" in zh["message"] and "人民调解法第32条" in zh["message"] and "“转诉讼”" in zh["message"]
    assert zh["details"]["reasons"] == en["details"]["reasons"]  # machine-readable reasons stay English


def test_forbidden_step_names_who_may_take_it_in_chinese(client, world):
    cid = world.case_in("REGISTERED")
    r = go(client, world, cid, "TRIAGED", "assigned_mediator", grade="general", crew_claim_basis="on_board_service")
    assert r.status_code == 403 and "may be taken only by" in r.json()["message"]
    r = client.post(
        f"/api/v1/cases/{cid}/transitions?lang=zh_CN",
        headers=world.assigned_mediator.headers,
        json={"to": "TRIAGED", "grade": "general", "crew_claim_basis": "on_board_service"},
    )
    assert (
        r.status_code == 403
        and "只能由以下人员办理" in r.json()["message"]
        and "本组织受理协调员" in r.json()["message"]
    )


def test_payload_validation_summary_follows_the_client_language(client, world):
    cid = world.case_in("REGISTERED")
    r = go(client, world, cid, "REFUSED", "coordinator")
    assert r.status_code == 422 and r.json()["message"] == "refusing_party_id: Field required"
    r = client.post(
        f"/api/v1/cases/{cid}/transitions",
        json={"to": "REFUSED"},
        headers=world.coordinator.headers | {"Accept-Language": "zh-CN"},
    )
    assert r.status_code == 422 and r.json()["message"] == "refusing_party_id：此项为必填项"
    # A request the API itself rejects (FastAPI's 422): errors[] stay English, the summary follows the client.
    r = client.post(f"/api/v1/cases/{cid}/transitions?lang=zh_CN", json={}, headers=world.coordinator.headers)
    assert r.status_code == 422 and r.json()["message"] == "to: 此项为必填项"
    assert r.json()["errors"][0]["message"] == "Field required"


def test_formerly_bilingual_messages_keep_both_languages_in_plain_text():
    from maritime_hub.messages import Bilingual

    msg = Bilingual(
        N_("case {number} is closed and archived (PML 27): nothing more can be recorded"),
        number="（2026）舟普海调字第0001号",
    )
    assert str(msg).startswith("案件（2026）舟普海调字第0001号已结案归档（人民调解法第27条），不能再登记 / case ")
    assert (
        msg.localised("en")
        == "case （2026）舟普海调字第0001号 is closed and archived (PML 27): nothing more can be recorded"
    )
    assert "/" not in msg.localised("zh_CN")
    joined = Joined([msg, Msg(N_("this obligation is already waived"))], " | ", "；")
    assert str(joined).count(" / ") == 1 and joined.localised("zh_CN").endswith("；该义务已被免除")
    assert joined.localised("en") == f"{msg.localised('en')} | this obligation is already waived"
