"""Statistics queries. The aggregation runs in PostgreSQL; each query takes the population (the
cases registered in the period, in scope) as a subquery of case ids."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Result, Select, and_, any_, func, literal, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from maritime_hub.auth.models import User
from mediation.cases.models import Case, CaseTimeline
from mediation.cases.states import State
from mediation.deadlines import LOCAL_TZ
from mediation.dispatch.models import MediatorRating
from mediation.dispatch.repository import ACTIVE

SUCCESS = (State.AGREED,)
# A case "reached an outcome" when its timeline shows an agreement or one of these endings.
FAILURE = (State.TERMINATED, State.REFUSED, State.REFERRED_LITIGATION, State.REFERRED_ARBITRATION)
ENDED = (State.CLOSED, State.REFUSED)

_Select = TypeVar("_Select", bound=Select[*tuple[Any, ...]])


class StatsRepository:
    def __init__(self, session: Session, start: datetime, end: datetime, organisation_id: int | None):
        """``start`` inclusive, ``end`` exclusive (UTC instants of local midnights)."""
        self.session, self.start, self.end, self.org = session, start, end, organisation_id

    def _scoped(self, stmt: _Select) -> _Select:
        return stmt.where(Case.organisation_id == self.org) if self.org is not None else stmt

    def population(self) -> Select:
        return self._scoped(select(Case.id).where(Case.created_at >= self.start, Case.created_at < self.end))

    def _count_by(self, column: InstrumentedAttribute[Any]) -> dict[str, int]:
        rows: Result[Any, int] = self.session.execute(
            select(column, func.count()).where(Case.id.in_(self.population())).group_by(column)
        )
        return {getattr(k, "value", k): n for k, n in rows}

    def by_type(self) -> dict[str, int]:
        return self._count_by(Case.dispute_type)

    def by_state(self) -> dict[str, int]:
        return self._count_by(Case.state)

    def by_month(self) -> dict[str, int]:
        month = func.to_char(func.timezone(str(LOCAL_TZ), Case.created_at), "YYYY-MM")
        rows: Result[str, int] = self.session.execute(
            select(month, func.count()).where(Case.id.in_(self.population())).group_by(month)
        )
        return {k: n for k, n in rows}

    def success(self) -> tuple[int, int]:
        """(successes, outcomes) over the population, from the timeline."""
        per_case = (
            select(
                CaseTimeline.case_id,
                func.bool_or(CaseTimeline.to_state.in_(SUCCESS)).label("ok"),
                func.bool_or(CaseTimeline.to_state.in_((*SUCCESS, *FAILURE))).label("out"),
            )
            .where(CaseTimeline.case_id.in_(self.population()))
            .group_by(CaseTimeline.case_id)
            .subquery()
        )
        ok, out = self.session.execute(
            select(func.count().filter(per_case.c.ok), func.count().filter(per_case.c.out))
        ).one()
        return ok, out

    def time_in_state(self) -> list[tuple[str, int, float, float]]:
        """Per state: (state, cases, median, p90) of each case's total seconds in the state over its
        completed stays. A stay is the gap from a timeline row to the next row of the same case (as on
        the case page, mediation/cases/detail.py); a case still in the state is left out for that state."""
        t = CaseTimeline
        gaps = (
            select(
                t.case_id,
                t.to_state,
                func.greatest(
                    0, func.extract("epoch", func.lead(t.at).over(partition_by=t.case_id, order_by=t.id) - t.at)
                ).label("secs"),
            )
            .where(t.case_id.in_(self.population()))
            .subquery()
        )
        per_case = (
            select(gaps.c.case_id, gaps.c.to_state, func.sum(gaps.c.secs).label("secs"))
            .join(Case, Case.id == gaps.c.case_id)
            .where(gaps.c.secs.is_not(None), Case.state != gaps.c.to_state)
            .group_by(gaps.c.case_id, gaps.c.to_state)
            .subquery()
        )
        rows: Result[State, int, float, float] = self.session.execute(
            select(
                per_case.c.to_state,
                func.count(),
                func.percentile_cont(0.5).within_group(per_case.c.secs),
                func.percentile_cont(0.9).within_group(per_case.c.secs),
            ).group_by(per_case.c.to_state)
        )
        return [(getattr(s, "value", s), n, float(med), float(p90)) for s, n, med, p90 in rows]

    def open_cases(self):
        """The columns mediation/cases/detail.live_deadlines reads, for every case in scope not ended
        (whenever registered: overdue is a figure of now)."""
        cols = (
            Case.id,
            Case.state,
            Case.created_at,
            Case.intake_channel,
            Case.dispatched_at,
            Case.accepted_at,
            Case.referral_kind,
            Case.court_procedure,
            Case.agreement_effective_on,
            Case.confirmation_applied_on,
            Case.court_accepted_on,
            Case.ruling_outcome,
            Case.ruled_on,
            Case.claim_arose_on,
            Case.dispute_type,
            Case.route,
            Case.incident_at,
        )
        return self.session.execute(self._scoped(select(*cols).where(Case.state.not_in(ENDED))).order_by(Case.id)).all()

    # -- mediators ---------------------------------------------------------------------------------
    def open_load(self) -> dict[int, int]:
        rows = self.session.execute(
            self._scoped(
                select(Case.assigned_mediator_id, func.count()).where(
                    Case.state.in_(ACTIVE), Case.assigned_mediator_id.is_not(None)
                )
            ).group_by(Case.assigned_mediator_id)
        )
        return {k: n for k, n in rows if k is not None}  # never None: filtered in SQL

    def handled(self) -> dict[int, tuple[int, int]]:
        """Per assigned mediator: (cases of the period, of which reached AGREED)."""
        agreed = select(CaseTimeline.case_id).where(CaseTimeline.to_state == State.AGREED)
        rows = self.session.execute(
            select(Case.assigned_mediator_id, func.count(), func.count().filter(Case.id.in_(agreed)))
            .where(Case.id.in_(self.population()), Case.assigned_mediator_id.is_not(None))
            .group_by(Case.assigned_mediator_id)
        )
        return {uid: (n, a) for uid, n, a in rows if uid is not None}  # never None: filtered in SQL

    def ratings(self) -> dict[int, tuple[float, int]]:
        """Per mediator: average score and count of the ratings on the period's cases."""
        rows: Result[int, Decimal, int] = self.session.execute(
            select(MediatorRating.mediator_user_id, func.avg(MediatorRating.score), func.count())
            .where(MediatorRating.case_id.in_(self.population()))
            .group_by(MediatorRating.mediator_user_id)
        )
        return {uid: (float(avg), n) for uid, avg, n in rows}

    def mediator_names(self, ids: set[int]) -> dict[int, str]:
        """The named users plus every active mediator of the scope's organisation (or all)."""
        mine = and_(User.active.is_(True), literal("mediator") == any_(User.roles))
        if self.org is not None:
            mine = and_(mine, User.organisation_id == self.org)
        rows = self.session.execute(
            select(User.id, User.display_name, User.username).where(User.id.in_(ids) | mine)
            if ids
            else select(User.id, User.display_name, User.username).where(mine)
        )
        return {uid: display or username for uid, display, username in rows}
