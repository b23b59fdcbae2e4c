"""Dispute-case test world: one mediation organisation with its staff, a second organisation, two
maritime courts, party accounts, and a driver that takes a case to any state.

Set-up steps go through the services (fast); what a test asserts goes through the HTTP API.
Users are made without passwords (argon2 would cost ~0.1 s each): they only use API tokens.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from maritime_hub.auth.service import Principal
from tests.factories import Login

_n = itertools.count(1)

# Who exists in the world, with their role; "org" = the case's organisation.
ROSTER: dict[str, tuple[str, str | None]] = {
    "coordinator": ("coordinator", "org"),
    "other_coordinator": ("coordinator", "other_org"),
    "assigned_mediator": ("mediator", "org"),
    "org_mediator": ("mediator", "org"),
    "outside_mediator": ("mediator", "other_org"),
    "panel_chief": ("mediator", "other_org"),
    "party": ("party", None),
    "respondent_party": ("party", None),
    "stranger_party": ("party", None),
    "clerk": ("court_clerk", "court"),
    "judge": ("judge", "court"),
    "other_judge": ("judge", "other_court"),
    "other_clerk": ("court_clerk", "other_court"),
    "admin": ("admin", None),
    "auditor": ("fishery_auditor", None),
}


def today() -> str:
    from mediation.cases.payloads import local_today

    return local_today().isoformat()


@dataclass
class World:
    db: Any
    org: Any
    other_org: Any
    court: Any
    other_court: Any
    users: dict[str, Login] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    make_person: Any = None
    make_org: Any = None
    make_vessel: Any = None

    def __getattr__(self, name: str) -> Login:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        raise AttributeError(name)

    def principal(self, name: str) -> Principal:
        u = self.users[name]
        return Principal(
            user_id=u.user_id,
            username=u.username,
            organisation_id=u.org_id,
            roles=frozenset({self.roles[name]}),
            display_name=u.username,
        )

    # -- cases ---------------------------------------------------------------------------------
    def new_case(self, **kw) -> Any:
        """A wage dispute: a registry person (account: party) against a company (account:
        respondent_party), one vessel, the panel chief on the panel."""
        from mediation.cases import schemas, service

        if "parties" not in kw:
            kw["parties"] = [
                {"side": "applicant", "person_id": self.make_person().id, "user_id": self.party.user_id},
                {"side": "respondent", "organisation_id": self.make_org().id, "user_id": self.respondent_party.user_id},
            ]
        kw.setdefault("vessels", [{"vessel_id": self.make_vessel().id}])
        kw.setdefault("dispute_type", "wage_dispute")
        kw.setdefault("incident_at", datetime.now(UTC) - timedelta(days=2))
        kw.setdefault("description", "船东拖欠三个月工资")
        kw.setdefault("intake_channel", "window")
        case = service.create_case(self.db, self.principal("coordinator"), schemas.CaseCreate(**kw))
        service.add_member(
            self.db,
            self.principal("coordinator"),
            case.id,
            schemas.MemberCreate(role="chief_mediator", name="首席", user_id=self.panel_chief.user_id),
        )
        return case

    def party_ids(self, case_id: int) -> tuple[int, int]:
        from mediation.cases.repository import CaseRepository

        case = CaseRepository(self.db).load(case_id)
        ids = {p.side.value: p.id for p in case.parties}
        return ids["applicant"], ids["respondent"]

    def step(
        self, case_id: int, target: str, actor: str | None = None, *, basis: str = "on_board_service"
    ) -> tuple[str, dict]:
        """The usual actor and payload for a step to ``target``."""
        from mediation.cases.repository import CaseRepository

        applicant, respondent = self.party_ids(case_id)
        actor = actor or DEFAULT_ACTOR[target]
        if target == "MEDIATING" and CaseRepository(self.db).load(case_id).state.value == "ACCEPTED":
            return actor, {"skip_reason": "远程视频调解，申请人在远洋渔船上"}  # 实地调查 skipped
        payload: dict[str, Any] = {
            "TRIAGED": {"grade": "general", "crew_claim_basis": basis},
            "PLANNED": {"approach": "先分别听取双方意见，再组织联合调解"},
            "REFUSED": {"refusing_party_id": applicant if actor == "party" else respondent, "reason": "不愿调解"},
            "DISPATCHING": {"mediator_user_id": self.assigned_mediator.user_id},
            "AGREED": {"effective_at": today(), "terms_summary": "船东于十日内支付工资人民币三万元"},
            "TERMINATED": {
                "failure_reason": "双方对金额分歧过大",
                "cost_raising_conduct": "无",
                "undisputed_facts": "申请人于2026年在该船工作三个月",
            },
            "CONFIRM_APPLIED": {"applicant_party_ids": [applicant, respondent], "court_id": self.court.id},
            "UNDER_REVIEW": {"docket_number": "（2026）浙72民特1号"},
            "NOT_ACCEPTED": {"grounds": ["OUT_OF_SCOPE"], "reason": "不属于本院管辖"},
            "REJECTED": {"grounds": ["UNCLEAR"], "reason": "协议内容不明确"},
            "WITHDRAWN": {"reason": "当事人撤回"},
            "REFERRED_LITIGATION": {"court_id": self.court.id},
            "REFERRED_ARBITRATION": {"arbitration_body": "舟山市劳动人事争议仲裁委员会"},
        }.get(target, {})
        return actor, payload

    def advance(self, case_id: int, *targets: str, basis: str = "on_board_service") -> None:
        """Take the case through ``targets`` with the usual actors, through the workflow service."""
        from mediation.cases import schemas, workflow

        for target in targets:
            actor, payload = self.step(case_id, target, basis=basis)
            workflow.transition(
                self.db, self.principal(actor), case_id, schemas.TransitionRequest(to=target, **payload)
            )

    def case_in(self, state: str, *, basis: str = "on_board_service") -> int:
        case = self.new_case()
        self.advance(case.id, *PATH_TO[state], basis=basis)
        return case.id


DEFAULT_ACTOR = {
    "TRIAGED": "coordinator",
    "REFUSED": "coordinator",
    "PLANNED": "coordinator",
    "DISPATCHING": "coordinator",
    "ACCEPTED": "assigned_mediator",
    "INVESTIGATING": "assigned_mediator",
    "MEDIATING": "assigned_mediator",
    "AGREED": "assigned_mediator",
    "TERMINATED": "assigned_mediator",
    "CONFIRM_APPLIED": "coordinator",
    "UNDER_REVIEW": "clerk",
    "NOT_ACCEPTED": "clerk",
    "CONFIRMED": "judge",
    "REJECTED": "judge",
    "WITHDRAWN": "party",
    "FOLLOW_UP": "assigned_mediator",
    "ENFORCEMENT": "party",
    "REFERRED_LITIGATION": "coordinator",
    "REFERRED_ARBITRATION": "coordinator",
    "CLOSED": "coordinator",
}

_MEDIATING = ["TRIAGED", "PLANNED", "DISPATCHING", "ACCEPTED", "INVESTIGATING", "MEDIATING"]
_APPLIED = [*_MEDIATING, "AGREED", "CONFIRM_APPLIED"]
PATH_TO: dict[str, list[str]] = {
    "REGISTERED": [],
    "TRIAGED": _MEDIATING[:1],
    "PLANNED": _MEDIATING[:2],
    "DISPATCHING": _MEDIATING[:3],
    "ACCEPTED": _MEDIATING[:4],
    "INVESTIGATING": _MEDIATING[:5],
    "MEDIATING": _MEDIATING,
    "AGREED": [*_MEDIATING, "AGREED"],
    "TERMINATED": [*_MEDIATING, "TERMINATED"],
    "CONFIRM_APPLIED": _APPLIED,
    "UNDER_REVIEW": [*_APPLIED, "UNDER_REVIEW"],
    "NOT_ACCEPTED": [*_APPLIED, "NOT_ACCEPTED"],
    "CONFIRMED": [*_APPLIED, "UNDER_REVIEW", "CONFIRMED"],
    "REJECTED": [*_APPLIED, "UNDER_REVIEW", "REJECTED"],
    "WITHDRAWN": [*_APPLIED, "UNDER_REVIEW", "WITHDRAWN"],
    "FOLLOW_UP": [*_APPLIED, "UNDER_REVIEW", "CONFIRMED", "FOLLOW_UP"],
    "ENFORCEMENT": [*_APPLIED, "UNDER_REVIEW", "CONFIRMED", "ENFORCEMENT"],
    "REFERRED_LITIGATION": [*_MEDIATING, "TERMINATED", "REFERRED_LITIGATION"],
    "REFERRED_ARBITRATION": [*_MEDIATING, "TERMINATED", "REFERRED_ARBITRATION"],
    "REFUSED": ["REFUSED"],
    "CLOSED": ["REFUSED", "CLOSED"],
}


def make_user(db, role: str, org_id: int | None) -> Login:
    from maritime_hub.audit.service import SYSTEM
    from maritime_hub.auth.models import User
    from maritime_hub.auth.service import create_token

    user = User(
        username=f"case_{role}_{next(_n)}",
        display_name=f"{role} {next(_n)}",
        password_hash=None,
        organisation_id=org_id,
        roles=[role],
        locale="zh_CN",
        active=True,
    )
    db.add(user)
    db.flush()
    return Login(user.id, user.username, create_token(db, SYSTEM, user), org_id)


@pytest.fixture
def world(db, make_mediation_org, make_court, make_person, make_org, make_vessel) -> World:
    w = World(
        db=db,
        org=make_mediation_org(code="舟普海调"),
        other_org=make_mediation_org(),
        court=make_court(),
        other_court=make_court(code="沪72"),
        make_person=make_person,
        make_org=make_org,
        make_vessel=make_vessel,
    )
    for name, (role, where) in ROSTER.items():
        org = getattr(w, where) if where else None
        w.users[name] = make_user(db, role, org.id if org else None)
        w.roles[name] = role
    return w


def go(client, world: World, case_id: int, to: str, actor: str, **payload):
    """POST a transition as ``actor`` (a roster name)."""
    return client.post(
        f"/api/v1/cases/{case_id}/transitions", json={"to": to, **payload}, headers=world.users[actor].headers
    )
