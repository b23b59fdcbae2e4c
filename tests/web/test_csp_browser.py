"""Every main page under the Content-Security-Policy in chromium: no violation reported, as a
signed-in user would see the pages (cases board, a case with its map shown, vessels, a vessel and its
track on the map, crew, the live AIS map, the admin's home, the login page)."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser

# Collects violations before any page script runs (Playwright's init scripts are not subject to the CSP).
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) =>
  window.__csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || ''}:${e.lineNumber}`));
"""


@pytest.fixture
def csp_page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    ctx.add_init_script(LISTEN)
    pg = ctx.new_page()
    console: list[str] = []
    pg.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: console.append(f"page error: {e}"))
    pg.csp_console = console
    yield pg
    ctx.close()


def _ids(db_url: str) -> tuple[int, int, int]:
    """A case of the coordinator's with an incident position (so its page draws a map), a vessel with
    AIS positions (its page links its track on the map) and a person."""
    engine = create_engine(db_url)
    try:
        with engine.begin() as c:
            case_id = c.scalar(
                text(
                    "UPDATE mediation_case SET incident_position = ST_SetSRID(ST_MakePoint(122.3, 29.9), 4326) WHERE id = "
                    "(SELECT min(c.id) FROM mediation_case c JOIN app_user u ON u.organisation_id = c.organisation_id "
                    " WHERE u.username = 'coordinator') RETURNING id"
                )
            )
            vessel_id = c.scalar(
                text(
                    "SELECT min(v.id) FROM vessel v WHERE EXISTS "
                    "(SELECT 1 FROM ais_position p WHERE p.mmsi::text = v.mmsi)"
                )
            )
            person_id = c.scalar(text("SELECT min(id) FROM person"))
    finally:
        engine.dispose()
    assert case_id and vessel_id and person_id, (case_id, vessel_id, person_id)
    return case_id, vessel_id, person_id


def _visit(pg, url: str | None, settle: str | None = None) -> list[str]:
    """Opens `url` (None: stays on the page, after a click) and collects the violations."""
    if url:
        pg.goto(url)
    url = url or pg.url
    pg.wait_for_load_state("networkidle")
    if settle:
        pg.wait_for_selector(settle, state="attached")
    pg.wait_for_timeout(300)  # violations are reported asynchronously
    found = pg.evaluate("() => window.__csp")
    found += [m for m in pg.csp_console if "Content Security Policy" in m or "Refused to" in m]
    pg.csp_console.clear()
    return [f"{url}: {v}" for v in found]


def test_main_pages_raise_no_csp_violation(csp_page, live_server):
    pg, base = csp_page, live_server
    case_id, vessel_id, person_id = _ids(base.db_url)
    violations = _visit(pg, f"{base}/login")
    sign_in(pg, base, "coordinator")
    violations += _visit(pg, f"{base}/cases")
    violations += _visit(pg, f"{base}/cases/{case_id}")
    pg.click("#show-case-map")  # Leaflet and the land layer, loaded on demand
    violations += _visit(pg, None, settle="#case-map.leaflet-container path")
    violations += _visit(pg, f"{base}/vessels")
    violations += _visit(pg, f"{base}/vessels/{vessel_id}")
    track = pg.get_attribute("a[href^='/map']", "href")
    assert track, "the vessel page links its track on the map"
    violations += _visit(pg, f"{base}{track}", settle="#live-status.valid")
    violations += _visit(pg, f"{base}/crew")
    violations += _visit(pg, f"{base}/crew/{person_id}")
    violations += _visit(pg, f"{base}/vessels/new")
    violations += _visit(pg, f"{base}/map", settle="#live-status.valid")
    violations += _visit(pg, f"{base}/no-such-page")  # the error page
    pg.context.clear_cookies()
    sign_in(pg, base, "admin")
    violations += _visit(pg, f"{base}/")
    violations += _visit(pg, f"{base}/audit")
    violations += _visit(pg, f"{base}/stats")
    assert violations == []


def test_the_policy_is_really_enforced(csp_page, live_server):
    """The listener works: an inline script injected into a page is refused and reported."""
    pg = csp_page
    pg.goto(f"{live_server}/login")
    pg.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s); }"
    )
    pg.wait_for_timeout(300)
    assert pg.evaluate("() => window.ran") is None
    assert any("script-src" in v for v in pg.evaluate("() => window.__csp"))
