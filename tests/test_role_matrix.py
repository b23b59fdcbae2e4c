"""Who can reach what: every role against every registry endpoint, plus 401 without credentials.

The expected sets come from maritime_hub/auth/roles.py's intent, written out here on purpose so
that widening a role group in code fails this test until the matrix (and docs/security.md) agree.
"""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from crew import service
from crew.schemas import CertificateCreate, WorkAgreementCreate
from maritime_hub.audit.service import SYSTEM
from maritime_hub.auth.models import Role

ALL = {r.value for r in Role}
READERS = {"admin", "coordinator", "mediator", "fishery_auditor", "court_clerk", "judge"}
WRITERS = {"admin", "coordinator", "fishery_auditor"}
ADMIN = {"admin"}


@pytest.fixture
def fixtures(db, make_vessel, make_person, make_org):
    owner = make_org()
    vessel = make_vessel(mmsi="412000001", owner_id=owner.id)
    person = make_person()
    cert = service.add_certificate(db, SYSTEM, person.id, CertificateCreate(cert_type="medical"))
    agreement = service.add_agreement(db, SYSTEM, person.id, WorkAgreementCreate(position="deckhand"))
    return {
        "vessel": vessel.id,
        "person": person.id,
        "org": owner.id,
        "certificate": cert.id,
        "agreement": agreement.id,
    }


def cases(f):
    v, p = f["vessel"], f["person"]
    return [
        ("GET", "/api/v1/vessels", None, READERS),
        ("GET", f"/api/v1/vessels/{v}", None, READERS),
        ("POST", "/api/v1/vessels", {"name_zh": "浙普渔99001"}, WRITERS),
        ("PATCH", f"/api/v1/vessels/{v}", {"port_of_registry": "沈家门"}, WRITERS),
        ("GET", "/api/v1/ais/vessels/412000001", None, READERS),
        ("GET", "/api/v1/crew", None, READERS),
        ("GET", f"/api/v1/crew/{p}", None, READERS),
        ("GET", f"/api/v1/crew/on-board?vessel_id={v}&on=2026-01-01", None, READERS),
        ("GET", "/api/v1/crew/certificates/expiring", None, READERS),
        ("POST", "/api/v1/crew", {"name": "测试船员"}, WRITERS),
        ("PATCH", f"/api/v1/crew/{p}", {"phone": "13800000000"}, WRITERS),
        ("POST", f"/api/v1/crew/{p}/certificates", {"cert_type": "medical"}, WRITERS),
        ("POST", f"/api/v1/crew/{p}/agreements", {"position": "deckhand"}, WRITERS),
        ("POST", f"/api/v1/crew/{p}/boardings", {"vessel_id": v, "embark_date": "2026-01-02"}, WRITERS),
        ("PUT", f"/api/v1/crew/certificates/{f['certificate']}", {"cert_type": "medical"}, WRITERS),
        ("PUT", f"/api/v1/crew/agreements/{f['agreement']}", {"position": "deckhand"}, WRITERS),
        ("GET", "/api/v1/organisations", None, ALL),
        ("POST", "/api/v1/organisations", {"name": "新渔业公司", "kind": "company"}, ADMIN),
        ("GET", "/api/v1/audit/events", None, ADMIN),
        ("GET", "/api/v1/audit/verify", None, ADMIN),
        ("POST", "/api/v1/users", {"username": "newuser", "password": "long-enough-1", "roles": ["mediator"]}, ADMIN),
        ("GET", "/api/v1/me", None, ALL),
        ("GET", "/api/v1/notifications", None, ALL),
        ("POST", "/api/v1/notifications/read-all", None, ALL),
    ]


@pytest.mark.parametrize("role", sorted(ALL))
def test_each_role_sees_exactly_its_endpoints(client, login, fixtures, role):
    who = login(role)
    for method, url, body, allowed in cases(fixtures):
        r = client.request(method, url, json=body, headers=who.headers)
        if role in allowed:
            assert r.status_code < 400, f"{role} {method} {url} -> {r.status_code} {r.text}"
        else:
            assert r.status_code == 403, f"{role} {method} {url} -> {r.status_code}, expected 403"
            assert "roles" in r.json()["message"]


def test_no_credentials_is_401_everywhere(client, fixtures):
    for method, url, body, _ in cases(fixtures):
        r = client.request(method, url, json=body)
        assert r.status_code == 401, f"{method} {url} -> {r.status_code}"


def test_bad_token_is_401(client, fixtures):
    r = client.get("/api/v1/vessels", headers={"Authorization": "Bearer mh_not-a-real-token"})
    assert r.status_code == 401


def _api_routes(routes):
    for r in routes:
        if isinstance(r, APIRoute):
            yield r
        elif hasattr(r, "original_router"):
            yield from _api_routes(r.original_router.routes)


def _declared_access(dependant) -> list[str]:
    found = []
    for dep in dependant.dependencies:
        access = getattr(dep.call, "mh_access", None)
        if access:
            found.append(access)
        found.extend(_declared_access(dep))
    return found


def test_every_endpoint_declares_who_may_call_it(app):
    routes = list(_api_routes(app.router.routes))
    assert len(routes) > 30
    undeclared = [f"{sorted(r.methods)} {r.path}" for r in routes if not _declared_access(r.dependant)]
    assert undeclared == []
