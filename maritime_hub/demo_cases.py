"""Demo dispute cases for the board, the case pages and the statistics page: about twenty cases
over the last year in every stage of the lifecycle, taken there through the case services and
workflow (audit trail, notifications and the append-only timeline as in real use) while a moved
clock (``clock``) replays when each step happened, so time in state, months and overdue deadlines
look like a year of work. Idempotent: a case is matched by its description."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from crew.models import Person
from maritime_hub.auth.models import User
from maritime_hub.auth.service import Principal, principal_for
from maritime_hub.db.base import replay_clock, utcnow
from maritime_hub.orgs.models import Organisation
from mediation.cases import schemas, service, workflow
from mediation.cases.enums import CREW_LABOUR_TYPES, DisputeType
from mediation.cases.models import Case, CaseParty
from mediation.deadlines import local_date
from mediation.dispatch import schemas as dispatch_schemas
from mediation.dispatch import service as dispatch_service
from vessels.models import Vessel

ORG = "普陀区海上矛盾纠纷调解委员会"
COURT = "宁波海事法院"
COMPANIES = ["舟山普远远洋渔业有限公司", "舟山海星渔业有限公司", "岱山县东海捕捞专业合作社", "嵊泗县和兴渔业有限公司"]
M = ["TRIAGED", "PLANNED", "DISPATCHING", "ACCEPTED", "INVESTIGATING", "MEDIATING"]
WHO = {
    "TRIAGED": "coordinator",
    "PLANNED": "coordinator",
    "DISPATCHING": "coordinator",
    "REFUSED": "coordinator",
    "CONFIRM_APPLIED": "coordinator",
    "REFERRED_LITIGATION": "coordinator",
    "CLOSED": "coordinator",
    "UNDER_REVIEW": "clerk",
    "CONFIRMED": "judge",
}  # the rest: the assigned mediator

# (description, type, steps after registration, registered days ago, days in each state left, mediator, rating)
SPECS: list[tuple[str, str, list[str], float, list[float], str, int | None]] = [
    (
        "浙普远91船员讨要三个月工资",
        "wage_dispute",
        [*M, "AGREED", "FOLLOW_UP", "CLOSED"],
        330,
        [1, 2, 1, 2, 1, 6, 12, 3, 20],
        "mediator",
        5,
    ),
    (
        "渔船碰撞致网具受损赔偿",
        "collision",
        [*M, "AGREED", "CONFIRM_APPLIED", "UNDER_REVIEW", "CONFIRMED", "FOLLOW_UP"],
        300,
        [0.5, 1, 1, 1, 1, 8, 15, 5, 2, 10, 6],
        "mediator2",
        4,
    ),
    ("流刺网被拖网渔船拖坏", "gear_damage", [*M, "AGREED"], 270, [1, 1, 2, 1, 1, 4, 9], "mediator", None),
    (
        "船员在作业中手部受伤索赔",
        "personal_injury_at_sea",
        [*M, "TERMINATED", "REFERRED_LITIGATION"],
        240,
        [2, 3, 1, 3, 1, 10, 25, 4],
        "mediator2",
        2,
    ),
    ("渔场作业区域争议", "fishing_ground_conflict", ["REFUSED", "CLOSED"], 220, [3, 2], "", None),
    (
        "印尼籍船员劳务合同提前解除",
        "crew_service_contract",
        [*M, "AGREED", "FOLLOW_UP"],
        200,
        [1, 1, 1, 2, 1, 5, 7, 15],
        "mediator",
        5,
    ),
    (
        "渔获分成比例纠纷",
        "fishery_contract",
        [*M, "AGREED", "FOLLOW_UP", "CLOSED"],
        180,
        [1, 2, 1, 1, 1, 3, 6, 10, 12],
        "mediator2",
        4,
    ),
    ("船员工资结算差额", "wage_dispute", [*M, "TERMINATED", "CLOSED"], 160, [1, 1, 1, 4, 1, 6, 28, 5], "mediator", 3),
    ("锚泊渔船相碰损失分担", "collision", [*M, "AGREED"], 140, [0.5, 1, 1, 1, 1, 5, 11], "mediator2", None),
    (
        "菲律宾籍船员遣返费用",
        "crew_service_contract",
        [*M, "AGREED", "CONFIRM_APPLIED", "UNDER_REVIEW", "CONFIRMED"],
        120,
        [1, 1, 1, 1, 1, 4, 8, 3, 2, 12],
        "mediator",
        5,
    ),
    (
        "定置网位置重叠纠纷",
        "fishing_ground_conflict",
        [*M, "TERMINATED"],
        100,
        [2, 1, 1, 2, 1, 7, 20],
        "mediator2",
        None,
    ),
    ("合伙购船出资纠纷", "fishery_contract", ["REFUSED"], 85, [4], "", None),
    ("船员伙食费扣发", "wage_dispute", [*M, "AGREED", "FOLLOW_UP"], 70, [1, 1, 1, 1, 1, 3, 5, 10], "mediator", 4),
    ("刺网被螺旋桨绞坏", "gear_damage", [*M, "AGREED"], 55, [1, 1, 1, 1, 1, 4, 6], "mediator2", None),
    ("船员落水身亡赔偿", "personal_injury_at_sea", M, 45, [1, 2, 1, 1, 1, 4], "mediator", None),
    ("渔船买卖尾款纠纷", "other", M[:5], 30, [1, 1, 1, 2, 1], "mediator2", None),
    ("船员年终奖金争议", "wage_dispute", M[:4], 20, [1, 1, 1, 1], "mediator", None),
    ("冷藏运输船货损争议", "other", M[:3], 12, [2, 1, 1], "mediator2", None),
    ("远洋渔船船员超时工作补偿", "crew_service_contract", M[:2], 6, [1, 1], "", None),
    ("沈家门码头渔船擦碰", "collision", M[:1], 4, [2], "", None),
    ("船员社保缴纳争议", "wage_dispute", [], 3, [], "", None),
    ("鱿钓船船员工资拖欠", "wage_dispute", [], 0.2, [], "", None),
]


def _principals(session: Session) -> dict[str, Principal]:
    users = session.scalars(
        select(User).where(User.username.in_(("coordinator", "mediator", "mediator2", "clerk", "judge", "party")))
    )
    return {u.username: principal_for(u, via="demo", request_id=None) for u in users}


def _payload(
    target: str, case: Case, ids: dict[str, int], who: dict[str, Principal], mediator: str, court_id: int
) -> dict[str, Any]:
    today = local_date(utcnow()).isoformat()  # the replayed day
    crew = case.dispute_type in CREW_LABOUR_TYPES
    return {
        "TRIAGED": {
            "grade": "complex" if case.dispute_type == DisputeType.personal_injury_at_sea else "general",
            **({"crew_claim_basis": "on_board_service"} if crew else {}),
        },
        "PLANNED": {
            "approach": "先背靠背分别听取双方意见，核实工资和航次记录，再组织联合调解",
            "participants": "申请人及其代理人、被申请人公司代表、渔村调解员",
            "schedule": "三日内完成调查，一周内组织调解",
        },
        "REFUSED": {"refusing_party_id": ids["respondent"], "reason": "被申请人不同意调解"},
        "DISPATCHING": {"mediator_user_id": who[mediator].user_id if mediator in who else 0},
        "AGREED": {"effective_at": today, "terms_summary": "被申请人于十五日内一次性支付人民币三万元"},
        "TERMINATED": {
            "failure_reason": "双方对赔偿金额分歧过大",
            "cost_raising_conduct": "无",
            "undisputed_facts": "事故发生时间、地点及船舶身份无争议",
        },
        "CONFIRM_APPLIED": {"applicant_party_ids": [ids["applicant"], ids["respondent"]], "court_id": court_id},
        "UNDER_REVIEW": {"docket_number": f"（2026）浙72民特{case.id}号"},
        "REFERRED_LITIGATION": {"court_id": court_id},
    }.get(target, {})


class Clock:
    """The time the case services see while ``clock`` is active (None: the real time)."""

    def __init__(self) -> None:
        self.at: datetime | None = None

    def __call__(self) -> datetime:
        return self.at or datetime.now(UTC)


@contextmanager
def clock() -> Iterator[Clock]:
    """Move the clock of case intake and transitions (timeline rows, triaged/dispatched/accepted/...
    timestamps) to ``Clock.at``. For demo data and tests only: the timeline is append-only, so the
    past has to be written when it happens."""
    c = Clock()
    with replay_clock(c):
        yield c


def load(session: Session) -> int:
    """Create the demo cases that do not exist yet; returns how many were made."""
    who = _principals(session)
    org = session.scalar(select(Organisation).where(Organisation.name == ORG))
    court = session.scalar(select(Organisation).where(Organisation.name == COURT))
    companies = list(
        session.scalars(select(Organisation).where(Organisation.name.in_(COMPANIES)).order_by(Organisation.id))
    )
    people = list(session.scalars(select(Person).order_by(Person.id).limit(len(SPECS))))
    if org is None or court is None or "coordinator" not in who or not people or not companies:
        return 0
    world = {
        "who": who,
        "court": court,
        "companies": companies,
        "people": people,
        "agus": session.scalar(select(Person).where(Person.name == "Agus Santoso")),
        "vessels": list(session.scalars(select(Vessel).order_by(Vessel.id).limit(len(SPECS)))),
    }
    existing = set(session.scalars(select(Case.description).where(Case.organisation_id == org.id)))
    now, made = datetime.now(UTC), 0
    for i, spec in enumerate(SPECS):
        if spec[0] in existing:
            continue
        with clock() as c:
            c.at = now - timedelta(days=spec[3])
            _replay(session, world, i, c, spec)
        made += 1
    return made


def _replay(session: Session, world: dict[str, Any], i: int, c: Clock, spec) -> Case:
    desc, kind, steps, _days_ago, gaps, mediator, rating = spec
    who, agus, people, companies, vessels = (world[k] for k in ("who", "agus", "people", "companies", "vessels"))
    rated = rating is not None and "party" in who and agus is not None
    applicant: dict[str, Any] = {"side": "applicant", "person_id": (agus if rated else people[i % len(people)]).id}
    if rated:
        applicant["user_id"] = who["party"].user_id
    case = service.create_case(
        session,
        who["coordinator"],
        schemas.CaseCreate(
            dispute_type=kind,
            incident_at=c() - timedelta(days=2),
            description=desc,
            intake_channel="window",
            sea_area="舟山渔场",
            amount_claimed=30000 + 5000 * (i % 7),
            parties=[applicant, {"side": "respondent", "organisation_id": companies[i % len(companies)].id}],
            vessels=[{"vessel_id": vessels[i % len(vessels)].id}] if vessels else [],
        ),
    )
    ids = {
        side.value: pid
        for pid, side in session.execute(select(CaseParty.id, CaseParty.side).where(CaseParty.case_id == case.id))
    }
    for target, gap in zip(steps, gaps, strict=True):
        c.at += timedelta(days=gap)
        actor = who[WHO.get(target, mediator or "coordinator")]
        body = schemas.TransitionRequest(to=target, **_payload(target, case, ids, who, mediator, world["court"].id))
        case = workflow.transition(session, actor, case.id, body)
    if rated:
        dispatch_service.rate(
            session, who["party"], case.id, dispatch_schemas.RatingCreate(score=rating, comment="调解员耐心细致")
        )
    return case
