"""The notifications page: 20 a page with page links, grouped by day (China time), newest first;
the "mark all read" button's contrast is checked in chromium (test_mobile_browser.py)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from maritime_hub.notify.models import Notification

HTML = {"Accept": "text/html"}


def add(db, user_id: int, n: int, start: datetime) -> None:
    for i in range(n):
        db.add(
            Notification(
                user_id=user_id,
                kind="test",
                locale="zh_CN",
                title=f"通知{i:03d}",
                body="正文",
                created_at=start + timedelta(hours=6 * i),  # four a day
            )
        )
    db.flush()


def titles(html: str) -> list[str]:
    return re.findall(r"通知(\d{3})", html)


def test_notifications_are_paged_and_grouped_by_day(client, db, login):
    me = login("party")
    add(db, me.user_id, 71, datetime(2026, 3, 1, 1, 0, tzinfo=UTC))  # 09:00 China time onwards
    r = client.get("/notifications", headers=me.headers | HTML)
    assert r.status_code == 200
    first = titles(r.text)
    assert first == [f"{i:03d}" for i in range(70, 50, -1)]  # newest 20
    assert 'href="/notifications?page=2"' in r.text and 'href="/notifications?page=4"' in r.text
    assert 'href="/notifications?page=5"' not in r.text  # 71 → 4 pages
    days = re.findall(r'<h2 class="day">([^<]+)</h2>', r.text)
    assert days[0] == "2026-03-18" and len(days) == len(set(days)) and 5 <= len(days) <= 6

    last = client.get("/notifications?page=4", headers=me.headers | HTML).text
    assert titles(last) == ["010", "009", "008", "007", "006", "005", "004", "003", "002", "001", "000"]
    assert 'href="/notifications?page=3"' in last

    # Only unread: the filter stays in the page links.
    db.query(Notification).filter(Notification.user_id == me.user_id, Notification.title < "通知040").update(
        {"read_at": datetime.now(UTC)}
    )
    db.flush()
    r = client.get("/notifications?unread=true", headers=me.headers | HTML).text
    assert titles(r)[0] == "070" and 'href="/notifications?unread=true&amp;page=2"' in r
    assert 'href="/notifications?unread=true&amp;page=3"' not in r  # 31 unread → 2 pages
