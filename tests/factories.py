"""Factories shared by every domain's tests (users with roles and tokens, organisations, vessels, people)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC

import pytest

from maritime_hub.audit.service import SYSTEM
from maritime_hub.auth.models import Role

_seq = itertools.count(1)


@dataclass
class Login:
    user_id: int
    username: str
    token: str
    org_id: int | None

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def make_org(db):
    from maritime_hub.orgs.models import OrgKind
    from maritime_hub.orgs.schemas import OrganisationCreate
    from maritime_hub.orgs.service import create

    def _make(name: str | None = None, kind: OrgKind = OrgKind.company, **kw):
        return create(db, SYSTEM, OrganisationCreate(name=name or f"测试渔业公司{next(_seq)}", kind=kind, **kw))

    return _make


@pytest.fixture
def login(db):
    """login(role) -> a user with that role and an API token."""
    from maritime_hub.auth.schemas import UserCreate
    from maritime_hub.auth.service import create_token, create_user

    def _login(*roles: Role | str, org_id: int | None = None, password: str = "correct-horse-battery") -> Login:
        name = f"u{next(_seq)}_{'_'.join(str(getattr(r, 'value', r)) for r in roles)}"
        user = create_user(
            db, SYSTEM, UserCreate(username=name, password=password, roles=list(roles), organisation_id=org_id)
        )
        return Login(user.id, user.username, create_token(db, SYSTEM, user), org_id)

    return _login


@pytest.fixture
def make_vessel(db):
    from vessels.schemas import VesselCreate
    from vessels.service import create

    def _make(**kw):
        kw.setdefault("name_zh", f"浙普渔{next(_seq):05d}")
        return create(db, SYSTEM, VesselCreate(**kw))

    return _make


@pytest.fixture
def make_person(db):
    from crew.schemas import PersonCreate
    from crew.service import create_person

    def _make(**kw):
        kw.setdefault("name", f"船员{next(_seq)}")
        return create_person(db, SYSTEM, PersonCreate(**kw))

    return _make


@pytest.fixture
def make_mediation_org(make_org):
    """make_mediation_org(code=...) -> a mediation committee whose code numbers its cases."""
    from maritime_hub.orgs.models import OrgKind

    def _make(code: str | None = None, **kw):
        n = next(_seq)
        kw.setdefault("name", f"测试海上调解委员会{n}")
        return make_org(kind=OrgKind.mediation_committee, code=code or f"舟测{n}海调", **kw)

    return _make


@pytest.fixture
def make_court(make_org):
    """make_court(code=...) -> a maritime court."""
    from maritime_hub.orgs.models import OrgKind

    def _make(code: str = "浙72", **kw):
        kw.setdefault("name", f"测试海事法院{next(_seq)}")
        return make_org(kind=OrgKind.maritime_court, code=code, **kw)

    return _make


@pytest.fixture
def make_case(db, make_mediation_org, make_person, make_org):
    """make_case(principal=None, **CaseCreate fields) -> a case registered through the intake service.

    Without a principal a coordinator of a fresh mediation organisation files it; without parties,
    a registry person applies against a company.
    """
    from datetime import datetime, timedelta

    from maritime_hub.auth.service import Principal
    from mediation.cases.schemas import CaseCreate
    from mediation.cases.service import create_case

    def _make(principal: Principal | None = None, **kw):
        if principal is None:
            org = make_mediation_org()
            principal = Principal(
                user_id=None, username="factory", organisation_id=org.id, roles=frozenset({"coordinator"})
            )
        kw.setdefault("dispute_type", "wage_dispute")
        kw.setdefault("incident_at", datetime.now(UTC) - timedelta(days=3))
        kw.setdefault("description", "拖欠工资")
        kw.setdefault("intake_channel", "window")
        if "parties" not in kw:
            kw["parties"] = [
                {"side": "applicant", "person_id": make_person().id},
                {"side": "respondent", "organisation_id": make_org().id},
            ]
        return create_case(db, principal, CaseCreate(**kw))

    return _make
