"""Mediator profiles in the pages: an administrator or coordinator creates and edits them (選單 and
派單 rank by them); a refusal keeps what was typed with the message by its field; other roles read
the roster or are refused."""

from __future__ import annotations

import pytest

from mediation.dispatch.models import MediatorProfile

HTML = {"Accept": "text/html"}


@pytest.fixture
def org(make_org):
    return make_org(name="舟山市海上纠纷调解中心", kind="mediation_centre")


def post(client, who, url, data):
    return client.post(url, data=data, headers=who.headers | HTML, follow_redirects=False)


def test_coordinator_creates_and_edits_a_profile(client, db, login, org):
    coordinator = login("coordinator", org_id=org.id)
    elder = login("mediator", org_id=org.id)
    roster = client.get("/mediators", headers=coordinator.headers | HTML)
    assert roster.status_code == 200 and "尚无调解员档案" in roster.text
    assert f"/mediators/new?user_id={elder.user_id}" in roster.text  # listed as "without a profile"

    form = {
        "user_id": str(elder.user_id),
        "kind": "sea_elder",
        "languages": "zh，id",
        "home_ports": "沈家门、岱山",
        "sea_areas": "舟山渔场",
        "specialties": ["wage_dispute", "collision"],
        "available": "on",
        "max_load": "6",
    }
    r = post(client, coordinator, "/mediators/new", form)
    assert r.status_code == 303, r.text
    db.expire_all()
    p = db.query(MediatorProfile).filter_by(user_id=elder.user_id).one()
    assert p.languages == ["id", "zh"] and p.home_ports == ["沈家门", "岱山"] and p.max_load == 6
    assert sorted(p.specialties) == ["collision", "wage_dispute"] and p.available

    page = client.get("/mediators", headers=coordinator.headers | HTML).text
    assert "海上老娘舅" in page and "沈家门、岱山" in page and "劳资纠纷" in page and "0 / 6" in page

    # A bad value is refused by its field, in Chinese, with everything typed kept.
    edit = f"/mediators/{elder.user_id}/edit"
    assert 'value="沈家门、岱山"' in client.get(edit, headers=coordinator.headers | HTML).text
    r = post(client, coordinator, edit, form | {"languages": "zh, chinese", "sea_areas": "东南太平洋", "max_load": "7"})
    assert r.status_code == 422
    assert 'value="东南太平洋"' in r.text and 'value="7"' in r.text and 'value="zh, chinese"' in r.text
    assert "Traceback" not in r.text and "ISO 639" in r.text
    r = post(client, coordinator, edit, form | {"max_load": "", "sea_areas": "东南太平洋"})
    assert r.status_code == 422 and 'value="东南太平洋"' in r.text
    db.expire_all()
    assert db.get(MediatorProfile, p.id).sea_areas == ["舟山渔场"]  # nothing of the refused forms saved

    r = post(client, coordinator, edit, form | {"sea_areas": "东南太平洋", "available": "", "max_load": "3"})
    assert r.status_code == 303
    db.expire_all()
    saved = db.get(MediatorProfile, p.id)
    assert saved.sea_areas == ["东南太平洋"] and saved.max_load == 3 and saved.available is False

    # The same user twice: a clear 409 on the form, not a second profile.
    r = post(client, coordinator, "/mediators/new", form)
    assert r.status_code == 409 and 'id="form-error"' in r.text and "已有调解员档案" in r.text


def test_who_may_see_and_change_profiles(client, login, org):
    elder = login("mediator", org_id=org.id)
    for role, roster, form in (
        ("admin", 200, 200),
        ("coordinator", 200, 200),
        ("mediator", 200, 403),
        ("fishery_auditor", 200, 403),
        ("court_clerk", 403, 403),
        ("party", 403, 403),
    ):
        who = login(role, org_id=org.id)
        assert client.get("/mediators", headers=who.headers | HTML).status_code == roster, role
        assert client.get("/mediators/new", headers=who.headers | HTML).status_code == form, role
        r = post(client, who, "/mediators/new", {"user_id": str(elder.user_id), "kind": "sea_elder", "max_load": "5"})
        assert (r.status_code in (303, 409)) is (form == 200), (role, r.status_code)
