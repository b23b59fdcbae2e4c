"""Page weight in chromium (issue 14): what a mediator and a party download, counted by Chromium's
own network stack (CDP), against the budgets of docs/performance.md "Page weight"; and /docs with
every host but this one blocked."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.browser

FIRST_LOAD_BUDGET = 150 * 1024
HTMX_BUDGET = 20 * 1024


class Wire:
    """Bytes on the wire (headers + body as sent) and the URLs that went to the network."""

    def __init__(self, page) -> None:
        self.reqs: dict[str, dict] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.on("Network.requestWillBeSent", lambda e: self._r(e).update(url=e["request"]["url"]))
        cdp.on("Network.requestServedFromCache", lambda e: self._r(e).update(cached=True))
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", lambda e: self._r(e).update(bytes=e["encodedDataLength"]))
        cdp.on("Network.loadingFailed", lambda e: self._r(e).update(failed=True))
        self.page = page

    def _r(self, e: dict) -> dict:
        return self.reqs.setdefault(e["requestId"], {})

    def _response(self, e: dict) -> None:
        if e["response"].get("fromDiskCache") or e["response"].get("fromPrefetchCache"):
            self._r(e)["cached"] = True

    def fetched(self) -> dict[str, int]:
        # CDP events arrive on their own: wait until every request seen has finished.
        for _ in range(50):
            if all("bytes" in r or r.get("cached") or r.get("failed") for r in self.reqs.values() if "url" in r):
                break
            self.page.wait_for_timeout(100)
        return {
            urlparse(r["url"]).path: int(r.get("bytes", 0))
            for r in self.reqs.values()
            if "url" in r and not r["url"].startswith("data:") and not r.get("cached")
        }

    def total(self) -> int:
        return sum(self.fetched().values())

    def reset(self) -> None:
        self.reqs = {}


@pytest.fixture(scope="module")
def sessions(browser, live_server):
    """A session cookie per role, signed in once in a context of its own (its cache stays there)."""
    engine = create_engine(live_server.db_url)
    try:
        with engine.begin() as c:  # every case gets an incident position: the case pages could draw a map
            c.execute(
                text(
                    "UPDATE mediation_case SET incident_position = ST_SetSRID(ST_MakePoint(122.3, 29.9), 4326) "
                    "WHERE incident_position IS NULL"
                )
            )
    finally:
        engine.dispose()
    out = {}
    for role in ("mediator", "party"):
        ctx = browser.new_context()
        pg = ctx.new_page()
        pg.goto(f"{live_server}/login")
        pg.fill("input[name=username]", role)
        pg.fill("input[name=password]", "demo-pass-2026")
        pg.click("button[type=submit]")
        pg.wait_for_url(f"{live_server}/")
        pg.goto(f"{live_server}/cases")
        hrefs = pg.eval_on_selector_all("a[href^='/cases/']", "els => els.map(e => e.getAttribute('href'))")
        case = next(h for h in hrefs if re.fullmatch(r"/cases/\d+", h))
        out[role] = ([c for c in ctx.cookies() if c["name"] == "mh_session"], case)
        ctx.close()
    return out


@pytest.fixture
def empty_cache(browser):
    """A new context: nothing cached, only the cookies a test adds."""
    ctxs = []

    def make(cookies):
        ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
        ctx.add_cookies(cookies)
        ctxs.append(ctx)
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.js_errors = errors
        return pg, Wire(pg)

    yield make
    for ctx in ctxs:
        ctx.close()


def _open(pg, url: str) -> None:
    pg.goto(url)
    pg.wait_for_load_state("networkidle")


@pytest.mark.parametrize("role", ["mediator", "party"])
@pytest.mark.parametrize("which", ["home", "case"])
def test_first_load_fits_the_budget_and_a_repeat_load_fetches_no_static_file(
    live_server, sessions, empty_cache, role, which
):
    cookies, case = sessions[role]
    pg, wire = empty_cache(cookies)
    url = f"{live_server}{case if which == 'case' else '/'}"
    _open(pg, url)
    first = wire.fetched()
    assert any(p.startswith("/static/") for p in first), first  # the cache really was empty
    assert wire.total() <= FIRST_LOAD_BUDGET, first
    if which == "case":
        assert not any("leaflet" in p or "land" in p for p in first), first  # no map until asked for
    wire.reset()
    _open(pg, url)
    again = wire.fetched()
    assert [p for p in again if p.startswith("/static/")] == [], again  # every static file from the cache
    assert pg.js_errors == []


def test_the_case_map_loads_on_demand(live_server, sessions, empty_cache):
    cookies, case = sessions["party"]
    pg, wire = empty_cache(cookies)
    _open(pg, f"{live_server}{case}")
    assert pg.evaluate("() => window.L") is None and pg.locator("#case-map").is_hidden()
    wire.reset()
    pg.click("#show-case-map")
    pg.wait_for_selector("#case-map.leaflet-container path", state="attached")
    pg.wait_for_load_state("networkidle")
    loaded = wire.fetched()
    assert {"/static/vendor/leaflet/leaflet.js", "/static/land/land-50m.json"} <= set(loaded), loaded
    assert wire.total() <= FIRST_LOAD_BUDGET, loaded  # what the button costs, on its own
    assert pg.locator("#show-case-map").count() == 0 and pg.js_errors == []


def test_an_htmx_update_fits_its_budget(live_server, sessions, empty_cache):
    cookies, _ = sessions["mediator"]
    pg, wire = empty_cache(cookies)
    _open(pg, f"{live_server}/cases")
    wire.reset()
    with pg.expect_response(lambda r: "/cases?" in r.url and r.request.headers.get("hx-request") == "true"):
        pg.evaluate("() => htmx.trigger('#case-filters', 'submit')")
    pg.wait_for_load_state("networkidle")
    fetched = wire.fetched()
    assert list(fetched) == ["/cases"], fetched
    assert 0 < wire.total() <= HTMX_BUDGET, fetched


def test_docs_render_with_every_other_host_blocked(browser, live_server):
    """Swagger UI comes from this server (npm swagger-ui-dist): nothing is asked of another host."""
    ctx = browser.new_context()
    elsewhere: list[str] = []

    def only_here(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_here)
    ctx.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', e => "
        "window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));"
    )
    try:
        pg = ctx.new_page()
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(f"{live_server}/docs")
        pg.wait_for_selector(".opblock", timeout=30000)
        assert pg.locator(".opblock").count() > 50  # the operations are rendered
        assert pg.locator(".opblock-summary-path", has_text="/api/v1/cases").count() > 0
        pg.wait_for_load_state("networkidle")
        assert elsewhere == [] and errors == []
        assert pg.evaluate("() => window.__csp") == []
    finally:
        ctx.close()
