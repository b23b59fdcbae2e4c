"""Page weight: bytes on the wire and requests per page, for each demo role, in chromium.

`mh serve` runs in a separate process on a fresh copy of the demo data in which every case has an
incident position (so a case page is one with an incident map). Each role signs in once; then for
each page it opens: a first load in an empty cache (a new browser context holding only the session
cookie) and a repeat load in the same context. Bytes are what Chromium's network stack counted on
the wire (CDP `Network.loadingFinished` encodedDataLength: headers plus the body as sent, compressed
or not); requests are those that went to the network (a response from the browser's cache is not
counted, a 304 revalidation is). "static again" counts /static/ files fetched again on the repeat
load. Also per role: one HTMX update (the case board's filter) and, on a case page, what the
"显示地图" button loads when there is one. Pages a role may not open (403) are left out.

First paint: the case page and the home page opened as a mediator and a party (and the live map as
a mediator) at 64 kbit/s and 800 ms added latency per request (CDP `Network.emulateNetworkConditions`),
first-contentful-paint from the Paint Timing API.

Targets (issue 14): first load <= 150 KB on every page a mediator or party opens, <= 20 KB per HTMX
update, no static file fetched again on a repeat load, first paint <= 5 s throttled.

`--quick`: the mediator and the party only, first paint on the case page only. The last line is
`name=value` pairs.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field

from _common import free_port, fresh_database, run_mh, start_server, summary_line

PASSWORD = "demo-pass-2026"
ROLES = ("admin", "coordinator", "mediator", "auditor", "clerk", "judge", "party")
QUICK_ROLES = ("mediator", "party")
PAGES = ("/", "/cases", "case", "/map", "/notifications", "/crew", "/vessels")
BUDGET_KB, HTMX_BUDGET_KB, PAINT_BUDGET_S = 150, 20, 5.0
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
# 64 kbit/s both ways, 800 ms round trip (a VSAT link as a fishing vessel has it).
SATELLITE = {"offline": False, "latency": 800, "downloadThroughput": 8000, "uploadThroughput": 8000}


@dataclass
class Load:
    bytes: int = 0
    requests: int = 0
    static_again: int = 0
    status: int = 0
    by_url: dict[str, int] = field(default_factory=dict)


class Wire:
    """What one page sent and received, from Chromium's own network events (CDP)."""

    def __init__(self, page) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.reqs: dict[str, dict] = {}
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestServedFromCache", lambda e: self._req(e).update(cached=True))
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", lambda e: self._req(e).update(bytes=e["encodedDataLength"]))

    def _req(self, e: dict) -> dict:
        return self.reqs.setdefault(e["requestId"], {})

    def _sent(self, e: dict) -> None:
        r = self._req(e)
        r["url"] = e["request"]["url"]
        r.setdefault("first", r["url"])

    def _response(self, e: dict) -> None:
        resp = e["response"]
        r = self._req(e)
        r["status"] = resp["status"]
        if resp.get("fromDiskCache") or resp.get("fromPrefetchCache") or resp.get("fromServiceWorker"):
            r["cached"] = True

    def reset(self) -> None:
        self.reqs = {}

    def tally(self) -> Load:
        out = Load()
        for r in self.reqs.values():
            if "url" not in r or r["url"].startswith("data:") or r.get("cached"):
                continue
            out.requests += 1
            out.bytes += int(r.get("bytes", 0))
            path = re.sub(r"^https?://[^/]+", "", r["url"])
            out.by_url[path] = out.by_url.get(path, 0) + int(r.get("bytes", 0))
            if path.startswith("/static/"):
                out.static_again += 1
        return out


def session_cookies(browser, base: str, username: str) -> list[dict]:
    ctx = browser.new_context()
    try:
        pg = ctx.new_page()
        pg.goto(f"{base}/login")
        pg.fill("input[name=username]", username)
        pg.fill("input[name=password]", PASSWORD)
        pg.click("button[type=submit]")
        pg.wait_for_url(f"{base}/")
        return [c for c in ctx.cookies() if c["name"] == "mh_session"]
    finally:
        ctx.close()


def fresh_context(browser, cookies: list[dict]):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    ctx.add_cookies(cookies)
    return ctx


def a_case(browser, base: str, cookies: list[dict]) -> str | None:
    ctx = fresh_context(browser, cookies)
    try:
        pg = ctx.new_page()
        pg.goto(f"{base}/cases")
        for href in pg.eval_on_selector_all("a[href^='/cases/']", "els => els.map(e => e.getAttribute('href'))"):
            if re.fullmatch(r"/cases/\d+", href):
                return href
        return None
    finally:
        ctx.close()


def settle(pg) -> None:
    pg.wait_for_load_state("networkidle")
    pg.wait_for_timeout(200)


def measure_page(browser, base: str, cookies: list[dict], path: str) -> dict[str, Load]:
    ctx = fresh_context(browser, cookies)
    try:
        pg = ctx.new_page()
        wire = Wire(pg)
        resp = pg.goto(f"{base}{path}")
        settle(pg)
        first = wire.tally()
        first.status = resp.status if resp else 0
        if first.status != 200:
            return {"first": first}
        first.static_again = 0
        wire.reset()
        pg.goto(f"{base}{path}")
        settle(pg)
        out = {"first": first, "repeat": wire.tally()}
        if path.startswith("/cases/") and pg.locator("#show-case-map").count():
            wire.reset()
            pg.click("#show-case-map")
            pg.wait_for_selector("#case-map.leaflet-container path", state="attached", timeout=30000)
            settle(pg)
            out["map button"] = wire.tally()
        if path == "/cases" and pg.locator("#case-filters").count():
            wire.reset()
            pg.evaluate("() => htmx.trigger('#case-filters', 'submit')")
            settle(pg)
            out["htmx update"] = wire.tally()
        return out
    finally:
        ctx.close()


def first_paint(browser, base: str, cookies: list[dict], path: str) -> float:
    ctx = fresh_context(browser, cookies)
    try:
        pg = ctx.new_page()
        cdp = ctx.new_cdp_session(pg)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SATELLITE)
        pg.goto(f"{base}{path}", wait_until="commit", timeout=120000)
        pg.wait_for_function(
            "() => performance.getEntriesByName('first-contentful-paint').length", timeout=120000, polling=100
        )
        return pg.evaluate("() => performance.getEntriesByName('first-contentful-paint')[0].startTime") / 1000
    finally:
        ctx.close()


def kb(n: int) -> str:
    return f"{n / 1024:7.1f}"


def give_cases_a_position(url: str) -> None:
    import psycopg

    with psycopg.connect(url) as conn:
        conn.execute(
            "UPDATE mediation_case SET incident_position = "
            "ST_SetSRID(ST_MakePoint(122.0 + (id % 10) * 0.1, 29.5 + (id % 7) * 0.1), 4326) "
            "WHERE incident_position IS NULL"
        )


@dataclass
class Totals:
    first_kb: float = 0.0
    htmx_kb: float = 0.0
    static_again: int = 0
    over: list[str] = field(default_factory=list)
    paints: dict[str, float] = field(default_factory=dict)


def report_role(browser, base: str, role: str, totals: Totals, verbose: bool) -> str | None:
    """Prints the role's table; returns its case page."""
    cookies = session_cookies(browser, base, role)
    case = a_case(browser, base, cookies)
    print(f"\n{role} (case page: {case or 'none visible'})")
    print(f"  {'page':<16}{'first KB':>9}{'req':>5}{'repeat KB':>11}{'req':>5}{'static again':>14}")
    budgeted = role in ("mediator", "party")
    for page in PAGES:
        path = case if page == "case" else page
        if path is None:
            continue
        loads = measure_page(browser, base, cookies, path)
        first = loads["first"]
        if first.status != 200:
            print(f"  {page:<16}  ({first.status})")
            continue
        rep = loads["repeat"]
        print(
            f"  {page:<16}{kb(first.bytes):>9}{first.requests:>5}{kb(rep.bytes):>11}{rep.requests:>5}"
            f"{rep.static_again:>14}"
        )
        if verbose:
            for u, n in sorted(first.by_url.items(), key=lambda x: -x[1]):
                print(f"  {'':<18}{kb(n)}  {u[:90]}")
        totals.static_again += rep.static_again
        if budgeted:
            totals.first_kb = max(totals.first_kb, first.bytes / 1024)
            if first.bytes > BUDGET_KB * 1024:
                totals.over.append(f"{role} {page} {first.bytes / 1024:.0f} KB")
        for extra in ("map button", "htmx update"):
            if extra in loads:
                x = loads[extra]
                print(f"  {'  ' + extra:<16}{kb(x.bytes):>9}{x.requests:>5}")
                if extra == "htmx update":
                    totals.htmx_kb = max(totals.htmx_kb, x.bytes / 1024)
    return case


def run(args, base: str) -> int:
    from playwright.sync_api import sync_playwright

    totals = Totals()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for role in QUICK_ROLES if args.quick else ROLES:
                case = report_role(browser, base, role, totals, args.verbose)
                if role not in ("mediator", "party"):
                    continue
                cookies = session_cookies(browser, base, role)
                painted = ("case",) if args.quick else ("case", "/", "/map") if role == "mediator" else ("case", "/")
                for page in painted:
                    path = case if page == "case" else page
                    if path:
                        totals.paints[f"{role} {page}"] = first_paint(browser, base, cookies, path)
        finally:
            browser.close()
    print("\nfirst contentful paint at 64 kbit/s, 800 ms latency:")
    for k, v in totals.paints.items():
        print(f"  {k:<16}{v:6.2f} s")
    slowest = max(totals.paints.values(), default=float("nan"))
    print(
        f"\nmediator/party: largest first load {totals.first_kb:.1f} KB (target <= {BUDGET_KB}); "
        f"HTMX update {totals.htmx_kb:.1f} KB (<= {HTMX_BUDGET_KB}); static files fetched again "
        f"{totals.static_again} (0); slowest first paint {slowest:.2f} s (<= {PAINT_BUDGET_S})"
    )
    if totals.over:
        print("over budget: " + "; ".join(totals.over))
    print(
        summary_line(
            roles=len(QUICK_ROLES if args.quick else ROLES),
            max_first_kb=totals.first_kb,
            max_htmx_kb=totals.htmx_kb,
            static_again=totals.static_again,
            max_paint_s=slowest,
            over_budget=len(totals.over),
        )
    )
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="mediator and party only; one throttled page")
    ap.add_argument("--verbose", action="store_true", help="bytes per URL on each first load")
    ap.add_argument("--database-url", help="a database that already holds the demo data (default: a fresh one)")
    args = ap.parse_args()
    env = {**os.environ}
    if args.database_url:
        env["MH_DATABASE_URL"] = args.database_url
    else:
        url = fresh_database("mh_bench_weight")
        env["MH_DATABASE_URL"] = url.replace("postgresql://", "postgresql+psycopg://")
        run_mh("demo", "load", env=env)
        give_cases_a_position(url)
    port = free_port()
    server = start_server(env, port, 1)
    try:
        return run(args, f"http://127.0.0.1:{port}")
    finally:
        server.terminate()
        try:
            server.wait(15)
        except Exception:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
