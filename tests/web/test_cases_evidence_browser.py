"""In Debian's chromium, on the demo data: a coordinator uploads a file to a case from its page and
freezes the last hours of a vessel's AIS track as evidence; the item shows its SHA-256 and the SVG
map thumbnail. Screenshot: test-artifacts/case-evidence.png."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from tests.web.conftest import shot, sign_in

pytestmark = pytest.mark.browser


def _case_with_a_tracked_vessel(db_url: str) -> int:
    """A demo case of the coordinator's organisation whose vessel has AIS positions in the last 12 hours."""
    from maritime_hub.auth.models import User
    from mediation.cases.models import Case, CaseVessel
    from mediation.cases.states import State
    from vessels.models import Vessel

    engine = create_engine(db_url)
    with Session(engine) as s:
        org = s.scalar(select(User.organisation_id).where(User.username == "coordinator"))
        tracked = set(
            s.scalars(text("SELECT DISTINCT mmsi::text FROM ais_position WHERE ts > now() - interval '12 hours'"))
        )
        rows = s.execute(
            select(Case.id, Vessel.mmsi)
            .join(CaseVessel, CaseVessel.case_id == Case.id)
            .join(Vessel, Vessel.id == CaseVessel.vessel_id)
            .where(Vessel.mmsi.is_not(None), Case.organisation_id == org, Case.state != State.CLOSED)
            .order_by(Case.id)
        ).all()
    engine.dispose()
    return next(cid for cid, mmsi in rows if mmsi in tracked)


def test_upload_and_freeze_ais_evidence_from_the_case_page(page, live_server):
    case_id = _case_with_a_tracked_vessel(live_server.db_url)
    sign_in(page, live_server, "coordinator")
    page.goto(f"{live_server}/cases/{case_id}")
    page.set_input_files(
        "#evidence-upload input[name=file]",
        files=[
            {"name": "工资条.txt", "mimeType": "text/plain", "buffer": "工资条 2026年10月 应发 9000 实发 0\n".encode()}
        ],
    )
    page.fill("#evidence-upload input[name=description]", "十月工资条")
    page.click("#evidence-upload button")
    page.wait_for_selector("#evidence tr.evidence-item[data-kind=file]")

    now = datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai"))
    page.fill("#ais-freeze input[name=start]", (now - timedelta(hours=10)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#ais-freeze input[name=end]", now.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#ais-freeze input[name=description]", "事发海域航迹")
    page.click("#ais-freeze button")
    thumb = page.locator("#evidence img.ais-thumb").first
    thumb.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    html = page.inner_html("#evidence")
    assert "十月工资条" in html and "事发海域航迹" in html and "航迹" in html
    assert html.count("SHA-256 <code>") == 2
    page.locator("#evidence").scroll_into_view_if_needed()
    shot(page, "case-evidence")


def test_the_ais_evidence_map_renders_in_chinese_in_chromium(page, live_server):
    """The demo squid jigger's 9-hour silence frozen as gap evidence, and its map opened in chromium as a
    clerk would: the declared CJK font draws the Chinese (no tofu), the gap is labelled with its hours,
    the picture is not blank. Screenshot: test-artifacts/ais-evidence-map.png."""
    import io

    from PIL import Image

    from maritime_hub.audit.service import Actor
    from tests.web.conftest import ARTIFACTS
    from vessels.ais import evidence

    engine = create_engine(live_server.db_url)
    with Session(engine) as s:
        mmsi, first, last = s.execute(
            text("SELECT mmsi, min(ts), max(ts) FROM ais_position WHERE lon < -70 GROUP BY mmsi")
        ).first()
        ev = evidence.freeze(
            s, Actor(user_id=None, username="test"), "gaps", [mmsi], first, last + timedelta(minutes=1)
        )
        s.commit()
        ev_id, hours = ev.id, ev.result["properties"]["gaps"][0]["hours"]
    engine.dispose()
    sign_in(page, live_server, "coordinator")
    page.set_viewport_size({"width": 800, "height": 680})
    page.goto(f"{live_server}/api/v1/ais/evidence/{ev_id}/map.svg")
    assert page.locator("text.gap-label").text_content() == f"中断 {hours:.1f} 小时"
    assert page.locator("text.title").text_content().endswith("（北京时间）")
    # The font the SVG asks for is installed and has these glyphs: Chinese is drawn, not boxes.
    assert page.evaluate("document.fonts.check(\"13px 'WenQuanYi Zen Hei'\", '中断小时北京时间航迹')")
    ARTIFACTS.mkdir(exist_ok=True)
    png = page.screenshot(path=str(ARTIFACTS / "ais-evidence-map.png"))
    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 16) or []
    not_white = sum(n for n, c in colours if c != (255, 255, 255)) / (img.width * img.height)
    assert len(colours) > 50 and not_white > 0.3, "the map rendered blank"
