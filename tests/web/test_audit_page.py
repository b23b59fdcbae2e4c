"""The audit page (admin): filters by actor, action, object and time range, kept in the form and
the page links; 50 a page; the vessels AIS creates are one line per day with their count, and
listed one by one only when asked for."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from maritime_hub.audit.service import Actor, record

HTML = {"Accept": "text/html"}


def rows(html: str) -> list[tuple[str, str]]:
    """(action, object) of each event row."""
    return re.findall(
        r'<tr data-event="\d+"><td>\d+</td><td>[^<]*</td><td>[^<]*</td><td>([^<]+)</td><td>([^<]+)</td>', html
    )


def test_audit_page_filters_and_groups_ais_vessels(client, db, login):
    admin = login("admin")
    ais, clerk = Actor(user_id=None, username="aisbot"), Actor(user_id=None, username="clerk-zh")
    for i in range(120):
        record(db, ais, "vessel.create_from_ais", "vessel", 9000 + i, after={"mmsi": 412000000 + i})
    for i in range(60):
        record(db, clerk, "crew.create", "person", 500 + i)
    record(db, clerk, "vessel.update", "vessel", 9001)

    page = client.get("/audit?actor=clerk-zh", headers=admin.headers | HTML)
    assert page.status_code == 200
    assert [a for a, _ in rows(page.text)] == ["vessel.update"] + ["crew.create"] * 49  # 50 a page, newest first
    assert 'name="actor" value="clerk-zh"' in page.text
    assert 'href="/audit?actor=clerk-zh&amp;page=2"' in page.text

    second = client.get("/audit?actor=clerk-zh&page=2", headers=admin.headers | HTML).text
    assert len(rows(second)) == 11

    # The AIS-created vessels: not one row each, but one line for the day with the count.
    ais_page = client.get("/audit?actor=aisbot", headers=admin.headers | HTML).text
    assert rows(ais_page) == []
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()  # the page's days are China time
    line = re.search(r'<tr class="ais-day"[^>]*>(.*?)</tr>', ais_page, re.S)
    assert line and "120" in line.group(1) and today in line.group(1)
    # ... and one by one when asked for (the box stays ticked).
    each = client.get("/audit?actor=aisbot&ais=each", headers=admin.headers | HTML).text
    assert len(rows(each)) == 50 and 'name="ais" value="each" checked' in each

    # Action, object and time range.
    r = client.get("/audit?action=vessel.update&object_type=vessel&object_id=9001", headers=admin.headers | HTML)
    assert rows(r.text) == [("vessel.update", "vessel 9001")]
    assert 'value="vessel.update" selected' in r.text and 'name="object_id" value="9001"' in r.text
    tomorrow = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=1)).isoformat()
    r = client.get(f"/audit?actor=clerk-zh&since={tomorrow}", headers=admin.headers | HTML).text
    assert rows(r) == [] and f'name="since" value="{tomorrow}"' in r
    r = client.get(f"/audit?actor=clerk-zh&since={today}&until={today}", headers=admin.headers | HTML).text
    assert len(rows(r)) == 50

    assert client.get("/audit", headers=login("coordinator").headers | HTML).status_code == 403
