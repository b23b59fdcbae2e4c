"""In Debian's chromium: sign in, search a vessel, open it; Chinese by default, English on request."""

from __future__ import annotations

import pytest

from tests.web.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def test_coordinator_signs_in_searches_and_opens_a_vessel(page, live_server):
    sign_in(page, live_server, "coordinator")
    assert page.locator("nav.main").inner_text().split()[:4] == ["调解案件", "船舶", "船员", "实时地图"]
    page.click("nav.main >> text=船舶")
    page.fill("#q", "浙普远98")
    # HTMX live search replaces the rows and pushes the URL.
    page.wait_for_url("**/vessels?q=*")
    first = page.locator("#results tbody tr").first
    assert "浙普远98" in first.inner_text()
    shot(page, "vessel-search")
    first.locator("a").first.click()
    page.wait_for_selector("h1:has-text('浙普远98')")
    body = page.locator("main").inner_text()
    assert "补给/辅助船" in body and "舟山普远远洋渔业有限公司" in body and "今日在船船员" in body
    shot(page, "vessel-detail")


def test_wrong_password_then_english(page, live_server):
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "auditor")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")
    assert "用户名或密码错误" in page.locator(".error").inner_text()
    sign_in(page, live_server, "auditor")
    page.click("#lang-switch")
    page.wait_for_selector("nav.main >> text=Vessels")
    page.goto(f"{live_server}/crew?q=陈小海")
    page.click("text=陈小海")
    page.wait_for_selector("text=AGE-01")
    assert "under 18" in page.locator("main").inner_text()
    shot(page, "crew-detail-en")


def test_vessel_form_shows_field_errors(page, live_server):
    sign_in(page, live_server, "auditor")
    page.goto(f"{live_server}/vessels/new")
    page.fill("input[name=name_zh]", "浙普渔88888")
    page.fill("input[name=mmsi]", "112345678")
    page.click("button.primary")
    assert "MMSI" in page.locator(".errors").inner_text() or "mmsi" in page.locator(".errors").inner_text()
    assert page.input_value("input[name=name_zh]") == "浙普渔88888"
    shot(page, "vessel-form-error")


def test_party_sees_no_registry(page, live_server):
    sign_in(page, live_server, "party")
    # A party sees their cases, never the registries.
    assert page.locator("nav.main a[href='/cases']").count() == 1
    assert page.locator("nav.main a[href='/vessels'], nav.main a[href='/crew'], nav.main a[href='/map']").count() == 0
    resp = page.goto(f"{live_server}/vessels")
    assert resp.status == 403
