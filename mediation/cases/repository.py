"""Case queries: numbering, loading a case with what its page needs, lists, duplicate candidates."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, Select, select, text
from sqlalchemy.orm import selectinload

from maritime_hub.db.repository import Page, RepositoryBase
from maritime_hub.errors import NotFound
from maritime_hub.messages import N_
from mediation.cases.enums import DisputeType, Grade
from mediation.cases.models import Case, CaseCrew, CaseEvidence, CaseParty, CaseVessel
from mediation.cases.states import State

# What the workflow needs (relations, preconditions and triage look at these) ...
CORE = (selectinload(Case.parties), selectinload(Case.members), selectinload(Case.vessels), selectinload(Case.crew))
# ... and what the case page shows.
FULL = (
    selectinload(Case.parties).selectinload(CaseParty.contacts),
    selectinload(Case.members),
    selectinload(Case.vessels),
    selectinload(Case.crew),
    selectinload(Case.evidence),
    selectinload(Case.timeline),
)

DUPLICATE_WINDOW = timedelta(days=7)

# One statement, atomic under concurrency: the first intake of a year inserts the row, later ones
# update it; either way the row stays locked until the transaction ends, so a concurrent intake for
# the same organisation and year waits and then reads the incremented value.
_NEXT_SEQ = text(
    "INSERT INTO case_number_counter (organisation_id, year, last_number) VALUES (:org, :year, 1) "
    "ON CONFLICT (organisation_id, year) DO UPDATE SET last_number = case_number_counter.last_number + 1 "
    "RETURNING last_number"
)


class CaseRepository(RepositoryBase[Case]):
    model = Case
    label = "case"

    def evidence(self, evidence_id: int) -> CaseEvidence | None:
        return self.session.get(CaseEvidence, evidence_id)

    def next_seq(self, organisation_id: int, year: int) -> int:
        return int(self.session.execute(_NEXT_SEQ, {"org": organisation_id, "year": year}).scalar_one())

    def load(self, case_id: int, *, full: bool = False, lock: bool = False) -> Case:
        # populate_existing: the case may already sit in the session without its collections.
        stmt = select(Case).where(Case.id == case_id).options(*(FULL if full else CORE))
        if lock:
            # Two transitions of one case at once would both pass their checks on the old state.
            stmt = stmt.with_for_update(of=Case)
        case = self.session.scalar(stmt.execution_options(populate_existing=True))
        if case is None:
            raise NotFound(N_("case {case_id} not found"), case_id=case_id)
        return case

    def search_stmt(
        self,
        visible: ColumnElement[bool],
        *,
        state: State | None = None,
        dispute_type: DisputeType | None = None,
        grade: Grade | None = None,
        vessel_id: int | None = None,
        organisation_id: int | None = None,
    ) -> Select:
        stmt = select(Case).where(visible)
        if state is not None:
            stmt = stmt.where(Case.state == state)
        if dispute_type is not None:
            stmt = stmt.where(Case.dispute_type == dispute_type)
        if grade is not None:
            stmt = stmt.where(Case.grade == grade)
        if organisation_id is not None:
            stmt = stmt.where(Case.organisation_id == organisation_id)
        if vessel_id is not None:
            stmt = stmt.where(Case.id.in_(select(CaseVessel.case_id).where(CaseVessel.vessel_id == vessel_id)))
        return stmt.order_by(Case.created_at.desc(), Case.id.desc())

    def search(self, visible: ColumnElement[bool], page: int, page_size: int, **filters) -> Page[Case]:
        return self.paginate(self.search_stmt(visible, **filters), page, page_size)

    def duplicates(self, case: Case) -> list[tuple[Case, str, int]]:
        """Other cases about the same vessel or person with an incident within 7 days: (case, what
        matched, the matching id). Suggestions only; cases are never merged."""
        lo, hi = case.incident_at - DUPLICATE_WINDOW, case.incident_at + DUPLICATE_WINDOW
        near = (Case.id != case.id, Case.incident_at.between(lo, hi))
        vessel_ids = [v.vessel_id for v in case.vessels]
        person_ids = list({p.person_id for p in case.parties if p.person_id} | {c.person_id for c in case.crew})
        out: list[tuple[Case, str, int]] = []
        if vessel_ids:
            stmt = (
                select(Case, CaseVessel.vessel_id)
                .join(CaseVessel, CaseVessel.case_id == Case.id)
                .where(*near, CaseVessel.vessel_id.in_(vessel_ids))
            )
            out += [(c, "vessel", vid) for c, vid in self.session.execute(stmt)]
        if person_ids:
            as_party = select(CaseParty.case_id, CaseParty.person_id.label("pid")).where(
                CaseParty.person_id.in_(person_ids)
            )
            as_crew = select(CaseCrew.case_id, CaseCrew.person_id.label("pid")).where(
                CaseCrew.person_id.in_(person_ids)
            )
            linked = as_party.union(as_crew).subquery()
            stmt = select(Case, linked.c.pid).join(linked, linked.c.case_id == Case.id).where(*near)
            out += [(c, "person", pid) for c, pid in self.session.execute(stmt)]
        return out
