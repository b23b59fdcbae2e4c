"""The checks a registrar expects on a person and their certificates, with the message in the
reader's language: English by default, Chinese when the client asks (?lang=zh_CN or Accept-Language)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


@pytest.fixture
def writer(login):
    return login("fishery_auditor")


def _post(client, writer, url, body, zh=False):
    return client.post(url, json=body, headers=writer.headers | (ZH if zh else {}))


@pytest.mark.parametrize(
    ("dob", "english", "chinese"),
    [
        (str(date.today() + timedelta(days=1)), "the date of birth cannot be in the future", "出生日期不能晚于今天"),
        ("1899-12-31", "a date of birth before 1900 cannot be right", "出生日期早于 1900 年"),
    ],
)
def test_implausible_birth_date_is_422_in_both_languages(client, writer, dob, english, chinese):
    body = {"name": "王海军", "date_of_birth": dob}
    r = _post(client, writer, "/api/v1/crew", body)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "date_of_birth" and english in r.json()["message"]
    r = _post(client, writer, "/api/v1/crew", body, zh=True)
    assert r.status_code == 422 and chinese in r.json()["message"]


def test_certificate_issued_before_the_holder_was_16_is_422(client, writer, make_person):
    person = make_person(date_of_birth=date(2000, 6, 1))
    url = f"/api/v1/crew/{person.id}/certificates"
    body = {"cert_type": "fisher_general", "issue_date": "2016-05-31", "expiry_date": "2021-05-31"}
    r = _post(client, writer, url, body)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == "issue_date"
    assert "was 15" in r.json()["message"] and "C188 Art 9" in r.json()["message"]
    r = _post(client, writer, url, body, zh=True)
    assert "持证人（2000-06-01 出生）当时仅 15 岁" in r.json()["message"]
    # At 16 the certificate is accepted.
    assert _post(client, writer, url, body | {"issue_date": "2016-06-01"}).status_code == 201
    # A certificate dated before the birth is refused too.
    r = _post(client, writer, url, body | {"issue_date": "1999-01-01"})
    assert r.status_code == 422 and "before its holder was born" in r.json()["message"]


def test_changing_the_birth_date_rechecks_the_certificates(client, writer, make_person):
    person = make_person(date_of_birth=date(1990, 1, 1))
    cert = {"cert_type": "fisher_general", "issue_date": "2010-03-01", "expiry_date": "2015-03-01"}
    assert _post(client, writer, f"/api/v1/crew/{person.id}/certificates", cert).status_code == 201
    r = client.patch(f"/api/v1/crew/{person.id}", json={"date_of_birth": "1996-01-01"}, headers=writer.headers)
    assert r.status_code == 422 and r.json()["field"] == "date_of_birth"
    assert "was 14" in r.json()["message"]


def test_certificate_can_be_corrected_by_put_with_the_same_checks(client, writer, make_person):
    person = make_person(date_of_birth=date(1990, 1, 1))
    body = {"cert_type": "medical", "issue_date": "2025-01-01", "expiry_date": "2026-01-01"}
    cert = _post(client, writer, f"/api/v1/crew/{person.id}/certificates", body).json()
    r = client.put(
        f"/api/v1/crew/certificates/{cert['id']}",
        json=body | {"number": "M-1", "expiry_date": "2027-01-01"},
        headers=writer.headers,
    )
    assert r.status_code == 200 and r.json()["number"] == "M-1" and r.json()["expiry_date"] == "2027-01-01"
    r = client.put(
        f"/api/v1/crew/certificates/{cert['id']}", json=body | {"issue_date": "2003-01-01"}, headers=writer.headers
    )
    assert r.status_code == 422 and r.json()["field"] == "issue_date"
    assert client.put("/api/v1/crew/certificates/999999", json=body, headers=writer.headers).status_code == 404


def test_agreement_can_be_corrected_by_put(client, writer, make_person):
    person = make_person()
    body = {"position": "deckhand", "wage_amount": "400", "wage_currency": "USD"}
    a = _post(client, writer, f"/api/v1/crew/{person.id}/agreements", body).json()
    r = client.put(f"/api/v1/crew/agreements/{a['id']}", json=body | {"position": "cook"}, headers=writer.headers)
    assert r.status_code == 200 and r.json()["position"] == "cook"
    r = client.put(
        f"/api/v1/crew/agreements/{a['id']}", json=body | {"wage_period": "share"}, headers=writer.headers | ZH
    )
    assert r.status_code == 422 and "分成比例" in r.json()["message"]


def test_resident_id_and_country_errors_are_chinese_when_asked(client, writer):
    body = {
        "name": "王海军",
        "date_of_birth": "1950-01-01",
        "documents": [{"doc_type": "resident_id", "number": "11010519491231002X"}],
    }
    r = _post(client, writer, "/api/v1/crew", body, zh=True)
    assert r.status_code == 422
    assert "居民身份证号码中的出生日期为 1949-12-31，与登记的出生日期 1950-01-01 不符" in r.json()["message"]
    r = _post(client, writer, "/api/v1/crew", body)
    assert "encodes birth date 1949-12-31, but date_of_birth is 1950-01-01" in r.json()["message"]
    r = _post(client, writer, "/api/v1/crew", {"name": "王海军", "nationality": "XX"}, zh=True)
    assert r.status_code == 422 and "ISO 3166-1 两位国家代码" in r.json()["message"]
    r = _post(
        client, writer, "/api/v1/crew", {"name": "王海军", "documents": [{"doc_type": "passport", "number": "E1"}]}
    )
    assert r.status_code == 422


def test_boarding_can_be_corrected_without_overlapping_another(client, writer, make_person, make_vessel):
    person = make_person()
    v1, v2 = make_vessel(), make_vessel()
    first = _post(
        client,
        writer,
        f"/api/v1/crew/{person.id}/boardings",
        {"vessel_id": v1.id, "embark_date": "2025-01-01", "disembark_date": "2025-06-30"},
    ).json()
    second = _post(
        client, writer, f"/api/v1/crew/{person.id}/boardings", {"vessel_id": v2.id, "embark_date": "2025-08-01"}
    ).json()
    # Moving the first boarding's disembarkation into the second one is a 409; correcting its vessel is fine.
    r = client.patch(
        f"/api/v1/crew/boardings/{first['id']}", json={"disembark_date": "2025-08-15"}, headers=writer.headers
    )
    assert r.status_code == 409 and r.json()["details"]["boarding_id"] == second["id"]
    r = client.patch(
        f"/api/v1/crew/boardings/{first['id']}",
        json={"vessel_id": v2.id, "embark_date": "2025-01-02"},
        headers=writer.headers,
    )
    assert r.status_code == 200 and r.json()["vessel_id"] == v2.id and r.json()["embark_date"] == "2025-01-02"
