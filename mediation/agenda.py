"""A party's home page: their own cases, and what is waiting for them on each one — choose a
mediator while the parties may (ODR Rules 12), rate the mediator once mediation is over, pay an
obligation of the agreement that is still open. Queries only; the page (web/routes.py) draws them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from maritime_hub.auth.service import Principal
from mediation.cases.models import Case, CaseParty
from mediation.cases.states import State
from mediation.dispatch.choice import OPEN_FOR_CHOICE
from mediation.dispatch.models import MediatorChoice, MediatorRating
from mediation.followup.models import Obligation, Payment

# Mediation is over (agreed, ended, or beyond): the parties may rate the mediator who handled it.
RATE_AFTER = frozenset(State) - {
    State.REGISTERED,
    State.TRIAGED,
    State.PLANNED,
    State.DISPATCHING,
    State.ACCEPTED,
    State.INVESTIGATING,
    State.MEDIATING,
    State.REFUSED,
    State.WITHDRAWN,
}
LIMIT = 50


@dataclass
class Todo:
    kind: str  # choose_mediator | rate_mediator | pay
    case: Case
    amount: Decimal | None = None
    currency: str | None = None
    due_on: date | None = None
    what: str | None = None


@dataclass
class PartyHome:
    cases: list[Case] = field(default_factory=list)
    todo: list[Todo] = field(default_factory=list)


def party_home(session: Session, principal: Principal) -> PartyHome:
    uid = principal.user_id
    if uid is None:
        return PartyHome()
    mine = select(CaseParty.id, CaseParty.case_id).where(CaseParty.user_id == uid).subquery()
    cases = list(
        session.scalars(
            select(Case)
            .where(Case.id.in_(select(mine.c.case_id)))
            .order_by(Case.state_entered_at.desc(), Case.id.desc())
            .limit(LIMIT)
        )
    )
    by_id = {c.id: c for c in cases}
    chosen = set(
        session.scalars(select(MediatorChoice.case_party_id).where(MediatorChoice.case_party_id.in_(select(mine.c.id))))
    )
    rated = set(
        session.scalars(
            select(MediatorRating.case_id).where(
                MediatorRating.party_user_id == uid, MediatorRating.case_id.in_(list(by_id))
            )
        )
    )
    todo: list[Todo] = []
    for party_id, case_id in session.execute(select(mine.c.id, mine.c.case_id)).tuples():
        case = by_id.get(int(case_id))
        if case is not None and case.state in OPEN_FOR_CHOICE and party_id not in chosen:
            todo.append(Todo("choose_mediator", case))
    for case in cases:
        if (
            case.state in RATE_AFTER
            and case.accepted_at is not None
            and case.assigned_mediator_id is not None
            and case.id not in rated
        ):
            todo.append(Todo("rate_mediator", case))
    paid = (
        select(func.coalesce(func.sum(Payment.amount), 0))
        .where(Payment.obligation_id == Obligation.id)
        .correlate(Obligation)
        .scalar_subquery()
    )
    owed = session.execute(
        select(Obligation, Obligation.amount - paid)
        .where(
            Obligation.obligor_party_id.in_(select(mine.c.id)),
            Obligation.waived_at.is_(None),
            Obligation.superseded_at.is_(None),
            Obligation.amount > paid,
        )
        .order_by(Obligation.due_on, Obligation.id)
    )
    for ob, left in owed:
        if ob.case_id in by_id and by_id[ob.case_id].state != State.CLOSED:
            todo.append(Todo("pay", by_id[ob.case_id], left, ob.currency, ob.due_on, ob.what))
    return PartyHome(cases, todo)
