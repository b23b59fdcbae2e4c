"""Crew registry API: identity checks (GB 11643), warnings, certificates, agreements with files, boardings."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest

# GB 11643 sample with a correct check character; born 1949-12-31.
RIC = "11010519491231002X"


@pytest.fixture
def writer(login):
    return login("fishery_auditor")


def person_body(**kw):
    body = {"name": "王海军", "sex": "male", "date_of_birth": "1949-12-31", "nationality": "CN", "languages": ["zh"]}
    body.update(kw)
    return body


def test_register_person_with_valid_resident_id(client, writer):
    r = client.post(
        "/api/v1/crew",
        json=person_body(documents=[{"doc_type": "resident_id", "number": RIC.lower()}]),
        headers=writer.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["documents"][0]["number"] == RIC


@pytest.mark.parametrize(
    ("number", "dob", "fragment"),
    [
        ("110105194912310021", "1949-12-31", "check character"),
        ("11010519491231002", "1949-12-31", "17 digits"),
        (RIC, "1950-01-01", "encodes birth date 1949-12-31"),
        ("110105194913310021", None, "impossible birth date"),
    ],
)
def test_bad_resident_id_is_422(client, writer, number, dob, fragment):
    r = client.post(
        "/api/v1/crew",
        json=person_body(date_of_birth=dob, documents=[{"doc_type": "resident_id", "number": number}]),
        headers=writer.headers,
    )
    assert r.status_code == 422, r.text
    assert fragment in r.json()["message"]
    assert r.json()["field"].startswith("documents")


def test_same_document_twice_is_409_pointing_at_the_person(client, writer):
    first = client.post(
        "/api/v1/crew", json=person_body(documents=[{"doc_type": "resident_id", "number": RIC}]), headers=writer.headers
    ).json()
    r = client.post(
        "/api/v1/crew",
        json=person_body(name="王海", documents=[{"doc_type": "resident_id", "number": RIC}]),
        headers=writer.headers,
    )
    assert r.status_code == 409
    assert r.json()["code"] == "duplicate_identifier"
    assert r.json()["details"]["other_person_id"] == first["id"]


def test_passports_and_seafarer_passports(client, writer):
    body = person_body(
        name="Agus Santoso",
        name_latin="Agus Santoso",
        nationality="ID",
        date_of_birth="1990-05-01",
        documents=[{"doc_type": "passport", "number": "C1234567", "issuing_country": "ID"}],
    )
    r = client.post("/api/v1/crew", json=body, headers=writer.headers)
    assert r.status_code == 201
    pid = r.json()["id"]
    r = client.post(
        f"/api/v1/crew/{pid}/documents",
        json={"doc_type": "seafarer_passport", "number": "E12 34567", "issuing_country": "CN"},
        headers=writer.headers,
    )
    assert r.status_code == 201 and r.json()["number"] == "E1234567"
    r = client.post(
        f"/api/v1/crew/{pid}/documents",
        json={"doc_type": "resident_id", "number": RIC, "issuing_country": "ID"},
        headers=writer.headers,
    )
    assert r.status_code == 422


@pytest.mark.parametrize(("years", "severity"), [(15, "C"), (17, "H"), (18, None)])
def test_age_warnings_not_errors(client, writer, years, severity):
    dob = date.today().replace(year=date.today().year - years) - timedelta(days=1)
    r = client.post("/api/v1/crew", json=person_body(date_of_birth=dob.isoformat()), headers=writer.headers)
    assert r.status_code == 201
    warnings = [w for w in r.json()["warnings"] if w["code"] == "AGE-01"]
    if severity is None:
        assert warnings == []
    else:
        assert warnings[0]["severity"] == severity and "C188" in warnings[0]["message"]


def test_certificates_flag_expired_and_expiring(client, writer, make_person):
    p = make_person()
    today = date.today()
    statuses = {}
    for label, delta in (("expired", -1), ("expiring", 30), ("valid", 31)):
        r = client.post(
            f"/api/v1/crew/{p.id}/certificates",
            json={"cert_type": "medical", "number": label, "expiry_date": (today + timedelta(days=delta)).isoformat()},
            headers=writer.headers,
        )
        assert r.status_code == 201
        statuses[label] = r.json()["status"]
    assert statuses == {"expired": "expired", "expiring": "expiring", "valid": "valid"}
    detail = client.get(f"/api/v1/crew/{p.id}", headers=writer.headers).json()
    assert {w["code"] for w in detail["warnings"]} == {"CERT"}
    expiring = client.get("/api/v1/crew/certificates/expiring?days=30", headers=writer.headers).json()
    assert {c["number"] for c in expiring} >= {"expired", "expiring"} and "valid" not in {c["number"] for c in expiring}


def test_certificate_dates_must_be_in_order(client, writer, make_person):
    p = make_person()
    r = client.post(
        f"/api/v1/crew/{p.id}/certificates",
        json={"cert_type": "medical", "issue_date": "2026-01-02", "expiry_date": "2026-01-01"},
        headers=writer.headers,
    )
    assert r.status_code == 422


def test_agreement_with_uploaded_file_stored_by_sha256(client, writer, make_person, make_vessel, make_org):
    p, v, org = make_person(), make_vessel(), make_org(kind="manning_agency")
    r = client.post(
        f"/api/v1/crew/{p.id}/agreements",
        json={
            "employer_id": org.id,
            "vessel_id": v.id,
            "position": "deckhand",
            "wage_amount": "450.00",
            "wage_currency": "USD",
            "start_date": "2026-01-01",
            "end_date": "2027-12-31",
            "language": "id",
            "copy_on_board": True,
        },
        headers=writer.headers,
    )
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    content = "劳务合同 / Perjanjian Kerja\n".encode() * 50
    r = client.put(
        f"/api/v1/crew/agreements/{aid}/file",
        files={"file": ("contract.pdf", content, "application/pdf")},
        headers=writer.headers,
    )
    assert r.status_code == 200
    assert r.json()["file_sha256"] == hashlib.sha256(content).hexdigest()
    got = client.get(f"/api/v1/crew/agreements/{aid}/file", headers=writer.headers)
    assert got.status_code == 200 and got.content == content


def test_share_wage_needs_a_percentage_and_refs_must_exist(client, writer, make_person):
    p = make_person()
    r = client.post(f"/api/v1/crew/{p.id}/agreements", json={"wage_period": "share"}, headers=writer.headers)
    assert r.status_code == 422 and "share_percent" in r.json()["message"]
    r = client.post(f"/api/v1/crew/{p.id}/agreements", json={"vessel_id": 999999}, headers=writer.headers)
    assert r.status_code == 422 and r.json()["field"] == "vessel_id"
    r = client.post(f"/api/v1/crew/{p.id}/agreements", json={"wage_amount": "-1"}, headers=writer.headers)
    assert r.status_code == 422 and r.json()["field"] == "wage_amount"


def test_who_was_on_vessel_x_on_date_d(client, writer, make_person, make_vessel):
    v1, v2 = make_vessel(), make_vessel()
    a, b, c = make_person(name="甲"), make_person(name="乙"), make_person(name="丙")
    post = lambda p, body: client.post(f"/api/v1/crew/{p.id}/boardings", json=body, headers=writer.headers)  # noqa: E731
    assert post(a, {"vessel_id": v1.id, "embark_date": "2026-03-01", "disembark_date": "2026-06-30"}).status_code == 201
    assert post(b, {"vessel_id": v1.id, "embark_date": "2026-05-01"}).status_code == 201
    assert post(c, {"vessel_id": v2.id, "embark_date": "2026-01-01"}).status_code == 201
    names = lambda d: {
        x["person"]["name"]
        for x in client.get(f"/api/v1/crew/on-board?vessel_id={v1.id}&on={d}", headers=writer.headers).json()
    }  # noqa: E731
    assert names("2026-04-01") == {"甲"}
    assert names("2026-06-30") == {"甲", "乙"}
    assert names("2026-07-01") == {"乙"}
    assert names("2026-02-01") == set()


def test_overlapping_boarding_is_409_and_disembark_fixes_it(client, writer, make_person, make_vessel):
    v1, v2 = make_vessel(), make_vessel()
    p = make_person()
    first = client.post(
        f"/api/v1/crew/{p.id}/boardings", json={"vessel_id": v1.id, "embark_date": "2026-03-01"}, headers=writer.headers
    ).json()
    r = client.post(
        f"/api/v1/crew/{p.id}/boardings", json={"vessel_id": v2.id, "embark_date": "2026-05-01"}, headers=writer.headers
    )
    assert r.status_code == 409 and "disembarkation" in r.json()["message"]
    assert r.json()["code"] == "boarding_overlap"
    r = client.patch(
        f"/api/v1/crew/boardings/{first['id']}",
        json={"disembark_date": "2026-04-30", "disembark_port": "Callao"},
        headers=writer.headers,
    )
    assert r.status_code == 200
    r = client.post(
        f"/api/v1/crew/{p.id}/boardings", json={"vessel_id": v2.id, "embark_date": "2026-05-01"}, headers=writer.headers
    )
    assert r.status_code == 201
    r = client.patch(
        f"/api/v1/crew/boardings/{first['id']}", json={"disembark_date": "2026-01-01"}, headers=writer.headers
    )
    assert r.status_code == 422


def test_search_crew_by_name_document_and_nationality(client, writer, make_person):
    from crew.schemas import IdentityDocumentCreate

    make_person(
        name="Budi Hartono",
        name_latin="Budi Hartono",
        nationality="ID",
        documents=[IdentityDocumentCreate(doc_type="passport", number="C7654321", issuing_country="ID")],
    )
    make_person(name="王建国", nationality="CN")
    s = lambda **p: client.get("/api/v1/crew", params=p, headers=writer.headers).json()  # noqa: E731
    assert s(q="budi")["items"][0]["name"] == "Budi Hartono"
    assert s(q="Budy Hartono")["items"][0]["name"] == "Budi Hartono"
    assert s(q="C7654321")["items"][0]["name"] == "Budi Hartono"
    assert s(q="王建国")["items"][0]["name"] == "王建国"
    assert all(p["nationality"] == "ID" for p in s(nationality="id")["items"])


def test_update_person_checks_birth_date_against_resident_id(client, writer):
    pid = client.post(
        "/api/v1/crew", json=person_body(documents=[{"doc_type": "resident_id", "number": RIC}]), headers=writer.headers
    ).json()["id"]
    r = client.patch(f"/api/v1/crew/{pid}", json={"date_of_birth": "1960-01-01"}, headers=writer.headers)
    assert r.status_code == 422 and r.json()["field"] == "date_of_birth"
    r = client.patch(
        f"/api/v1/crew/{pid}", json={"phone": "13900000000", "languages": ["zh", "en"]}, headers=writer.headers
    )
    assert r.status_code == 200 and r.json()["languages"] == ["zh", "en"]
