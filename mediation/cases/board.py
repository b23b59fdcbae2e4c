"""Case queries for the coordinator board and the registry pages: filters (state, type, grade,
vessel, company, mediator, sea area), a text search over number, description and party names,
counts per state, a mediator's own cases, and the cases of one vessel or person.

Every query takes ``visible`` (access.visible(principal)): a list never shows a case its reader
may not open. The text search is ILIKE on the number, description and party/agent names (Chinese
has no word breaks for PostgreSQL's full-text parser; pg_trgm GIN indexes from migration 0009
serve the same ILIKE)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Result, Select, func, or_, select, union
from sqlalchemy.orm import Session

from maritime_hub.auth.service import Principal
from maritime_hub.db.repository import Page, RepositoryBase
from mediation.cases import access
from mediation.cases.enums import DisputeType, Grade
from mediation.cases.models import Case, CaseCrew, CaseMember, CaseParty, CaseVessel
from mediation.cases.states import State


@dataclass
class BoardFilters:
    state: State | None = None
    dispute_type: DisputeType | None = None
    grade: Grade | None = None
    vessel_id: int | None = None
    company_id: int | None = None  # an organisation that is a party (the shipowner, the manning agency)
    mediator_id: int | None = None
    sea_area: str | None = None
    q: str | None = None


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _filtered(visible: ColumnElement[bool], f: BoardFilters, *, with_state: bool = True) -> Select:
    stmt = select(Case).where(visible)
    if with_state and f.state is not None:
        stmt = stmt.where(Case.state == f.state)
    if f.dispute_type is not None:
        stmt = stmt.where(Case.dispute_type == f.dispute_type)
    if f.grade is not None:
        stmt = stmt.where(Case.grade == f.grade)
    if f.vessel_id is not None:
        stmt = stmt.where(Case.id.in_(select(CaseVessel.case_id).where(CaseVessel.vessel_id == f.vessel_id)))
    if f.company_id is not None:
        stmt = stmt.where(Case.id.in_(select(CaseParty.case_id).where(CaseParty.organisation_id == f.company_id)))
    if f.mediator_id is not None:
        stmt = stmt.where(Case.assigned_mediator_id == f.mediator_id)
    if f.sea_area:
        stmt = stmt.where(Case.sea_area.ilike(f"%{_escape(f.sea_area.strip())}%", escape="\\"))
    q = (f.q or "").strip()
    if q:
        like = f"%{_escape(q)}%"
        # One UNION of per-column lookups rather than number OR description OR id IN (…): an OR with
        # a subquery forces a sequential scan of mediation_case, while each branch here can use its
        # trigram index (migration 0009).
        matches = union(
            select(Case.id).where(Case.number.ilike(like, escape="\\")),
            select(Case.id).where(Case.description.ilike(like, escape="\\")),
            select(CaseParty.case_id).where(
                or_(CaseParty.name.ilike(like, escape="\\"), CaseParty.agent_name.ilike(like, escape="\\"))
            ),
        )
        stmt = stmt.where(Case.id.in_(matches))
    return stmt


class BoardRepository(RepositoryBase[Case]):
    model = Case
    label = "case"

    def search(self, visible: ColumnElement[bool], filters: BoardFilters, page: int, page_size: int = 25) -> Page[Case]:
        stmt = _filtered(visible, filters).order_by(Case.created_at.desc(), Case.id.desc())
        return self.paginate(stmt, page, page_size)

    def counts_by_state(self, visible: ColumnElement[bool], filters: BoardFilters) -> dict[State, int]:
        """How many cases are in each state under the other filters (the board's state tabs)."""
        sub = _filtered(visible, filters, with_state=False).subquery()
        rows: Result[Any, int] = self.session.execute(select(sub.c.state, func.count()).group_by(sub.c.state))
        return {State(s) if not isinstance(s, State) else s: n for s, n in rows}

    def sea_areas(self, visible: ColumnElement[bool]) -> list[str]:
        stmt = select(Case.sea_area).where(visible, Case.sea_area.is_not(None)).distinct().order_by(Case.sea_area)
        return list(self.session.scalars(stmt))

    def vessel_ids(self, visible: ColumnElement[bool]) -> list[int]:
        stmt = select(CaseVessel.vessel_id).join(Case, Case.id == CaseVessel.case_id).where(visible).distinct()
        return list(self.session.scalars(stmt))

    def company_ids(self, visible: ColumnElement[bool]) -> list[int]:
        stmt = (
            select(CaseParty.organisation_id)
            .join(Case, Case.id == CaseParty.case_id)
            .where(visible, CaseParty.organisation_id.is_not(None))
            .distinct()
        )
        return list(self.session.scalars(stmt))

    def mine(self, user_id: int) -> list[Case]:
        """A mediator's cases: assigned to them (offers waiting included) or on their panel."""
        on_panel = select(CaseMember.case_id).where(CaseMember.user_id == user_id)
        stmt = (
            select(Case)
            .where(or_(Case.assigned_mediator_id == user_id, Case.id.in_(on_panel)))
            .order_by(Case.state_entered_at.desc(), Case.id.desc())
        )
        return list(self.session.scalars(stmt))

    def for_vessel(self, visible: ColumnElement[bool], vessel_id: int) -> list[Case]:
        linked = or_(Case.id.in_(select(CaseVessel.case_id).where(CaseVessel.vessel_id == vessel_id)))
        return list(self.session.scalars(select(Case).where(visible, linked).order_by(Case.created_at.desc())))

    def for_person(self, visible: ColumnElement[bool], person_id: int) -> list[Case]:
        linked = or_(
            Case.id.in_(select(CaseParty.case_id).where(CaseParty.person_id == person_id)),
            Case.id.in_(select(CaseCrew.case_id).where(CaseCrew.person_id == person_id)),
        )
        return list(self.session.scalars(select(Case).where(visible, linked).order_by(Case.created_at.desc())))


def visible_cases(
    session: Session, principal: Principal, *, vessel_id: int | None = None, person_id: int | None = None
) -> list[Case]:
    """The cases of a vessel or a person that this reader may open (registry pages list them)."""
    repo, visible = BoardRepository(session), access.visible(principal)
    if vessel_id is not None:
        return repo.for_vessel(visible, vessel_id)
    if person_id is None:
        raise TypeError("visible_cases() needs vessel_id or person_id")
    return repo.for_person(visible, person_id)
