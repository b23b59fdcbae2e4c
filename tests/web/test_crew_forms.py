"""Crew registry in the pages: edit a person, add and edit certificates, work agreements and boardings.
Every form goes through web.forms.submit (the services of the API); a refusal comes back with what was
typed and the message by its field, in Chinese on a Chinese page and in English with mh_lang=en."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from crew.models import Boarding, Certificate, Person, WorkAgreement

HTML = {"Accept": "text/html"}
EN = {"Cookie": "mh_lang=en"}


@pytest.fixture
def clerk(login):
    return login("fishery_auditor")


@pytest.fixture
def person(make_person):
    return make_person(name="林海生", date_of_birth=date(1990, 5, 1), nationality="CN", phone="13900000001")


def _field(html: str, name: str) -> str:
    """The label that holds input `name`: its value and its error."""
    return html.split(f'name="{name}"', 1)[1].split("</label>", 1)[0]


def post(client, who, url, data, extra=None):
    return client.post(url, data=data, headers=who.headers | HTML | (extra or {}), follow_redirects=False)


def test_person_edit_page_saves_and_refuses_an_implausible_birth_date(client, db, clerk, person):
    r = client.get(f"/crew/{person.id}/edit", headers=clerk.headers | HTML)
    assert r.status_code == 200 and 'value="13900000001"' in r.text and 'value="1990-05-01"' in r.text
    form = {"name": "林海生", "nationality": "CN", "date_of_birth": "1990-05-01", "phone": "13900000002"}
    r = post(client, clerk, f"/crew/{person.id}/edit", form | {"languages": "zh, en"})
    assert r.status_code == 303 and r.headers["location"] == f"/crew/{person.id}"
    db.expire_all()
    saved = db.get(Person, person.id)
    assert saved.phone == "13900000002" and saved.languages == ["zh", "en"]

    future = str(date.today() + timedelta(days=3))
    r = post(client, clerk, f"/crew/{person.id}/edit", form | {"date_of_birth": future, "phone": "13900000003"})
    assert r.status_code == 422
    assert "出生日期不能晚于今天" in _field(r.text, "date_of_birth") and 'value="13900000003"' in r.text
    r = post(client, clerk, f"/crew/{person.id}/edit", form | {"date_of_birth": "1890-01-01"}, EN)
    assert "a date of birth before 1900 cannot be right" in _field(r.text, "date_of_birth")
    db.expire_all()
    assert db.get(Person, person.id).phone == "13900000002"


def test_certificate_added_and_corrected_in_the_pages(client, db, clerk, person):
    url = f"/crew/{person.id}/certificates/new"
    assert client.get(url, headers=clerk.headers | HTML).status_code == 200
    form = {"cert_type": "fisher_general", "number": "2201", "issue_date": "2006-04-30", "expiry_date": "2011-04-30"}
    r = post(client, clerk, url, form)
    # Issued when the holder was 15: refused by the service, the typed number kept, the reason by the date.
    assert r.status_code == 422 and 'value="2201"' in r.text
    assert "当时仅 15 岁" in _field(r.text, "issue_date")
    assert db.scalar(select(Certificate).where(Certificate.person_id == person.id)) is None
    r = post(client, clerk, url, form | {"issue_date": "2010-05-01", "expiry_date": "2030-05-01"})
    assert r.status_code == 303
    cert = db.scalar(select(Certificate).where(Certificate.person_id == person.id))
    assert cert.number == "2201" and cert.expiry_date == date(2030, 5, 1)

    detail = client.get(f"/crew/{person.id}", headers=clerk.headers | HTML).text
    assert f'href="/crew/certificates/{cert.id}/edit"' in detail and f'href="/crew/{person.id}/edit"' in detail
    edit = client.get(f"/crew/certificates/{cert.id}/edit", headers=clerk.headers | HTML).text
    assert 'value="2201"' in edit and 'value="fisher_general" selected' in edit
    r = post(
        client,
        clerk,
        f"/crew/certificates/{cert.id}/edit",
        form | {"number": "2202", "issue_date": "2010-05-01", "expiry_date": "2009-01-01"},
    )
    assert r.status_code == 422 and "有效期至早于签发日期" in _field(r.text, "expiry_date")
    r = post(
        client,
        clerk,
        f"/crew/certificates/{cert.id}/edit",
        form | {"number": "2202", "issue_date": "2010-05-01", "expiry_date": "2031-01-01"},
    )
    assert r.status_code == 303
    db.expire_all()
    assert db.get(Certificate, cert.id).number == "2202"


def test_work_agreement_added_and_corrected_in_the_pages(client, db, clerk, person, make_vessel, make_org):
    vessel, employer = make_vessel(name_zh="浙普远91"), make_org(name="舟山普远远洋渔业有限公司")
    url = f"/crew/{person.id}/agreements/new"
    page = client.get(url, headers=clerk.headers | HTML).text
    assert "浙普远91" in page and "舟山普远远洋渔业有限公司" in page
    form = {
        "employer_id": str(employer.id),
        "vessel_id": str(vessel.id),
        "position": "鱿钓手",
        "wage_amount": "9000",
        "wage_currency": "CNY",
        "wage_period": "share",
        "start_date": "2026-01-01",
        "end_date": "2027-12-31",
        "copy_on_board": "on",
    }
    r = post(client, clerk, url, form)
    assert r.status_code == 422 and "分成比例" in _field(r.text, "share_percent") and 'value="鱿钓手"' in r.text
    r = post(client, clerk, url, form | {"wage_period": "month"})
    assert r.status_code == 303
    agreement = db.scalar(select(WorkAgreement).where(WorkAgreement.person_id == person.id))
    assert agreement.copy_on_board and agreement.vessel_id == vessel.id
    r = post(
        client, clerk, f"/crew/agreements/{agreement.id}/edit", form | {"wage_period": "month", "position": "大副"}
    )
    assert r.status_code == 303
    db.expire_all()
    saved = db.get(WorkAgreement, agreement.id)
    # The checkbox left unticked means no copy on board.
    assert saved.position == "大副" and saved.copy_on_board
    form.pop("copy_on_board")
    post(client, clerk, f"/crew/agreements/{agreement.id}/edit", form | {"wage_period": "month"})
    db.expire_all()
    assert not db.get(WorkAgreement, agreement.id).copy_on_board


def test_boarding_added_and_disembarked_in_the_pages(client, db, clerk, person, make_vessel):
    vessel = make_vessel(name_zh="浙普远92")
    url = f"/crew/{person.id}/boardings/new"
    r = post(client, clerk, url, {"vessel_id": str(vessel.id), "embark_date": "2026-02-01", "embark_port": "沈家门"})
    assert r.status_code == 303
    boarding = db.scalar(select(Boarding).where(Boarding.person_id == person.id))
    # A second boarding overlapping the first is refused beside the embarkation date, in English on an English page.
    r = post(client, clerk, url, {"vessel_id": str(vessel.id), "embark_date": "2026-03-01"}, EN)
    assert r.status_code == 409 and "record the disembarkation first" in _field(r.text, "embark_date")
    edit = f"/crew/boardings/{boarding.id}/edit"
    assert 'value="沈家门"' in client.get(edit, headers=clerk.headers | HTML).text
    base = {"vessel_id": str(vessel.id), "embark_date": "2026-02-01", "embark_port": "沈家门"}
    r = post(client, clerk, edit, base | {"disembark_date": "2026-01-15"})
    assert r.status_code == 422 and "离船日期早于登船日期" in _field(r.text, "disembark_date")
    r = post(client, clerk, edit, base | {"disembark_date": "2026-02-20", "disembark_port": "Callao"})
    assert r.status_code == 303
    db.expire_all()
    assert db.get(Boarding, boarding.id).disembark_date == date(2026, 2, 20)
    assert post(client, clerk, url, {"vessel_id": str(vessel.id), "embark_date": "2026-03-01"}).status_code == 303


def test_readers_cannot_open_or_post_the_forms(client, login, person):
    mediator = login("mediator")
    for url in (f"/crew/{person.id}/edit", f"/crew/{person.id}/certificates/new", f"/crew/{person.id}/boardings/new"):
        assert client.get(url, headers=mediator.headers | HTML).status_code == 403
    r = post(client, mediator, f"/crew/{person.id}/edit", {"name": "改名"})
    assert r.status_code == 403
    detail = client.get(f"/crew/{person.id}", headers=mediator.headers | HTML).text
    assert f"/crew/{person.id}/edit" not in detail


def test_vessel_form_refuses_a_foreign_mid_and_a_future_build_year_in_chinese(client, login):
    clerk = login("coordinator")
    form = {
        "name_zh": "浙普渔88888",
        "mmsi": "525000001",
        "flag_state": "CN",
        "vessel_type": "trawler",
        "status": "active",
    }
    r = post(client, clerk, "/vessels/new", form)
    assert r.status_code == 422 and 'value="浙普渔88888"' in r.text
    assert "属于印度尼西亚（ID）" in _field(r.text, "mmsi")
    r = post(client, clerk, "/vessels/new", form | {"mmsi": "412000001", "build_year": str(date.today().year + 2)}, EN)
    assert r.status_code == 422 and "is later than this year" in _field(r.text, "build_year")
    r = post(client, clerk, "/vessels/new", form | {"mmsi": "112345678"})
    assert "船舶电台的 MMSI 以 2–7 开头" in _field(r.text, "mmsi")
