"""The fishery auditor's filters on /crew and /vessels (aboard a vessel today, company, distant-water,
certificates expiring within N days) and the expiring-certificates page with its CSV export. Filters
keep their values in the form and in the URL (the pager's links)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from crew import service
from crew.schemas import BoardingCreate, CertificateCreate, WorkAgreementCreate
from maritime_hub.audit.service import SYSTEM

HTML = {"Accept": "text/html"}
TODAY = date.today()


@pytest.fixture
def fleet(db, make_org, make_vessel, make_person):
    puyuan, haixing, agency = make_org(name="普远远洋"), make_org(name="海星渔业"), make_org(name="远航船员服务")
    far = make_vessel(name_zh="浙普远91", distant_water=True, owner_id=puyuan.id)
    near = make_vessel(name_zh="浙普渔10001", owner_id=haixing.id, operator_id=puyuan.id)
    idle = make_vessel(name_zh="浙普渔10002", owner_id=haixing.id)

    def person(name, vessel, expires_in, *, ashore=False, employer=None):
        p = make_person(name=name, date_of_birth=date(1985, 1, 1))
        service.add_certificate(
            db,
            SYSTEM,
            p.id,
            CertificateCreate(
                cert_type="fisher_general",
                number=f"N-{name}",
                issue_date=date(2020, 1, 1),
                expiry_date=TODAY + timedelta(days=expires_in),
            ),
        )
        embark = TODAY - timedelta(days=100)
        service.add_boarding(
            db,
            SYSTEM,
            p.id,
            BoardingCreate(
                vessel_id=vessel.id, embark_date=embark, disembark_date=TODAY - timedelta(days=5) if ashore else None
            ),
        )
        if employer is not None:
            service.add_agreement(db, SYSTEM, p.id, WorkAgreementCreate(employer_id=employer.id))
        return p

    return {
        "orgs": (puyuan, haixing, agency),
        "vessels": (far, near, idle),
        "far": person("远洋甲", far, 10),
        "near": person("近海乙", near, 200, employer=agency),
        "ashore": person("岸上丙", idle, -3, ashore=True),
    }


def names(html: str) -> set[str]:
    return {n for n in ("远洋甲", "近海乙", "岸上丙") if f">{n}</a>" in html}


def get(client, who, url, **params):
    r = client.get(url, params=params, headers=who.headers | HTML)
    assert r.status_code == 200, r.text
    return r.text


def test_crew_filters(client, login, fleet):
    auditor = login("fishery_auditor")
    far, near, idle = fleet["vessels"]
    puyuan, haixing, agency = fleet["orgs"]
    assert names(get(client, auditor, "/crew")) == {"远洋甲", "近海乙", "岸上丙"}
    html = get(client, auditor, "/crew", vessel_id=far.id)
    assert names(html) == {"远洋甲"} and f'<option value="{far.id}" selected>' in html
    # Nobody is aboard the idle vessel today: its crew member went ashore five days ago.
    assert names(get(client, auditor, "/crew", vessel_id=idle.id)) == set()
    # Company: aboard a vessel it owns or operates today, or employed by it.
    assert names(get(client, auditor, "/crew", company_id=puyuan.id)) == {"远洋甲", "近海乙"}
    assert names(get(client, auditor, "/crew", company_id=agency.id)) == {"近海乙"}
    assert names(get(client, auditor, "/crew", company_id=haixing.id)) == {"近海乙"}
    html = get(client, auditor, "/crew", distant_water="yes")
    assert names(html) == {"远洋甲"} and '<option value="yes" selected>' in html
    assert names(get(client, auditor, "/crew", distant_water="no")) == {"近海乙", "岸上丙"}
    html = get(client, auditor, "/crew", cert_days="30")
    assert names(html) == {"远洋甲", "岸上丙"} and 'name="cert_days" type="number" min="0" max="365" value="30"' in html
    assert names(get(client, auditor, "/crew", cert_days="30", distant_water="no")) == {"岸上丙"}
    # Empty selects mean "all"; the HTMX rows carry the filters in the pager's links.
    assert names(get(client, auditor, "/crew", vessel_id="", company_id="", cert_days="")) == {
        "远洋甲",
        "近海乙",
        "岸上丙",
    }


def test_crew_pager_keeps_the_filters(client, login, fleet, make_person):
    auditor = login("fishery_auditor")
    for i in range(26):
        make_person(name=f"补充{i:02d}", nationality="PH")
    for extra in ({}, {"HX-Request": "true"}):  # the whole page, and the rows HTMX swaps in
        r = client.get("/crew", params={"nationality": "ph", "q": ""}, headers=auditor.headers | HTML | extra)
        pager = r.text.split('class="pager"', 1)[1]
        assert "第 1 / 2 页" in pager and "nationality=PH" in pager and "page=2" in pager and "cert_days=" in pager


def test_vessel_filters(client, login, fleet):
    clerk = login("court_clerk")
    far, near, idle = fleet["vessels"]
    puyuan, haixing, _agency = fleet["orgs"]

    def vessels(**params):
        html = get(client, clerk, "/vessels", **params)
        return {v.name_zh for v in (far, near, idle) if f">{v.name_zh}</a>" in html}, html

    assert vessels(company_id=puyuan.id)[0] == {"浙普远91", "浙普渔10001"}
    assert vessels(company_id=haixing.id)[0] == {"浙普渔10001", "浙普渔10002"}
    found, html = vessels(crew_aboard="yes")
    assert (
        found == {"浙普远91", "浙普渔10001"} and '<option value="yes" selected>' in html.split('name="crew_aboard"')[1]
    )
    assert vessels(crew_aboard="no")[0] == {"浙普渔10002"}
    found, html = vessels(cert_days="30")
    assert found == {"浙普远91"} and 'name="cert_days" type="number" min="0" max="365" value="30"' in html
    assert vessels(cert_days="365", distant_water="no")[0] == {"浙普渔10001"}


def test_expiring_certificates_page_and_csv(client, login, fleet):
    auditor = login("fishery_auditor")
    html = get(client, auditor, "/crew/certificates/expiring", days="30")
    assert names(html) == {"远洋甲", "岸上丙"} and "浙普远91" in html and 'value="30"' in html
    assert 'href="/crew/certificates/expiring.csv?days=30&amp;aboard="' in html
    html = get(client, auditor, "/crew/certificates/expiring", days="30", aboard="yes")
    assert names(html) == {"远洋甲"} and "checked" in html and "aboard=yes" in html
    assert names(get(client, auditor, "/crew/certificates/expiring", days="365")) == {"远洋甲", "近海乙", "岸上丙"}

    r = client.get("/crew/certificates/expiring.csv", params={"days": "30"}, headers=auditor.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    assert r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["船员", "拉丁字母名称", "国籍", "证书"]
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"远洋甲", "岸上丙"}
    assert by_name["远洋甲"][9] == "10" and by_name["远洋甲"][10] == "浙普远91" and by_name["岸上丙"][8] == "已过期"
    en = client.get(
        "/crew/certificates/expiring.csv", params={"days": "30"}, headers=auditor.headers | {"Cookie": "mh_lang=en"}
    )
    assert en.content.decode("utf-8-sig").splitlines()[0].startswith("Crew member,Latin-script name,Nationality")


def test_parties_cannot_see_the_expiring_list(client, login):
    party = login("party")
    assert client.get("/crew/certificates/expiring", headers=party.headers | HTML).status_code == 403
    assert client.get("/crew/certificates/expiring.csv", headers=party.headers).status_code == 403
