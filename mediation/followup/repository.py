"""Follow-up queries: a case's obligations with instalments and payments, one obligation, visits."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from maritime_hub.errors import NotFound
from maritime_hub.messages import N_
from mediation.followup.models import FollowUpVisit, Obligation

LOADED = (selectinload(Obligation.instalments), selectinload(Obligation.payments))


class FollowUpRepository:
    def __init__(self, session: Session):
        self.session = session

    def obligations(self, case_id: int) -> list[Obligation]:
        """The current agreement's obligations (superseded ones left out)."""
        stmt = (
            select(Obligation)
            .where(Obligation.case_id == case_id, Obligation.superseded_at.is_(None))
            .options(*LOADED)
            .order_by(Obligation.due_on, Obligation.id)
            .execution_options(populate_existing=True)
        )
        return list(self.session.scalars(stmt))

    def obligation(self, case_id: int, obligation_id: int, *, lock: bool = False) -> Obligation:
        stmt = select(Obligation).where(Obligation.id == obligation_id).options(*LOADED)
        if lock:
            # Two payments at once would both pass the overpayment check against the old total.
            stmt = stmt.with_for_update(of=Obligation)
        ob = self.session.scalar(stmt.execution_options(populate_existing=True))
        if ob is None or ob.case_id != case_id or ob.superseded_at is not None:
            raise NotFound(
                N_("case {case_id} has no obligation {obligation_id} under its current agreement"),
                case_id=case_id,
                obligation_id=obligation_id,
            )
        return ob

    def visits(self, case_id: int) -> list[FollowUpVisit]:
        stmt = (
            select(FollowUpVisit)
            .where(FollowUpVisit.case_id == case_id)
            .order_by(FollowUpVisit.visited_at, FollowUpVisit.id)
        )
        return list(self.session.scalars(stmt))
