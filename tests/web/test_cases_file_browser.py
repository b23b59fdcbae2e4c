"""In chromium, on the demo data: the coordinator gives the demo's collision case its second vessel
from the case page, and the court's clerk reads a case referred to litigation (screenshots in
test-artifacts/: case-second-vessel.png, case-litigation-court.png)."""

from __future__ import annotations

from tests.web.conftest import shot, sign_in


def _case_url(page, base: str, description: str) -> str:
    page.goto(f"{base}/cases?q={description}")
    return page.locator("#results a[href^='/cases/']:not([href*='?'])").first.get_attribute("href")


def test_the_coordinator_adds_a_second_vessel_to_the_collision_case(page, live_server):
    sign_in(page, live_server, "coordinator")
    url = _case_url(page, live_server, "沈家门码头渔船擦碰")
    page.goto(f"{live_server}{url}")
    before = page.locator("#vessels > ul > li").count()
    page.click("#add-vessels summary")
    page.locator("#add-vessels select[name=vessel_ids] option").nth(0).click()
    page.fill("#add-vessels input[name=role]", "受损船")
    page.click("#add-vessels button.primary")
    page.wait_for_url(f"**{url}**")
    assert page.locator("#vessels > ul > li").count() == before + 1
    assert "受损船" in page.locator("#vessels").inner_text()
    # Both vessels are offered for a CPA freeze.
    assert page.locator("#ais-freeze select[name=other_vessel_id] option").count() >= 3
    shot(page, "case-second-vessel")


def test_the_clerk_reads_a_case_referred_to_litigation(page, live_server):
    sign_in(page, live_server, "clerk")
    url = _case_url(page, live_server, "船员在作业中手部受伤索赔")
    page.goto(f"{live_server}{url}")
    text = page.locator("#litigation").inner_text()
    assert "法院下一步" in text and "事故发生时间、地点及船舶身份无争议" in text
    shot(page, "case-litigation-court")
