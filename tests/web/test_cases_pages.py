"""Case pages over HTTP (no browser): the board's filters and search, who sees which case, the
intake form's field errors, the case page's actions and their refusals, vessel and crew pages.

The pages take the same API tokens as the JSON API, so each roster user of the case world signs
in with ``headers``; pages are Chinese for them (their locale is zh_CN)."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from maritime_hub.audit.service import SYSTEM
from tests.mediation import conftest as case_world

world = case_world.world  # the dispute-case test world (fixture)


def page(client, world, who: str, url: str, htmx: bool = False):
    headers = world.users[who].headers | ({"HX-Request": "true"} if htmx else {})
    return client.get(url, headers=headers)


def post(client, world, who: str, url: str, data: dict, **kw):
    return client.post(url, data=data, headers=world.users[who].headers, follow_redirects=False, **kw)


def numbers(html: str) -> set[str]:
    return set(re.findall(r"（\d{4}）[^<]*?号", html))


@pytest.fixture
def board(world):
    """Three cases of the world's organisation and one of another organisation."""
    from mediation.cases import schemas, service

    company = world.make_org(name="舟山鲸鲨渔业有限公司")
    vessel = world.make_vessel(name_zh="浙普渔77701")
    wage = world.new_case(sea_area="舟山渔场", description="拖欠三个月工资，船员在船")
    collision = world.new_case(
        dispute_type="collision",
        description="两船在渔场相撞",
        vessels=[{"vessel_id": vessel.id}],
        sea_area="长江口渔场",
        parties=[
            {"side": "applicant", "name": "赵大海", "user_id": world.stranger_party.user_id},
            {"side": "respondent", "organisation_id": company.id},
        ],
    )
    world.advance(collision.id, "TRIAGED", "PLANNED", "DISPATCHING")
    injury = world.new_case(dispute_type="personal_injury_at_sea", description="甲板作业受伤")
    world.advance(injury.id, "TRIAGED")
    other_coord = world.principal("other_coordinator")
    elsewhere = service.create_case(
        world.db,
        other_coord,
        schemas.CaseCreate(
            dispute_type="wage_dispute",
            incident_at=wage.incident_at,
            description="另一组织的案件",
            intake_channel="window",
            parties=[{"side": "applicant", "person_id": world.make_person().id}],
        ),
    )
    return {
        "wage": wage,
        "collision": collision,
        "injury": injury,
        "elsewhere": elsewhere,
        "company": company,
        "vessel": vessel,
    }


def test_board_lists_the_organisations_cases_with_chinese_states(client, world, board):
    r = page(client, world, "coordinator", "/cases")
    assert r.status_code == 200
    found = numbers(r.text)
    assert {board["wage"].number, board["collision"].number, board["injury"].number} <= found
    assert board["elsewhere"].number not in found
    assert "受理登记" in r.text and "评估分拨" in r.text and "事项研判" in r.text
    assert "劳资纠纷" in r.text and "船舶碰撞" in r.text
    # The state tabs count the cases.
    assert re.search(r"评估分拨 <b>1</b>", r.text)


@pytest.mark.parametrize(
    "query, expected",
    [
        ("state=DISPATCHING", {"collision"}),
        ("dispute_type=personal_injury_at_sea", {"injury"}),
        ("grade=general", {"collision", "injury"}),
        ("sea_area=长江口", {"collision"}),
        ("q=相撞", {"collision"}),
        ("q=赵大海", {"collision"}),  # a party's name
        ("q=受伤&state=TRIAGED", {"injury"}),
    ],
)
def test_board_filters_and_search(client, world, board, query, expected):
    r = page(client, world, "coordinator", f"/cases?{query}", htmx=True)
    assert r.status_code == 200
    assert "<html" not in r.text  # HTMX gets the rows only
    mine = {k: board[k].number for k in ("wage", "collision", "injury")}
    assert {k for k, n in mine.items() if n in r.text} == expected


def test_board_filters_by_vessel_company_mediator_and_number(client, world, board):
    c = board["collision"]
    for query in (
        f"vessel_id={board['vessel'].id}",
        f"company_id={board['company'].id}",
        f"mediator_id={world.assigned_mediator.user_id}",
        "q=" + c.number[-6:],
    ):
        r = page(client, world, "coordinator", f"/cases?{query}")
        assert numbers(r.text) == {c.number}, query
    # Empty selects mean "all"; junk values are ignored, never a 500.
    r = page(client, world, "coordinator", "/cases?state=&grade=&vessel_id=x&page=1")
    assert r.status_code == 200 and len(numbers(r.text)) == 3


def test_a_party_sees_only_their_own_cases(client, world, board):
    r = page(client, world, "stranger_party", "/cases")
    assert numbers(r.text) == {board["collision"].number}
    assert page(client, world, "stranger_party", f"/cases/{board['wage'].id}").status_code == 403
    r = page(client, world, "party", "/cases")  # the applicant account of the world's default cases
    assert numbers(r.text) == {board["wage"].number, board["injury"].number}
    # Parties have no registry: no people search, and no mediator's list.
    assert page(client, world, "party", "/cases/new/people?q=王").status_code == 403
    assert page(client, world, "party", "/cases/mine").status_code == 403


def test_a_mediator_of_another_organisation_cannot_open_the_case(client, world, board):
    r = page(client, world, "outside_mediator", f"/cases/{board['wage'].id}")
    assert r.status_code == 403
    assert board["wage"].number not in r.text
    assert board["wage"].number not in page(client, world, "outside_mediator", "/cases").text


def test_case_page_shows_parties_deadlines_timeline_and_triage_form(client, world, board):
    r = page(client, world, "coordinator", f"/cases/{board['wage'].id}")
    assert r.status_code == 200
    html = r.text
    assert board["wage"].number in html and "受理登记" in html
    assert "申请人" in html and "被申请人" in html
    assert (
        'id="deadlines"' in html and "接诉即办" in html and "依据: 地方实践" in html and "[U]" not in html
    )  # the basis beside it
    assert 'id="triage-form"' in html and "纠纷等级" in html
    # A party may read the page but not triage.
    r = page(client, world, "party", f"/cases/{board['wage'].id}")
    assert r.status_code == 200 and 'id="triage-form"' not in r.text


def test_triage_through_the_page_and_a_refused_step_shows_the_reason(client, world, board):
    wage = board["wage"]
    r = post(
        client,
        world,
        "coordinator",
        f"/cases/{wage.id}/transition",
        {"to": "TRIAGED", "grade": "complex", "crew_claim_basis": "on_board_service"},
    )
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{wage.id}"
    html = page(client, world, "coordinator", f"/cases/{wage.id}").text
    assert "事项研判" in html and "疑难纠纷" in html and "海事法院" in html  # grade and route flags
    # An impossible step: 409 with the workflow's reason on the page, not a stack trace.
    r = post(
        client,
        world,
        "coordinator",
        f"/cases/{wage.id}/transition",
        {"to": "AGREED", "effective_at": "2026-01-01", "terms_summary": "x"},
    )
    assert r.status_code == 409
    assert 'id="action-error"' in r.text and "不能转入“签订协议”" in r.text and "Traceback" not in r.text  # zh page
    # A bad payload is a 422 naming the field.
    r = post(client, world, "coordinator", f"/cases/{wage.id}/transition", {"to": "REFUSED"})
    assert r.status_code == 422 and "refusing_party_id" in r.text


def test_the_timeline_names_the_refusing_party_not_its_id(client, world, board):
    from mediation.cases.repository import CaseRepository

    wage = board["wage"]
    world.advance(wage.id, "REFUSED")  # by the coordinator: the respondent refuses (PML 17)
    respondent = next(p for p in CaseRepository(world.db).load(wage.id).parties if p.side.value == "respondent")
    html = page(client, world, "coordinator", f"/cases/{wage.id}").text
    assert f"拒绝调解的当事人: {respondent.name}" in html
    assert f"拒绝调解的当事人: {respondent.id}<" not in html and f"拒绝调解的当事人: {respondent.id}；" not in html


def test_dispatch_from_the_candidate_list_then_the_mediator_accepts(client, world, board):
    from mediation.dispatch import schemas as ds
    from mediation.dispatch import service as dispatch

    dispatch.create_profile(
        world.db,
        SYSTEM,
        ds.ProfileCreate(user_id=world.org_mediator.user_id, kind="sea_elder", specialties=["personal_injury_at_sea"]),
    )
    injury = board["injury"]
    world.advance(injury.id, "PLANNED")
    html = page(client, world, "coordinator", f"/cases/{injury.id}").text
    assert 'id="candidates"' in html and f'data-mediator="{world.org_mediator.user_id}"' in html
    assert "派单" in html
    r = post(
        client, world, "coordinator", f"/cases/{injury.id}/dispatch", {"mediator_user_id": world.org_mediator.user_id}
    )
    assert r.status_code == 303
    mine = page(client, world, "org_mediator", "/cases/mine").text
    assert injury.number in mine and "接单" in mine
    # Someone else cannot accept it.
    assert post(client, world, "assigned_mediator", f"/cases/{injury.id}/accept", {}).status_code == 403
    r = post(client, world, "org_mediator", f"/cases/{injury.id}/accept", {"next": "/cases/mine"})
    assert r.status_code == 303 and r.headers["location"] == "/cases/mine"
    html = page(client, world, "org_mediator", f"/cases/{injury.id}").text
    assert re.search(r'id="case-state">接单<', html)
    assert "调解期限" in html  # the mediation clock runs from acceptance (ODR 24)


def test_decline_needs_a_reason(client, world, board):
    c = board["collision"]
    r = post(client, world, "assigned_mediator", f"/cases/{c.id}/decline", {"reason": " "})
    assert r.status_code == 422 and 'id="action-error"' in r.text
    r = post(client, world, "assigned_mediator", f"/cases/{c.id}/decline", {"reason": "与当事人相识"})
    assert r.status_code == 303
    assert "已拒单" in page(client, world, "coordinator", f"/cases/{c.id}").text


def test_intake_form_errors_then_registration_with_a_crew_member_at_sea(client, world):
    from crew.schemas import BoardingCreate
    from crew.service import add_boarding

    vessel = world.make_vessel(name_zh="浙普远88801")
    person = world.make_person(name="郑海生")
    add_boarding(
        world.db, SYSTEM, person.id, BoardingCreate(vessel_id=vessel.id, embark_date=date.today() - timedelta(days=30))
    )
    company = world.make_org(name="舟山远洋测试公司")
    # The applicant picker shows where the person is aboard.
    r = page(client, world, "coordinator", "/cases/new/people?q=郑海生")
    assert "郑海生" in r.text and f'data-vessel="{vessel.id}"' in r.text
    form = {
        "dispute_type": "wage_dispute",
        "incident_at": "2026-11-01T08:00",
        "description": "",
        "applicant_person_id": str(person.id),
        "respondent_org_id": str(company.id),
        "at_sea": "on",
        "at_sea_vessel_id": str(vessel.id),
        "amount_claimed": "36000",
        "currency": "CNY",
        "lat": "29.9",
        "lon": "122.4",
    }
    r = post(client, world, "coordinator", "/cases/new", form)
    assert r.status_code == 422
    assert 'class="error"' in r.text and "description" in r.text
    assert "郑海生" in r.text  # the chosen applicant is kept
    form["description"] = "船员在船工作三个月未领工资"
    r = post(client, world, "coordinator", "/cases/new", form)
    assert r.status_code == 303, r.text
    case_id = int(r.headers["location"].split("/")[2].split("?")[0])
    html = page(client, world, "coordinator", r.headers["location"]).text
    assert "郑海生" in html and "海上作业，经船舶联系" in html and "浙普远88801" in html
    assert 'id="case-map"' in html and "36,000" in html
    # No Leaflet until the map is asked for: the button carries what to load (fingerprinted URLs).
    assert 'id="show-case-map"' in html and '<script src="/static/vendor/leaflet' not in html
    assert re.search(r'data-scripts="/static/vendor/leaflet/leaflet\.js\?v=[0-9a-f]+ ', html)
    # The vessel page and the crew page list the case; a coordinator elsewhere does not see it there.
    for url in (f"/vessels/{vessel.id}", f"/crew/{person.id}"):
        assert f"/cases/{case_id}" in page(client, world, "coordinator", url).text
        assert f"/cases/{case_id}" not in page(client, world, "other_coordinator", url).text


def test_duplicate_suggestions_after_registration(client, world):
    person = world.make_person(name="钱海明")
    company = world.make_org()
    form = {
        "dispute_type": "wage_dispute",
        "incident_at": "2026-11-02T09:00",
        "description": "欠薪",
        "applicant_person_id": str(person.id),
        "respondent_org_id": str(company.id),
    }
    first = post(client, world, "coordinator", "/cases/new", form)
    second = post(client, world, "coordinator", "/cases/new", form)
    assert first.status_code == second.status_code == 303
    html = page(client, world, "coordinator", second.headers["location"]).text
    assert 'id="duplicates"' in html and "钱海明" in html


def test_a_party_files_online_with_fewer_fields(client, world):
    company = world.make_org()
    form = {
        "organisation_id": str(world.org.id),
        "dispute_type": "wage_dispute",
        "incident_at": "2026-11-03T10:00",
        "description": "丈夫在船上被拖欠工资",
        "applicant_name": "孙小渔",
        "filer_kind": "relative",
        "filer_name": "孙妻",
        "respondent_org_id": str(company.id),
    }
    assert 'name="vessel_ids"' not in page(client, world, "stranger_party", "/cases/new").text
    r = post(client, world, "stranger_party", "/cases/new", form)
    assert r.status_code == 303, r.text
    case_url = r.headers["location"].split("?")[0]
    assert f'href="{case_url}"' in page(client, world, "stranger_party", "/cases").text
    html = page(client, world, "stranger_party", case_url).text
    assert "孙小渔" in html and "线上申请" in html
    assert 'id="duplicates"' not in html  # possible duplicates are for staff only


def test_mediators_only_for_my_cases_and_nav(client, world, board):
    html = page(client, world, "assigned_mediator", "/cases/mine").text
    assert board["collision"].number in html and "拒单" in html
    nav = page(client, world, "assigned_mediator", "/cases").text
    assert "调解案件" in nav and "我的案件" in nav
    assert "我的案件" not in page(client, world, "coordinator", "/cases").text


def test_an_agreed_case_shows_the_follow_up_section(client, world):
    case_id = world.case_in("AGREED")
    html = page(client, world, "coordinator", f"/cases/{case_id}").text
    assert 'id="followup"' in html
    assert 'id="followup"' not in page(client, world, "coordinator", f"/cases/{world.case_in('MEDIATING')}").text


def test_court_steps_through_the_generic_forms(client, world):
    case_id = world.case_in("CONFIRM_APPLIED")
    html = page(client, world, "clerk", f"/cases/{case_id}").text
    assert 'data-to="UNDER_REVIEW"' in html and 'data-to="NOT_ACCEPTED"' in html
    assert 'name="grounds" value="OUT_OF_SCOPE"' in html  # a list field as checkboxes
    # Lists arrive as repeated fields.
    r = client.post(
        f"/cases/{case_id}/transition",
        headers=world.clerk.headers,
        follow_redirects=False,
        data={"to": "NOT_ACCEPTED", "grounds": ["OUT_OF_SCOPE", "OTHER"], "reason": "不属于本院管辖"},
    )
    assert r.status_code == 303, r.text
    html = page(client, world, "clerk", f"/cases/{case_id}").text
    assert (
        "法院不予受理" in html and "不属于人民法院受理范围或本院管辖、其他情形" in html and "OUT_OF_SCOPE" not in html
    )


def test_pages_send_strangers_to_the_login_page(client):
    r = client.get("/cases", follow_redirects=False, headers={"Accept": "text/html"})
    assert r.status_code in (302, 303, 307) and "/login" in r.headers["location"]


def test_a_dispatch_posted_as_a_step_still_records_the_attempt(client, world, board):
    from mediation.dispatch import schemas as ds
    from mediation.dispatch import service as dispatch
    from mediation.dispatch.repository import DispatchRepository

    dispatch.create_profile(world.db, SYSTEM, ds.ProfileCreate(user_id=world.org_mediator.user_id, kind="invited"))
    injury = board["injury"]
    world.advance(injury.id, "PLANNED")
    r = post(
        client,
        world,
        "coordinator",
        f"/cases/{injury.id}/transition",
        {"to": "DISPATCHING", "mediator_user_id": str(world.org_mediator.user_id)},
    )
    assert r.status_code == 303
    attempts = DispatchRepository(world.db).attempts(injury.id)
    assert [(a.mediator_user_id, a.outcome) for a in attempts] == [(world.org_mediator.user_id, None)]


# -- evidence on the case page ----------------------------------------------------------------------


def _evidence_rows(world, case_id: int):
    from sqlalchemy import select

    from mediation.cases.models import CaseEvidence

    return list(world.db.scalars(select(CaseEvidence).where(CaseEvidence.case_id == case_id).order_by(CaseEvidence.id)))


def test_parties_and_the_mediator_upload_evidence_from_the_page_outsiders_cannot(client, world):
    import hashlib

    cid = world.case_in("ACCEPTED")
    r = page(client, world, "party", f"/cases/{cid}")
    assert r.status_code == 200 and 'id="evidence-upload"' in r.text and 'id="ais-freeze"' not in r.text
    payslip = "工资条 2026年8月 应发 9000 实发 0\n".encode() * 10
    r = client.post(
        f"/cases/{cid}/evidence",
        data={"description": "八月工资条"},
        headers=world.party.headers,
        files={"file": ("工资条.txt", payslip, "text/plain")},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/cases/{cid}"
    photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    r = client.post(
        f"/cases/{cid}/evidence",
        data={"description": "甲板照片"},
        headers=world.assigned_mediator.headers,
        files={"file": ("deck.png", photo, "image/png")},
        follow_redirects=False,
    )
    assert r.status_code == 303
    rows = _evidence_rows(world, cid)
    assert [(e.file_name, e.party_id is not None) for e in rows] == [("工资条.txt", True), ("deck.png", False)]

    html = page(client, world, "respondent_party", f"/cases/{cid}").text
    for e, content in zip(rows, (payslip, photo), strict=False):
        assert hashlib.sha256(content).hexdigest() in html  # the whole SHA-256, for the record
        link = f"/api/v1/cases/{cid}/evidence/{e.id}/file"
        assert link in html
        assert client.get(link, headers=world.respondent_party.headers).content == content
    assert "八月工资条" in html and "甲板照片" in html

    # Outsiders: a party of another case, a mediator of another organisation; and an empty form.
    for who in ("stranger_party", "outside_mediator"):
        r = client.post(
            f"/cases/{cid}/evidence",
            headers=world.users[who].headers,
            files={"file": ("x.txt", b"x", "text/plain")},
            follow_redirects=False,
        )
        assert r.status_code == 403, who
    r = client.post(
        f"/cases/{cid}/evidence", data={"description": "无文件"}, headers=world.party.headers, follow_redirects=False
    )
    assert r.status_code == 422 and 'id="action-error"' in r.text
    r = client.post(
        f"/cases/{cid}/evidence",
        headers=world.party.headers,
        follow_redirects=False,
        files={"file": ("empty.txt", b"", "text/plain")},
    )
    assert r.status_code == 422
    assert len(_evidence_rows(world, cid)) == 2


@pytest.fixture
def tracked_case(world):
    """A collision case whose two vessels have AIS positions around the incident."""
    from datetime import UTC, datetime

    from tests.vessels.ais_factory import insert_positions, straight

    t0 = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
    a = world.make_vessel(name_zh="浙岱渔03311", mmsi="412300311")
    b = world.make_vessel(name_zh="浙岱渔03312", mmsi="412300312")
    insert_positions(world.db, 412300311, straight(t0, 122.30, 30.20, 8, 0, 120))
    insert_positions(world.db, 412300312, straight(t0, 122.50, 30.20, -8, 0, 120))
    case = world.new_case(
        dispute_type="collision",
        description="两船夜间相撞",
        incident_at=t0 + timedelta(hours=1),
        vessels=[{"vessel_id": a.id}, {"vessel_id": b.id}],
    )
    world.advance(case.id, "TRIAGED", "PLANNED", "DISPATCHING", "ACCEPTED")
    return case, a, b


def test_the_mediator_freezes_the_ships_track_and_links_it_from_the_page(client, world, tracked_case):
    from vessels.ais.models import AisEvidence

    case, a, b = tracked_case
    html = page(client, world, "assigned_mediator", f"/cases/{case.id}").text
    assert 'id="ais-freeze"' in html and "MMSI 412300311" in html
    assert 'value="2026-11-02T03:00"' in html  # the window opens 6 h before the incident, China Standard Time
    form = {
        "kind": "track",
        "vessel_id": str(a.id),
        "start": "2026-11-02T07:30",
        "end": "2026-11-02T10:30",
        "description": "事发前后航迹",
    }
    r = post(client, world, "assigned_mediator", f"/cases/{case.id}/evidence/ais/new", form)
    assert r.status_code == 303, r.text
    (linked,) = _evidence_rows(world, case.id)
    frozen = world.db.get(AisEvidence, linked.ais_evidence_id)
    assert frozen.kind == "track" and frozen.params["mmsis"] == [412300311]
    assert frozen.params["start"].startswith("2026-11-01T23:30")  # 07:30 in Shanghai

    html = page(client, world, "party", f"/cases/{case.id}").text
    assert frozen.sha256 in html and "航迹" in html and "事发前后航迹" in html
    assert "2026-11-02 07:30 – 2026-11-02 10:30" in html  # the window in China Standard Time
    svg_url = f"/cases/{case.id}/evidence/{linked.id}/map.svg"
    assert f'src="{svg_url}"' in html
    r = page(client, world, "party", svg_url)
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml") and "<svg" in r.text
    assert page(client, world, "stranger_party", svg_url).status_code == 403

    # CPA between the two vessels involved; a vessel not in the case is refused with the field named.
    cpa = form | {"kind": "cpa", "other_vessel_id": str(b.id), "description": "两船最近会遇点"}
    assert post(client, world, "coordinator", f"/cases/{case.id}/evidence/ais/new", cpa).status_code == 303
    stranger_ship = world.make_vessel(mmsi="412399999")
    r = post(
        client, world, "coordinator", f"/cases/{case.id}/evidence/ais/new", form | {"vessel_id": str(stranger_ship.id)}
    )
    assert r.status_code == 422 and 'id="action-error"' in r.text and "请选择本案涉案船舶" in r.text
    # Parties and outside staff cannot freeze or link.
    assert post(client, world, "party", f"/cases/{case.id}/evidence/ais/new", form).status_code == 403
    assert post(client, world, "outside_mediator", f"/cases/{case.id}/evidence/ais/new", form).status_code == 403
    assert [e.kind.value for e in _evidence_rows(world, case.id)] == ["ais", "ais"]


def test_linking_a_recent_ais_evidence_record(client, world, tracked_case):
    from datetime import UTC, datetime

    from maritime_hub.audit.service import SYSTEM as system
    from vessels.ais import evidence as ais

    case, _a, _b = tracked_case
    t0 = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
    gaps = ais.freeze(world.db, system, "gaps", [412300311], t0, t0 + timedelta(hours=3), 0.5)
    html = page(client, world, "coordinator", f"/cases/{case.id}").text
    assert f'<option value="{gaps.id}">' in html  # offered in the recent list
    assert (
        post(client, world, "party", f"/cases/{case.id}/evidence/ais", {"ais_evidence_id": str(gaps.id)}).status_code
        == 403
    )
    r = post(
        client,
        world,
        "coordinator",
        f"/cases/{case.id}/evidence/ais",
        {"ais_evidence_id": str(gaps.id), "description": "AIS信号中断记录"},
    )
    assert r.status_code == 303
    assert [e.ais_evidence_id for e in _evidence_rows(world, case.id)] == [gaps.id]
    r = post(client, world, "coordinator", f"/cases/{case.id}/evidence/ais", {"ais_evidence_id": str(gaps.id)})
    assert r.status_code == 409 and 'id="action-error"' in r.text  # already in the case
    html = page(client, world, "coordinator", f"/cases/{case.id}").text
    assert gaps.sha256 in html and "AIS信号中断" in html and f'<option value="{gaps.id}">' not in html


# -- intake: court referral and more than one party ------------------------------------------------


def test_a_court_referral_with_two_applicants_and_their_agents(client, world):
    from sqlalchemy import select

    from mediation.cases.models import Case, CaseContact, CaseParty

    first, _second = world.make_person(name="王海根"), world.make_person(name="李小舟")
    owner = world.make_org(name="岱山海丰渔业有限公司")
    r = page(client, world, "coordinator", "/cases/new")
    assert world.court.name in r.text and 'name="p3_agent_authority"' in r.text and "委托调解" in r.text
    form = {
        "dispute_type": "wage_dispute",
        "incident_at": "2026-11-01T08:00",
        "description": "两名船员被拖欠工资",
        "applicant_person_id": str(first.id),
        "agent_name": "周律师",
        "agent_authority": "special",
        "applicant_phone": "13800000001",
        "respondent_org_id": str(owner.id),
        "respondent_agent_name": "船东代表",
        "respondent_agent_authority": "general",
        "respondent_contact_kind": "address",
        "respondent_contact_value": "岱山县高亭镇",
        "p1_side": "applicant",
        "p1_name": "李小舟",
        "p1_agent_name": "周律师",
        "p1_agent_authority": "general",
        "p1_contact_kind": "relative",
        "p1_contact_value": "其妻 13900000002",
        "intake_channel": "court_referral",
        "referral_kind": "pre_filing_referral",
        "referring_court_id": str(world.court.id),
        "court_case_number": "",
    }
    # The court case number is missing: the form comes back with the error beside it and the rows kept.
    r = post(client, world, "coordinator", "/cases/new", form)
    assert r.status_code == 422
    assert re.search(r'name="court_case_number"[^>]*>\s*<span class="error">', r.text)
    assert 'value="李小舟"' in r.text and 'value="其妻 13900000002"' in r.text
    # An agent authority without the agent's name in an extra row is marked on that row.
    r = post(
        client,
        world,
        "coordinator",
        "/cases/new",
        form | {"court_case_number": "（2026）浙72民诉前调18号", "p1_agent_name": ""},
    )
    assert r.status_code == 422
    row = re.search(r'<tr data-row="1">.*?</tr>', r.text, re.S).group(0)
    assert '<span class="error">' in row  # the message itself is the API's
    form["court_case_number"] = "（2026）浙72民诉前调18号"
    r = post(client, world, "coordinator", "/cases/new", form)
    assert r.status_code == 303, r.text
    case_id = int(r.headers["location"].split("/")[2].split("?")[0])
    case = world.db.get(Case, case_id)
    assert (case.intake_channel.value, case.referral_kind.value, case.referring_court_id) == (
        "court_referral",
        "pre_filing_referral",
        world.court.id,
    )
    parties = list(world.db.scalars(select(CaseParty).where(CaseParty.case_id == case_id).order_by(CaseParty.id)))
    assert [(p.side.value, p.name, p.agent_name, p.agent_authority and p.agent_authority.value) for p in parties] == [
        ("applicant", "王海根", "周律师", "special"),
        ("respondent", "岱山海丰渔业有限公司", "船东代表", "general"),
        ("applicant", "李小舟", "周律师", "general"),
    ]
    contacts = {
        (c.kind.value, c.value)
        for c in world.db.scalars(select(CaseContact).where(CaseContact.party_id.in_([p.id for p in parties])))
    }
    assert contacts == {("phone", "13800000001"), ("address", "岱山县高亭镇"), ("relative", "其妻 13900000002")}

    html = page(client, world, "coordinator", r.headers["location"]).text
    assert "委派调解" in html and "（2026）浙72民诉前调18号" in html and world.court.name in html
    assert "当事人选定调解员" in html and "ODR 10" in html  # the ODR-rule deadline of a referred case
    assert "李小舟" in html and "特别授权" in html


def test_a_post_filing_referral_records_the_court_procedure(client, world):
    from mediation.cases.models import Case

    form = {
        "dispute_type": "collision",
        "incident_at": "2026-10-20T21:00",
        "description": "两船相撞，法院立案后委托调解",
        "applicant_person_id": str(world.make_person().id),
        "p1_side": "respondent",
        "p1_name": "陈船长",
        "intake_channel": "court_referral",
        "referral_kind": "post_filing_referral",
        "court_procedure": "summary",
        "referring_court_id": str(world.court.id),
        "court_case_number": "（2026）浙72民初55号",
    }
    r = post(client, world, "coordinator", "/cases/new", form)
    assert r.status_code == 303, r.text
    case = world.db.get(Case, int(r.headers["location"].split("/")[2].split("?")[0]))
    assert case.referral_kind.value == "post_filing_referral" and case.court_procedure.value == "summary"
    assert "简易程序" in page(client, world, "coordinator", r.headers["location"]).text
    # Referral fields are ignored unless the channel is a court referral.
    form |= {"intake_channel": "window", "court_case_number": "（2026）浙72民初56号"}
    r = post(client, world, "coordinator", "/cases/new", form)
    assert r.status_code == 303
    assert world.db.get(Case, int(r.headers["location"].split("/")[2].split("?")[0])).referral_kind is None


def test_timeline_values_itemised_elsewhere_are_counted_not_dumped():
    from maritime_hub.web import i18n
    from maritime_hub.web.cases_forms import field_label, payload_value

    token = i18n.current_locale.set("zh_CN")
    try:
        assert field_label("obligations") == "履行义务"
        assert (
            payload_value([{"obligor_party_id": 1, "amount": "100"}, {"obligor_party_id": 2}], "obligations") == "2 项"
        )
        assert payload_value(["a", "b"], "grounds") == "a、b"
    finally:
        i18n.current_locale.reset(token)
