"""Object-level access on every write to a case (docs/security.md, issue 12 §3).

The table below names, for each POST/PATCH/PUT/DELETE route under /api/v1/cases/{case_id}, the
people of the test world (tests/mediation/conftest.py ROSTER) who may take it on a case of the
world's organisation: the assigned mediator but not another mediator of the organisation, the
case's coordinator but not another organisation's, the case's parties but not a stranger party.
Everyone else is refused with 403 (or 404) and nothing is written (no audit event); then every
expected actor succeeds. ``test_every_case_write_route_is_in_the_table`` fails when a new write
route appears without a row, so its object check cannot be forgotten.

The expected sets are written out here on purpose, independently of mediation/cases/access.py.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import pytest
from sqlalchemy import func, select

from maritime_hub.audit.models import AuditEvent
from tests.mediation.conftest import ROSTER, World, today


def _an_hour_ago() -> str:
    """A visit just made: "today 09:00" in Beijing is still ahead between midnight and 09:00 there."""
    from datetime import datetime, timedelta

    return (datetime.now(UTC) - timedelta(hours=1)).isoformat()


CASE_STAFF = {"coordinator", "assigned_mediator", "panel_chief"}  # own organisation / dispatched to / panel chief
PARTIES = {"party", "respondent_party"}
# Roster members who can read a case of the world's organisation but may not change it: refused
# with the object-level code, not the role gate's.
READS_ONLY = {"org_mediator"}
_n = itertools.count(1)


@dataclass
class Write:
    state: str  # the case is taken there first (conftest PATH_TO)
    allowed: set[str]
    send: Callable[[World, int], dict[str, Any]]  # the request's url and body for a case (fresh objects each call)
    fresh_case_per_actor: bool = False  # the write moves the case or can be done once per case
    code: str | None = "not_case_staff"  # what READS_ONLY get; None: refused by the step's own rule
    setup: Callable[[World, int], None] | None = None


def _url(cid: int, tail: str) -> str:
    return f"/api/v1/cases/{cid}/{tail}"


def _json(tail: str, body: Callable[[World, int], dict]) -> Callable[[World, int], dict[str, Any]]:
    return lambda w, cid: {"url": _url(cid, tail(w, cid) if callable(tail) else tail), "json": body(w, cid)}


def _ais(w: World, cid: int) -> dict:
    from vessels.ais.models import AisEvidence

    n = next(_n)
    frozen = AisEvidence(
        kind="cpa",
        params={"mmsi": [412000001, 412000002]},
        result={"type": "FeatureCollection", "features": []},
        sources=[],
        sha256=f"{n:064x}",
        svg="<svg/>",
    )
    w.db.add(frozen)
    w.db.flush()
    return {"ais_evidence_id": frozen.id, "description": "两船最近会遇点"}


def _obligation_body(w: World, cid: int) -> dict:
    applicant, respondent = w.party_ids(cid)
    return {
        "obligor_party_id": respondent,
        "obligee_party_id": applicant,
        "what": "支付拖欠工资",
        "amount": "1000",
        "due_on": today(),
    }


def _obligation(w: World, cid: int) -> int:
    """An obligation of the agreement, made by the case's coordinator (set-up, not under test)."""
    from mediation.followup import schemas, service

    ob = service.add_obligation(w.db, w.principal("coordinator"), cid, schemas.ObligationIn(**_obligation_body(w, cid)))
    return ob.id


def _file(name: str) -> tuple[str, bytes, str]:
    return (name, f"{name} 第{next(_n)}份\n".encode() * 8, "text/plain")


def _profile(w: World, cid: int) -> None:
    from maritime_hub.audit.service import SYSTEM
    from mediation.dispatch import schemas, service

    service.create_profile(w.db, SYSTEM, schemas.ProfileCreate(user_id=w.assigned_mediator.user_id, kind="sea_elder"))


def _linked(kind: str) -> Callable[[World, int], dict[str, Any]]:
    """A party, vessel or crew member put on the case by its coordinator (set-up), to be removed."""

    def send(w: World, cid: int) -> dict[str, Any]:
        from mediation.cases import schemas, service

        coordinator = w.principal("coordinator")
        if kind == "parties":
            ref = service.add_party(
                w.db, coordinator, cid, schemas.PartyCreate(side="respondent", name=f"赵六{next(_n)}")
            ).id
        elif kind == "vessels":
            ref = service.add_vessel(
                w.db, coordinator, cid, schemas.CaseVesselCreate(vessel_id=w.make_vessel().id)
            ).vessel_id
        else:
            ref = service.add_crew(
                w.db, coordinator, cid, schemas.CaseCrewCreate(person_id=w.make_person().id)
            ).person_id
        return {"url": _url(cid, f"{kind}/{ref}")}

    return send


PER_STEP = (
    "POST /api/v1/cases/{case_id}/transitions"  # each step its own relations: tests/mediation/test_cases_roles.py
)

WRITES: dict[str, Write] = {
    "POST /api/v1/cases/{case_id}/parties": Write(
        "MEDIATING", CASE_STAFF, _json("parties", lambda w, cid: {"side": "respondent", "name": f"王五{next(_n)}"})
    ),
    "PATCH /api/v1/cases/{case_id}/parties/{party_id}": Write(
        "MEDIATING",
        CASE_STAFF,
        _json(lambda w, cid: f"parties/{w.party_ids(cid)[0]}", lambda w, cid: {"agent_name": f"律师{next(_n)}"}),
    ),
    "POST /api/v1/cases/{case_id}/vessels": Write(
        "MEDIATING", CASE_STAFF, _json("vessels", lambda w, cid: {"vessel_id": w.make_vessel().id})
    ),
    "POST /api/v1/cases/{case_id}/crew": Write(
        "MEDIATING", CASE_STAFF, _json("crew", lambda w, cid: {"person_id": w.make_person().id})
    ),
    "DELETE /api/v1/cases/{case_id}/parties/{party_id}": Write("MEDIATING", CASE_STAFF, _linked("parties")),
    "DELETE /api/v1/cases/{case_id}/vessels/{vessel_id}": Write("MEDIATING", CASE_STAFF, _linked("vessels")),
    "DELETE /api/v1/cases/{case_id}/crew/{person_id}": Write("MEDIATING", CASE_STAFF, _linked("crew")),
    "POST /api/v1/cases/{case_id}/members": Write(
        "MEDIATING", CASE_STAFF, _json("members", lambda w, cid: {"role": "expert", "name": f"专家{next(_n)}"})
    ),
    "POST /api/v1/cases/{case_id}/evidence": Write(
        "MEDIATING",
        CASE_STAFF | PARTIES,
        lambda w, cid: {
            "url": _url(cid, "evidence"),
            "files": {"file": _file("evidence.txt")},
            "data": {"description": "证据"},
        },
    ),
    "POST /api/v1/cases/{case_id}/evidence/ais": Write("MEDIATING", CASE_STAFF, _json("evidence/ais", _ais)),
    "POST /api/v1/cases/{case_id}/obligations": Write("AGREED", CASE_STAFF, _json("obligations", _obligation_body)),
    "POST /api/v1/cases/{case_id}/obligations/{obligation_id}/payments": Write(
        "AGREED",
        CASE_STAFF,
        _json(
            lambda w, cid: f"obligations/{_obligation(w, cid)}/payments",
            lambda w, cid: {"amount": "1", "paid_on": today(), "method": "cash"},
        ),
    ),
    "POST /api/v1/cases/{case_id}/obligations/{obligation_id}/payments/upload": Write(
        "AGREED",
        CASE_STAFF,
        lambda w, cid: {
            "url": _url(cid, f"obligations/{_obligation(w, cid)}/payments/upload"),
            "files": {"file": _file("receipt.txt")},
            "data": {"amount": "1", "paid_on": today(), "method": "bank_transfer"},
        },
    ),
    "POST /api/v1/cases/{case_id}/obligations/{obligation_id}/waiver": Write(
        "AGREED",
        CASE_STAFF,
        _json(lambda w, cid: f"obligations/{_obligation(w, cid)}/waiver", lambda w, cid: {"reason": "债权人放弃余款"}),
    ),
    "POST /api/v1/cases/{case_id}/visits": Write(
        "AGREED",
        CASE_STAFF,
        _json("visits", lambda w, cid: {"visited_at": _an_hour_ago(), "channel": "phone", "satisfaction": 5}),
    ),
    # 派单 / 接单 / 拒单 are steps of the lifecycle: their relations are the step's (READS_ONLY get "forbidden").
    "POST /api/v1/cases/{case_id}/dispatch": Write(
        "PLANNED",
        {"coordinator"},
        _json("dispatch", lambda w, cid: {"mediator_user_id": w.assigned_mediator.user_id}),
        True,
        None,
    ),
    "POST /api/v1/cases/{case_id}/dispatch/accept": Write(
        "DISPATCHING", {"assigned_mediator"}, _json("dispatch/accept", lambda w, cid: {}), True, None
    ),
    "POST /api/v1/cases/{case_id}/dispatch/decline": Write(
        "DISPATCHING",
        {"assigned_mediator"},
        _json("dispatch/decline", lambda w, cid: {"reason": "近期出海"}),
        True,
        None,
    ),
    "POST /api/v1/cases/{case_id}/rating": Write(
        "ACCEPTED", PARTIES, _json("rating", lambda w, cid: {"score": 4}), code=None
    ),
    "POST /api/v1/cases/{case_id}/mediator-choices": Write(
        "TRIAGED",
        PARTIES,
        _json("mediator-choices", lambda w, cid: {"mediator_user_id": w.assigned_mediator.user_id}),
        code=None,
        setup=_profile,
    ),
}


def test_every_case_write_route_is_in_the_table(app):
    writes = {
        f"{m.upper()} {path}"
        for path, ops in app.openapi()["paths"].items()
        for m in ops
        if m.upper() in ("POST", "PATCH", "PUT", "DELETE") and path.startswith("/api/v1/cases/{case_id}")
    }
    assert writes - {PER_STEP} - set(WRITES) == set(), "a write route on a case has no row in WRITES (who may call it?)"
    assert set(WRITES) - writes == set(), "a row of WRITES names no route"
    assert PER_STEP in writes


def _audit_events(db) -> int:
    return db.scalar(select(func.count()).select_from(AuditEvent))


def _call(client, world: World, who: str, cid: int, route: str, db=None):
    """Send the write as ``who``; with ``db``, also return how many audit events it added (the
    request's own objects, e.g. an obligation to pay, are made before counting)."""
    req = WRITES[route].send(world, cid)
    before = _audit_events(db) if db is not None else 0
    r = client.request(route.split(" ")[0], req.pop("url"), headers=world.users[who].headers, **req)
    return r, (_audit_events(db) - before if db is not None else 0)


@pytest.mark.parametrize("route", sorted(WRITES))
def test_each_case_write_allowed_and_refused_per_actor(client, world, db, route):
    row = WRITES[route]

    def case() -> int:
        cid = world.case_in(row.state)
        if row.setup:
            row.setup(world, cid)
        return cid

    cid = case()
    for who in sorted(set(ROSTER) - row.allowed):
        r, recorded = _call(client, world, who, cid, route, db)
        assert r.status_code in (403, 404), f"{who} {route}: {r.status_code} {r.text}"
        assert recorded == 0, f"{who} {route}: refused, yet something was recorded"
        if who in READS_ONLY and row.code:
            assert r.json()["code"] == row.code, f"{who} {route}: {r.text}"
            assert "coordinator" in r.json()["message"], r.text  # says whom to ask
    for who in sorted(row.allowed):
        target = case() if row.fresh_case_per_actor and who != min(row.allowed) else cid
        r, recorded = _call(client, world, who, target, route, db)
        assert recorded > 0, f"{who} {route}: accepted without an audit event"
        assert 200 <= r.status_code < 300, f"{who} {route}: {r.status_code} {r.text}"


def test_only_the_assigned_mediator_of_the_organisation_writes_once_dispatched(client, world):
    """The demo's report (issue 12 §3): mediator2 of the same committee could add a vessel to a case
    dispatched to someone else. Now 403 with a code and a message saying what to ask for; after the
    coordinator dispatches the case to them instead (reassignment), they may."""
    cid = world.case_in("DISPATCHING")
    vessel = world.make_vessel()
    r = client.post(_url(cid, "vessels"), json={"vessel_id": vessel.id}, headers=world.org_mediator.headers)
    assert r.status_code == 403 and r.json()["code"] == "not_case_staff"
    assert "dispatch" in r.json()["message"] and "panel" in r.json()["message"]
    zh = client.post(
        _url(cid, "vessels") + "?lang=zh_CN", json={"vessel_id": vessel.id}, headers=world.org_mediator.headers
    )
    assert "调解员" in zh.json()["message"], zh.text
    r = client.post(
        _url(cid, "transitions"),
        json={"to": "DISPATCHING", "mediator_user_id": world.org_mediator.user_id},
        headers=world.coordinator.headers,
    )
    assert r.status_code == 200, r.text
    r = client.post(_url(cid, "vessels"), json={"vessel_id": vessel.id}, headers=world.org_mediator.headers)
    assert r.status_code == 201, r.text
    r = client.post(
        _url(cid, "crew"), json={"person_id": world.make_person().id}, headers=world.assigned_mediator.headers
    )
    assert r.status_code == 403 and r.json()["code"] == "not_case_staff"  # no longer theirs
