"""The live map's popup in chromium: the vessel's name, and a link to its own page, also for a
vessel first seen on AIS (the registry list hides those by default, so a search link found nothing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from tests.vessels.ais_factory import insert_positions
from tests.web.conftest import shot, sign_in

pytestmark = pytest.mark.browser

OPEN_POPUP = """(mmsi) => {
  let found = null;
  window.mhMap.eachLayer(l => { if (l.data && l.data.mmsi === mmsi) found = l; });
  if (found) found.openPopup();
  return !!found;
}"""


@pytest.fixture(scope="module")
def world(live_server):
    """A registered demo vessel, a vessel known only from AIS and an MMSI with no record, all
    with a position in the map's first view (committed: the server has its own connections)."""
    engine = create_engine(live_server.db_url)
    now = datetime.now(UTC)
    with Session(engine) as s:
        registered = s.execute(text("SELECT id, mmsi::int, name_zh FROM vessel WHERE ais_name = 'ZHEPUYU OLD'")).one()
        ais_only = s.execute(
            text(
                "INSERT INTO vessel (mmsi, flag_state, vessel_type, distant_water, status, registered, ais_name, ais_last_seen, "
                "created_at, updated_at) VALUES ('219000123', 'ZZ', 'other', false, 'active', false, 'NORDIC STAR', now(), now(), now()) "
                "RETURNING id"
            )
        ).scalar_one()
        insert_positions(s, registered.mmsi, [(now - timedelta(minutes=1), 122.4, 30.0, 3.0)])
        insert_positions(s, 219000123, [(now - timedelta(minutes=2), 122.5, 30.2, 9.5)])
        insert_positions(s, 219000999, [(now - timedelta(minutes=2), 122.6, 30.3, 7.0)])
        s.commit()
    engine.dispose()
    return {"registered": registered, "ais_only": ais_only}


def _popup(page, mmsi: int):
    page.wait_for_function(OPEN_POPUP, arg=mmsi, timeout=15000)
    # The record is looked up when the popup opens; the previous popup may still be fading out.
    page.wait_for_function(
        """(mmsi) => [...document.querySelectorAll('.leaflet-popup-content')].some(c =>
        c.textContent.includes('MMSI ' + mmsi) && (c.querySelector('.vessel-link') || c.textContent.includes('暂无船舶档案')))""",
        arg=mmsi,
    )
    return page.locator(".leaflet-popup-content", has_text=f"MMSI {mmsi}")


def test_popup_shows_the_name_and_opens_the_vessels_own_page(page, live_server, world):
    sign_in(page, live_server, "mediator")
    page.goto(f"{live_server}/map")
    page.wait_for_selector("#live-status.valid")

    reg = world["registered"]
    popup = _popup(page, reg.mmsi)
    assert popup.locator(".vessel-name").inner_text() == reg.name_zh
    assert popup.locator(".vessel-link").get_attribute("href") == f"/vessels/{reg.id}"
    assert "未登记" not in popup.inner_text()
    shot(page, "live-map-popup")

    popup = _popup(page, 219000123)
    assert popup.locator(".vessel-name").inner_text() == "NORDIC STAR"
    assert "未登记（仅 AIS）" in popup.inner_text()
    assert popup.locator(".vessel-link").get_attribute("href") == f"/vessels/{world['ais_only']}"

    popup = _popup(page, 219000999)
    assert popup.locator(".vessel-link").count() == 0 and "该 MMSI 暂无船舶档案" in popup.inner_text()
    assert popup.locator("[data-track]").count() == 1

    # The link opens the AIS-only vessel's page, not an empty registry search.
    _popup(page, 219000123).locator(".vessel-link").click()
    page.wait_for_url(f"**/vessels/{world['ais_only']}")
    assert "NORDIC STAR" in page.locator("h1").inner_text()
    assert "该船首次出现于 AIS 数据" in page.locator("main").inner_text()
