"""The live map in chromium: offline base map, live positions from a replayed capture, a track."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import ROOT
from tests.web.conftest import shot, sign_in
from vessels.ais.listen import LiveIngest, replay_reader
from vessels.ais.replay import sentences

pytestmark = pytest.mark.browser
DATA = ROOT.parent / "shared" / "data" / "ais"


def test_map_receives_live_positions_from_a_replayed_file_and_draws_a_track(page, live_server):
    sign_in(page, live_server, "mediator")
    page.goto(f"{live_server}/map")
    page.wait_for_selector("#live-status.valid")  # websocket open
    page.evaluate("() => window.mhMap.setView([55.7, 11.5], 7)")  # the capture is from Danish waters
    li = LiveIngest(live_server.db_url, "map-test", "replay")
    lines = sentences([DATA / "dma-ais-aislib" / "stream_example.txt"])
    feeder = threading.Thread(target=replay_reader, args=(lines, 2000, False, li.feed, li.stop), daemon=True)
    runner = threading.Thread(target=li.run, daemon=True)
    runner.start()
    feeder.start()
    try:
        page.wait_for_function("() => +document.getElementById('live-count').textContent > 50", timeout=20000)
        # The land layer from world-atlas is drawn (an SVG/canvas path), no tile server needed.
        page.wait_for_function("() => Object.keys(window.mhMap._layers).length > 3")
        shot(page, "live-map")
        # Base stations (type 4) and aids to navigation (type 21) are layers of their own, off at first.
        on_map = "k => { let n = 0; window.mhMap.eachLayer(l => { if (l.data && l.data.k === k) n++; }); return n; }"
        assert page.evaluate(on_map, 1) == 0 and page.evaluate(on_map, 2) == 0
        page.get_by_label("AIS 基站").check()
        page.wait_for_function(f"() => ({on_map})(1) > 0")
        assert page.evaluate(on_map, 2) == 0  # the aids to navigation stay off
        page.get_by_label("AIS 基站").uncheck()
        # A track for one of the vessels just seen, with the time slider.
        mmsi = page.evaluate(
            "() => { let m; window.mhMap.eachLayer(l => { if (l.data && !m) m = l.data.mmsi; }); return m; }"
        )
        page.fill("#track-mmsi", str(mmsi))
        page.click("#track-form button")
        page.wait_for_selector("#track-panel:not([hidden])")
        page.wait_for_function("() => document.getElementById('track-info').textContent.includes('MMSI')")
        assert page.locator("#track-time").inner_text() != ""
        shot(page, "live-map-track")
    finally:
        li.stop.set()
        runner.join(5)


@pytest.mark.parametrize("code, retries", [(4401, False), (1011, True)])
def test_map_stops_reconnecting_once_signed_out(page, live_server, code, retries):
    """4401 (the session ended) or 4403: reconnecting cannot help, the map says so; other closes retry."""
    sign_in(page, live_server, "mediator")
    opened: list[str] = []

    def refuse(route):
        opened.append(route.url)
        route.close(code=code, reason="session expired: sign in again" if code == 4401 else "server error")

    page.route_web_socket("**/ws/ais*", refuse)
    page.goto(f"{live_server}/map")
    page.wait_for_function("() => document.getElementById('live-status').className.includes('expir')")
    page.wait_for_timeout(2500)  # the first retry comes after 0–0.5 s, the second after 3 s
    assert (len(opened) > 1) is retries
    if not retries:
        assert page.locator("#live-status.expired").count() == 1
        assert "刷新" in page.locator("#live-status").inner_text()
