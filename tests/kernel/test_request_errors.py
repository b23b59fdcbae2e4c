"""Bad input is a 422 naming the field, never a 500 (issue: reliability §2); an unexpected error
answers in the error shape with the request id; the request id is made by the server.

Each reproduction below gave a plain-text 500 before the bounded types (maritime_hub/types.py)."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from maritime_hub.auth.models import Role
from maritime_hub.db.deps import DbSession

BIG4 = 2**31  # one past integer
BIG8 = 2**63  # one past bigint


@pytest.fixture
def admin(login):
    return login(Role.admin)


@pytest.fixture
def coordinator(login, make_mediation_org):
    return login(Role.coordinator, org_id=make_mediation_org().id)


@pytest.mark.parametrize(
    "path, field",
    [
        (f"/api/v1/vessels/{BIG4}", "vessel_id"),
        (f"/api/v1/cases/{BIG4}", "case_id"),
        (f"/api/v1/crew/{BIG4}", "person_id"),
        (f"/api/v1/vessels?owner_id={BIG4}", "owner_id"),
        (f"/api/v1/cases?vessel_id={BIG4}", "vessel_id"),
        (f"/api/v1/audit/events?before_id={BIG8}", "before_id"),
        (f"/api/v1/ais/quarantine?offset={BIG8}", "offset"),
        (f"/api/v1/vessels?page={BIG8}", "page"),
        (f"/api/v1/notifications?before_id={BIG4}", "before_id"),
        (f"/api/v1/cases/{BIG4}/followup", "case_id"),
        (f"/api/v1/ais/evidence/{BIG8}", "evidence_id"),
        ("/api/v1/vessels?q=a%00b", "q"),
        ("/api/v1/crew?q=%00", "q"),
        ("/api/v1/vessels/1%00", "vessel_id"),
        ("/api/v1/mediators/subsidies?month=0000-01", "month"),
        ("/api/v1/mediators/subsidies?month=2026-13", "month"),
        ("/api/v1/vessels/412000000/track?start=0001-01-01T00:00:00Z&end=0001-01-02T00:00:00Z", "start"),
        ("/api/v1/crew/on-board?vessel_id=1&on=0001-01-01", "on"),
        ("/api/v1/ais/near?lat=1e300&lon=0&start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z", "lat"),
    ],
)
def test_out_of_range_parameters_are_a_422_naming_the_parameter(client, admin, path, field):
    r = client.get(path, headers=admin.headers)
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["code"] == "validation_error" and body["field"] == field, body


def test_an_id_the_column_can_hold_but_no_row_has_is_still_404(client, admin):
    r = client.get(f"/api/v1/vessels/{BIG4 - 1}", headers=admin.headers)
    assert r.status_code == 404 and r.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("/api/v1/vessels", {"name_zh": "测试号", "length_overall_m": "99999999.99"}, "length_overall_m"),
        ("/api/v1/vessels", {"name_zh": "测试号", "gross_tonnage": "123456789.5"}, "gross_tonnage"),
        ("/api/v1/vessels", {"name_zh": "测\u0000试"}, "name_zh"),
        ("/api/v1/vessels", {"name_zh": "测试号", "owner_id": BIG4}, "owner_id"),
        ("/api/v1/crew", {"name": "张三", "date_of_birth": "2999-01-01"}, "date_of_birth"),
        ("/api/v1/crew", {"name": "张三", "date_of_birth": "2090-01-01"}, "date_of_birth"),
        ("/api/v1/crew", {"name": "张三", "languages": ["zh"], "notes": "a\u0000"}, "notes"),
        (
            "/api/v1/ais/evidence",
            {"kind": "track", "mmsis": [412000000], "start": "0001-01-01T00:00:00Z", "end": "0001-01-02T00:00:00Z"},
            "start",
        ),
        ("/api/v1/organisations", {"name": "某公司", "kind": "company", "parent_id": BIG8}, "parent_id"),
    ],
)
def test_out_of_range_bodies_are_a_422_naming_the_field(client, admin, path, body, field):
    r = client.post(path, json=body, headers=admin.headers)
    assert r.status_code == 422, r.text
    assert r.json()["field"] == field, r.json()


def test_a_nul_in_the_login_name_is_a_422(client):
    r = client.post("/api/v1/auth/token", json={"username": "ad\u0000min", "password": "x"})
    assert r.status_code == 422 and r.json()["field"] == "username"


def test_an_incident_at_the_year_one_is_a_422_not_a_zone_underflow(client, coordinator):
    r = client.post(
        "/api/v1/cases",
        headers=coordinator.headers,
        json={
            "dispute_type": "wage_dispute",
            "incident_at": "0001-01-01T00:00:00Z",
            "description": "拖欠工资",
            "intake_channel": "window",
            "parties": [{"side": "applicant", "name": "张三"}],
        },
    )
    assert r.status_code == 422 and r.json()["field"] == "incident_at", r.text


def test_a_visit_at_the_year_one_is_a_422(client, coordinator, make_case):
    case = make_case()
    r = client.post(
        f"/api/v1/cases/{case.id}/visits",
        headers=coordinator.headers,
        json={"visited_at": "0001-01-01T00:00:00", "channel": "phone", "notes": "x"},
    )
    assert r.status_code == 422 and r.json()["field"] == "visited_at", r.text


def probe(session: DbSession, n: int):
    return {"n": session.execute(text("SELECT CAST(:n AS integer)"), {"n": n}).scalar()}


@pytest.mark.own_app
def test_a_value_the_database_refuses_is_a_422_even_past_the_types(app, client, admin):
    """The safety net for a parameter a schema forgot to bound: the database's refusal (SQLSTATE
    class 22) is a 422, logged, never a 500."""
    app.add_api_route("/api/v1/test-probe", probe, methods=["GET"])
    r = client.get(f"/api/v1/test-probe?n={BIG4}")
    assert r.status_code == 422 and r.json()["code"] == "invalid_value", r.text


@pytest.mark.own_app
def test_an_unexpected_error_answers_in_the_error_shape_with_the_request_id(app, caplog):
    def boom():
        raise RuntimeError("a bug")

    app.add_api_route("/api/v1/test-boom", boom, methods=["GET"])
    app.add_api_route("/test-boom", boom, methods=["GET"])
    with TestClient(app, raise_server_exceptions=False) as c, caplog.at_level(logging.ERROR, "maritime_hub"):
        r = c.get("/api/v1/test-boom")
        assert r.status_code == 500
        body = r.json()
        assert body["code"] == "internal_error" and body["request_id"] == r.headers["X-Request-ID"]
        assert body["request_id"] in body["message"]
        assert any(body["request_id"] in rec.getMessage() and rec.exc_info for rec in caplog.records)

        page = c.get("/test-boom", headers={"Accept": "text/html"})
        assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
        assert page.headers["X-Request-ID"] in page.text


def test_a_page_with_a_bad_parameter_shows_the_error_page(client, login):
    admin = login(Role.admin)
    r = client.get(f"/vessels/{BIG4}", headers={**admin.headers, "Accept": "text/html"})
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html"), r.text[:200]
    assert "vessel_id" in r.text


def test_the_request_id_is_made_by_the_server_and_the_clients_is_kept_apart(client, admin, db):
    from sqlalchemy import select

    from maritime_hub.audit.models import AuditEvent

    r = client.post(
        "/api/v1/vessels", json={"name_zh": "请求号"}, headers={**admin.headers, "X-Request-ID": "forged-id"}
    )
    assert r.status_code == 201, r.text
    rid = r.headers["X-Request-ID"]
    assert rid != "forged-id" and len(rid) == 32
    assert r.headers["X-Client-Request-ID"] == "forged-id"
    event = db.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "vessel").order_by(AuditEvent.id.desc())
    ).first()
    assert event.request_id == rid

    # A client id that is not short and printable is not echoed (no header injection, no log noise).
    r = client.get("/api/v1/health", headers={"X-Request-ID": "x" * 65})
    assert "X-Client-Request-ID" not in r.headers


@pytest.mark.parametrize(
    "method, path",
    [
        ("PATCH", "/api/v1/crew/on-board"),
        ("POST", "/api/v1/crew/certificates/expiring"),
        ("PATCH", "/api/v1/cases/lifecycle"),
        ("PATCH", "/api/v1/mediators/subsidies"),
    ],
)
def test_a_method_a_literal_path_does_not_take_is_405_not_a_422_on_an_id(client, admin, method, path):
    """`/crew/{person_id}` used to swallow `/crew/on-board` and answer 422 on person_id."""
    r = client.request(method, path, headers=admin.headers, json={})
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed", r.text


def test_the_openapi_keeps_plain_parameter_names(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/v1/crew/{person_id}" in paths and not [p for p in paths if ":int" in p]


def test_unknown_paths_answer_in_the_clients_language(client):
    assert client.get("/api/v1/no-such-thing").json()["message"] == "no such page or endpoint"
    zh = client.get("/api/v1/no-such-thing?lang=zh_CN").json()
    assert zh["code"] == "not_found" and zh["message"] != "no such page or endpoint"
    r = client.patch("/api/v1/health?lang=zh_CN")
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
    assert r.json()["message"] != "method not allowed here"
