"""The pages at a phone's width (390 × 844, issue 14 §4): the demo party signs in and nothing is
wider than the screen (tables scroll inside their own box), and the nav is one line or behind a
menu button."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.web.conftest import shot, sign_in

pytestmark = pytest.mark.browser

WIDTH = 390


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(viewport={"width": WIDTH, "height": 844}, locale="zh-CN")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    yield pg
    ctx.close()
    assert errors == [], f"JavaScript errors: {errors}"


def party_case(live_server) -> int:
    engine = create_engine(live_server.db_url)
    with engine.connect() as c:
        case = c.execute(
            text("SELECT p.case_id FROM case_party p JOIN app_user u ON u.id = p.user_id WHERE u.username = 'party'")
        ).scalar()
    engine.dispose()
    assert case is not None
    return case


def nav_fits(pg) -> bool:
    """The nav takes one line, or is folded behind a menu button that is shown instead."""
    return pg.evaluate(
        """() => {
        const nav = document.querySelector('nav.main');
        const toggle = document.querySelector('#nav-toggle');
        if (toggle && toggle.offsetParent !== null && (nav.offsetParent === null || nav.getBoundingClientRect().height === 0)) return true;
        const links = [...nav.querySelectorAll('a')].filter(a => a.offsetParent !== null);
        const tops = new Set(links.map(a => Math.round(a.getBoundingClientRect().top)));
        return tops.size <= 1;
    }"""
    )


def test_party_pages_fit_a_phone(live_server, phone):
    base = str(live_server)
    sign_in(phone, base, "party")
    case = party_case(live_server)
    for path in ("/", "/cases", f"/cases/{case}", "/notifications"):
        phone.goto(f"{base}{path}")
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("() => document.documentElement.scrollWidth")
        assert width <= WIDTH, f"{path} is {width} px wide"
        assert nav_fits(phone), path
        shot(phone, f"phone-{path.strip('/').replace('/', '-') or 'home'}")
    # The page's link-buttons ("mark all read", "open") are in the page's ink, not the header's white.
    for button in phone.locator("main button.link").all():
        assert button.evaluate("b => getComputedStyle(b).color") != "rgb(255, 255, 255)"
    assert phone.locator("#read-all").count() == 1  # the demo party has unread notifications
    # The menu opens and shows the links.
    toggle = phone.locator("#nav-toggle")
    if toggle.is_visible():
        toggle.click()
        assert phone.locator("nav.main a[href='/notifications']").is_visible()
        assert phone.evaluate("() => document.documentElement.scrollWidth") <= WIDTH
