"""In Debian's chromium, on the demo data: a coordinator registers a wage dispute for a crew member
at sea, triages it, makes the plan and dispatches it from the candidate list (选单/派单); the
mediator sees the offer under 我的案件 and accepts it (接单). Screenshots go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from maritime_hub.audit.service import SYSTEM
from tests.web.conftest import shot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def mediators(live_server):
    """Mediator profiles for the two demo sea elders (the demo data has none)."""
    from maritime_hub.auth.models import User
    from mediation.dispatch import schemas, service
    from mediation.dispatch.repository import DispatchRepository

    engine = create_engine(live_server.db_url)
    ids = {}
    with Session(engine) as s:
        for username, ports in (("mediator", ["沈家门"]), ("mediator2", ["岱山"])):
            user = s.scalar(select(User).where(User.username == username))
            if DispatchRepository(s).profile(user.id) is None:
                service.create_profile(
                    s,
                    SYSTEM,
                    schemas.ProfileCreate(
                        user_id=user.id,
                        kind="sea_elder",
                        languages=["zh", "id"],
                        home_ports=ports,
                        sea_areas=["舟山渔场"],
                        specialties=["wage_dispute"],
                        organisation_id=user.organisation_id,
                    ),
                )
            ids[username] = user.id
        s.commit()
    engine.dispose()
    return ids


def state(page) -> str:
    return page.locator("#case-state").inner_text().strip()


def test_register_triage_dispatch_and_accept_a_wage_dispute(page, browser, live_server, mediators):
    sign_in(page, live_server, "coordinator")
    assert page.locator("nav.main a").first.inner_text() == "调解案件"
    page.click("nav.main >> text=调解案件")
    page.wait_for_url("**/cases")
    page.click("text=登记案件")
    page.wait_for_selector("form#intake")
    # The applicant: an Indonesian deckhand, at sea on a distant-water vessel of the demo fleet.
    page.fill("#person-q", "Agus Santoso")
    pick = page.locator("#people input[name=applicant_person_id]").first
    pick.wait_for()
    assert pick.get_attribute("data-vessel")
    pick.check()
    assert page.is_checked("#at-sea")
    vessel_id = page.input_value("#at-sea-vessel")
    assert vessel_id == pick.get_attribute("data-vessel")
    page.select_option("select[name=dispute_type]", "wage_dispute")
    page.fill("input[name=sea_area]", "舟山渔场")
    page.fill("input[name=lat]", "29.95")
    page.fill("input[name=lon]", "122.6")
    page.fill("input[name=amount_claimed]", "1350")
    page.fill("input[name=currency]", "USD")
    page.fill("textarea[name=description]", "船员在远洋渔船上工作三个月，船东拖欠工资，船员仍在海上作业。")
    page.select_option("select[name=respondent_org_id]", label="舟山普远远洋渔业有限公司")
    shot(page, "case-intake")
    page.click("#intake button.primary")
    page.wait_for_url(re.compile(r".*/cases/\d+\?created=1"))
    case_url = page.url.split("?")[0]
    assert state(page) == "受理登记"
    parties = page.locator("#parties").inner_text()
    assert "Agus Santoso" in parties and "海上作业，经船舶联系" in parties and "只能经船舶联系" in parties
    assert "舟山普远远洋渔业有限公司" in parties
    assert "接诉即办" in page.locator("#deadlines").inner_text()
    # The incident map is drawn only when asked for (no Leaflet on a case page's first load).
    assert page.evaluate("() => window.L") is None
    page.click("#show-case-map")
    page.wait_for_function("() => window.mhCaseMap && Object.keys(window.mhCaseMap._layers).length > 2")
    shot(page, "case-registered")

    # 事项研判: grade and the crew claim's basis; the flags are computed.
    page.select_option("#triage-form select[name=grade]", "general")
    page.select_option("#triage-form select[name=crew_claim_basis]", "on_board_service")
    page.click("#triage-form button.primary")
    page.wait_for_selector("#case-state:has-text('事项研判')")
    flags = page.locator("p.flags").inner_text()
    assert "涉外" in flags and "海事法院" in flags and "船舶优先权" in flags

    # 制定方案 through the generic step form: the plan's approach, who takes part, the schedule.
    page.click("details[data-to=PLANNED] summary")
    page.fill("details[data-to=PLANNED] textarea[name=approach]", "先背靠背分别听取意见，再视频联合调解")
    page.fill("details[data-to=PLANNED] textarea[name=participants]", "申请人、船东代表")
    page.click("details[data-to=PLANNED] button.primary")
    page.wait_for_selector("#case-state:has-text('制定方案')")

    # 选单 → 派单 to 王阿毛.
    row = page.locator(f"#candidates tr[data-mediator='{mediators['mediator']}']")
    assert "王阿毛" in row.inner_text()
    assert page.locator("#candidates tr[data-mediator]").count() >= 2
    shot(page, "case-candidates")
    row.locator("button").click()
    page.wait_for_selector("#case-state:has-text('评估分拨')")
    assert "王阿毛" in page.locator("#case-mediator").inner_text()
    number = page.locator("#case-title").inner_text().split()[0]

    # The mediator: the offer under 我的案件, then 接单.
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    try:
        mp = ctx.new_page()
        sign_in(mp, live_server, "mediator")
        mp.click("nav.main >> text=我的案件")
        offer = mp.locator(".offer", has_text=number)
        offer.wait_for()
        shot(mp, "case-mine-offer")
        offer.locator("button.primary").click()
        mp.wait_for_url("**/cases/mine")
        assert mp.locator(".offer", has_text=number).count() == 0
        mp.goto(case_url)
        assert state(mp) == "接单"
        assert "调解期限" in mp.locator("#deadlines").inner_text()
        timeline = mp.locator("#timeline").inner_text()
        assert all(s in timeline for s in ("受理登记", "事项研判", "制定方案", "评估分拨", "接单"))
        shot(mp, "case-accepted")
    finally:
        ctx.close()

    # The board shows it in its state tab; the vessel page lists it.
    page.goto(f"{live_server}/cases?state=ACCEPTED")
    assert number in page.locator("#results").inner_text()
    shot(page, "case-board")
    page.goto(f"{live_server}/vessels/{vessel_id}")
    assert number in page.locator("#linked-cases").inner_text()


def test_an_impossible_step_shows_the_reason_on_the_page(page, live_server, mediators):
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/cases")
    first = page.locator("#results tbody tr[data-case] a").first
    first.click()
    page.wait_for_selector("#case-state")
    # No step ever leads back to REGISTERED: posted directly, it comes back as a 409 page with the reason.
    case_id = page.url.rstrip("/").split("/")[-1]
    resp = page.request.post(
        f"{live_server}/cases/{case_id}/transition",
        form={"to": "REGISTERED"},
        headers={
            "X-CSRF-Token": page.evaluate("() => JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token']")
        },
    )
    assert resp.status == 409
    assert "操作未完成" in resp.text() and "Traceback" not in resp.text()


def test_the_board_highlights_deadlines_and_switches_to_english(page, live_server, mediators):
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/cases")
    rows = page.locator("#results tbody tr[data-case]")
    assert rows.count() >= 1
    # HTMX live search: typing filters the rows and pushes the URL.
    number = rows.first.locator("a").inner_text()
    page.fill("#q", number[-8:])
    page.wait_for_url("**/cases?*q=*")
    assert number in page.locator("#results").inner_text()
    page.goto(f"{live_server}/cases")
    shot(page, "case-board-demo")
    page.click("#lang-switch")
    page.wait_for_selector("nav.main >> text=Cases")
    rows.first.locator("a").click()
    page.wait_for_selector("#actions")
    assert "Next steps" in page.locator("#actions").inner_text()
    assert page.locator("#case-state").inner_text() in {
        "Registered",
        "Triaged",
        "Plan made",
        "Dispatching",
        "Accepted",
        "Investigating",
        "Mediating",
        "Agreement signed",
        "Mediation terminated",
        "Confirmation applied",
        "Under court review",
        "Not accepted by court",
        "Agreement confirmed",
        "Application dismissed",
        "Application withdrawn",
        "Follow-up",
        "Enforcement",
        "Referred to litigation",
        "Referred to labour arbitration",
        "Closed and archived",
        "Party refused mediation",
    }
    shot(page, "case-detail-en")
