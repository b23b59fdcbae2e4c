"""Dispatch queries: profiles with load and rating, a case's facts for ranking, open attempts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Result, func, select
from sqlalchemy.orm import Session

from crew.models import Person
from maritime_hub.auth.models import User
from maritime_hub.errors import NotFound
from maritime_hub.messages import N_
from maritime_hub.orgs.models import Organisation
from mediation.cases.models import Case
from mediation.cases.states import State
from mediation.dispatch.models import (
    ConflictOfInterest,
    DispatchAttempt,
    MediatorProfile,
    MediatorRating,
)
from mediation.dispatch.scoring import NATIONALITY_LANGUAGE, CaseFacts, MediatorFacts
from vessels.models import Vessel

# A mediator's load: cases dispatched to them and not yet past mediation.
ACTIVE = (State.DISPATCHING, State.ACCEPTED, State.INVESTIGATING, State.MEDIATING)


class DispatchRepository:
    def __init__(self, session: Session):
        self.session = session

    def profile(self, user_id: int) -> MediatorProfile | None:
        return self.session.scalar(select(MediatorProfile).where(MediatorProfile.user_id == user_id))

    def profile_or_404(self, user_id: int) -> MediatorProfile:
        p = self.profile(user_id)
        if p is None:
            raise NotFound(N_("user {user_id} has no mediator profile"), user_id=user_id)
        return p

    def loads(self) -> dict[int, int]:
        rows = self.session.execute(
            select(Case.assigned_mediator_id, func.count())
            .where(Case.state.in_(ACTIVE), Case.assigned_mediator_id.is_not(None))
            .group_by(Case.assigned_mediator_id)
        )
        return {uid: n for uid, n in rows if uid is not None}  # never None: filtered in SQL

    def ratings(self) -> dict[int, tuple[float, int]]:
        rows: Result[int, Decimal, int] = self.session.execute(
            select(MediatorRating.mediator_user_id, func.avg(MediatorRating.score), func.count()).group_by(
                MediatorRating.mediator_user_id
            )
        )
        return {uid: (round(float(avg), 2), n) for uid, avg, n in rows}

    def profiles(self) -> list[tuple[MediatorProfile, User]]:
        rows = self.session.execute(
            select(MediatorProfile, User)
            .join(User, User.id == MediatorProfile.user_id)
            .where(User.active.is_(True))
            .order_by(MediatorProfile.user_id)
        )
        return [(p, u) for p, u in rows]

    def conflicts(self, user_id: int | None = None) -> list[ConflictOfInterest]:
        stmt = select(ConflictOfInterest).order_by(ConflictOfInterest.id)
        if user_id is not None:
            stmt = stmt.where(ConflictOfInterest.mediator_user_id == user_id)
        return list(self.session.scalars(stmt))

    def attempts(self, case_id: int) -> list[DispatchAttempt]:
        return list(
            self.session.scalars(
                select(DispatchAttempt).where(DispatchAttempt.case_id == case_id).order_by(DispatchAttempt.id)
            )
        )

    def open_attempt(self, case_id: int) -> DispatchAttempt | None:
        return self.session.scalar(
            select(DispatchAttempt)
            .where(DispatchAttempt.case_id == case_id, DispatchAttempt.outcome.is_(None))
            .order_by(DispatchAttempt.id.desc())
            .limit(1)
        )

    def dispatching_cases(self) -> list[Case]:
        # Locked, skipping cases another sweep or a concurrent answer holds: each is handled once.
        return list(
            self.session.scalars(
                select(Case)
                .where(Case.state == State.DISPATCHING, Case.assigned_mediator_id.is_not(None))
                .order_by(Case.id)
                .with_for_update(of=Case, skip_locked=True)
            )
        )

    # -- facts for scoring ------------------------------------------------------------------
    def case_facts(self, case: Case) -> CaseFacts:
        """``case`` with parties, vessels and crew loaded (CaseRepository.load)."""
        s = self.session
        person_ids = {p.person_id for p in case.parties if p.person_id} | {c.person_id for c in case.crew}
        nat = {p.nationality for p in case.parties if p.nationality}
        if person_ids:
            nat |= set(s.scalars(select(Person.nationality).where(Person.id.in_(person_ids))))
        langs = {"zh"} | {NATIONALITY_LANGUAGE[n] for n in nat if n in NATIONALITY_LANGUAGE}
        vessel_ids = [v.vessel_id for v in case.vessels]
        ports = (
            set(s.scalars(select(Vessel.port_of_registry).where(Vessel.id.in_(vessel_ids)))) if vessel_ids else set()
        )
        org_ids = {p.organisation_id for p in case.parties if p.organisation_id}
        names = (
            {i: n for i, n in s.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(org_ids)))}
            if org_ids
            else {}
        )
        return CaseFacts(
            dispute_type=case.dispute_type.value,
            sea_area=case.sea_area,
            ports=frozenset(p for p in ports if p is not None),
            languages=frozenset(langs),
            party_org_ids=frozenset(org_ids),
            party_person_ids=frozenset({p.person_id for p in case.parties if p.person_id}),
            party_org_names=names,
        )

    def mediator_facts(self, case_id: int | None = None) -> list[MediatorFacts]:
        loads, ratings = self.loads(), self.ratings()
        conflicts: dict[int, list[ConflictOfInterest]] = {}
        for c in self.conflicts():
            conflicts.setdefault(c.mediator_user_id, []).append(c)
        asked = {a.mediator_user_id: a.outcome.value for a in self.attempts(case_id) if a.outcome} if case_id else {}
        out = []
        for p, u in self.profiles():
            if "mediator" not in (u.roles or []):
                continue
            mine = conflicts.get(u.id, [])
            avg, n = ratings.get(u.id, (None, 0))
            out.append(
                MediatorFacts(
                    user_id=u.id,
                    name=u.display_name or u.username,
                    kind=p.kind.value,
                    languages=frozenset(p.languages or ()),
                    home_ports=frozenset(p.home_ports or ()),
                    sea_areas=frozenset(p.sea_areas or ()),
                    specialties=frozenset(p.specialties or ()),
                    available=p.available,
                    unavailable_until=p.unavailable_until,
                    max_load=p.max_load,
                    load=loads.get(u.id, 0),
                    rating=avg,
                    ratings=n,
                    organisation_id=p.organisation_id,
                    conflict_org_ids={c.organisation_id: c.relation for c in mine if c.organisation_id},
                    conflict_person_ids={c.person_id: c.relation for c in mine if c.person_id},
                    previously_asked=asked.get(u.id),
                )
            )
        return out
