"""派单 by the parties: each party of the case may choose a mediator from the roster before the case
is dispatched (ODR Rules 12: the parties choose; if they do not, the organisation appoints). When
every party has chosen the same mediator and the plan is made (PLANNED), the case is dispatched to
that mediator at once, through the same step, conflict check and attempt record as a coordinator's
派单; otherwise the coordinator sees the choices beside the ranked candidates."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from maritime_hub.audit.service import record
from maritime_hub.auth.models import User
from maritime_hub.auth.service import Principal
from maritime_hub.db.base import utcnow
from maritime_hub.db.repository import by_ids
from maritime_hub.errors import Forbidden, ValidationFailed
from maritime_hub.messages import N_, ByLocale, Joined
from mediation.cases import access
from mediation.cases.models import Case
from mediation.cases.repository import CaseRepository
from mediation.cases.states import STATE_LABELS_ZH, State
from mediation.dispatch import errors, schemas, service
from mediation.dispatch.models import MediatorChoice

# Before 派单: once a mediator is asked, a change goes through the coordinator (reassignment).
OPEN_FOR_CHOICE = frozenset({State.REGISTERED, State.TRIAGED, State.PLANNED})


def _rows(session: Session, case_id: int) -> list[MediatorChoice]:
    return list(
        session.scalars(select(MediatorChoice).where(MediatorChoice.case_id == case_id).order_by(MediatorChoice.id))
    )


def _agreed(case: Case, rows: list[MediatorChoice]) -> int | None:
    """The mediator every party chose, when all of them chose the same one."""
    chosen = {r.case_party_id: r.mediator_user_id for r in rows}
    if not case.parties or any(p.id not in chosen for p in case.parties):
        return None
    picks = set(chosen.values())
    return picks.pop() if len(picks) == 1 else None


def _out(session: Session, case: Case, dispatched: bool = False, ranked: list | None = None) -> schemas.ChoicesOut:
    """``ranked``: the ranking already made for this request, when nothing has changed it since."""
    rows = _rows(session, case.id)
    parties = {p.id: p for p in case.parties}
    names = {i: u.display_name for i, u in by_ids(session, User, {r.mediator_user_id for r in rows}).items()}
    if ranked is None:
        ranked = service.candidates(session, None, case.id)
    ranked = [c for c in ranked if not c.excluded]
    return schemas.ChoicesOut(
        open=case.state in OPEN_FOR_CHOICE,
        choices=[
            schemas.ChoiceOut(
                party_id=r.case_party_id,
                party_name=parties[r.case_party_id].name,
                side=parties[r.case_party_id].side.value,
                mediator_user_id=r.mediator_user_id,
                mediator_name=names.get(r.mediator_user_id, ""),
                chosen_at=r.chosen_at,
            )
            for r in rows
            if r.case_party_id in parties
        ],
        agreed_mediator_user_id=_agreed(case, rows),
        dispatched=dispatched,
        candidates=[
            schemas.ChoiceCandidateOut(
                user_id=c.user_id,
                name=c.name,
                kind=c.kind,
                rating=c.rating,
                reasons=[schemas.ReasonOut.model_validate(r) for r in c.reasons],
            )
            for c in ranked
        ],
    )


def choices(session: Session, principal: Principal, case_id: int) -> schemas.ChoicesOut:
    case = CaseRepository(session).load(case_id)
    access.require_read(principal, case)
    return _out(session, case)


def choose(session: Session, principal: Principal, case_id: int, mediator_user_id: int) -> schemas.ChoicesOut:
    repo = CaseRepository(session)
    case = repo.load(case_id, lock=True)
    access.require_read(principal, case)
    mine = [p for p in case.parties if principal.user_id is not None and p.user_id == principal.user_id]
    if not mine:
        raise Forbidden(N_("only a party of the case may choose its mediator"))
    if case.state not in OPEN_FOR_CHOICE:
        state = ByLocale(case.state.value, zh_CN=STATE_LABELS_ZH[case.state])
        raise errors.ChoiceClosed(
            N_(
                "the case is already at {state}: the mediator can no longer be chosen by the parties; "
                "ask the coordinator to reassign it"
            ),
            state=state,
            field="mediator_user_id",
        )
    ranked = service.candidates(session, None, case_id)
    pick = next((c for c in ranked if c.user_id == mediator_user_id), None)
    if pick is None:
        raise ValidationFailed(
            N_("mediator {user_id} is not on the roster"), user_id=mediator_user_id, field="mediator_user_id"
        )
    if pick.excluded:
        reasons = Joined((ByLocale(r.en, zh_CN=r.zh) for r in pick.exclusions), " | ", "；")
        raise errors.MediatorNotEligible(
            N_("{reasons}; choose another mediator from the list"), reasons=reasons, field="mediator_user_id"
        )
    existing = {r.case_party_id: r for r in _rows(session, case.id)}
    now = utcnow()
    for party in mine:
        row = existing.get(party.id)
        if row is None:
            row = MediatorChoice(
                case_id=case.id,
                case_party_id=party.id,
                mediator_user_id=mediator_user_id,
                chosen_by_id=principal.user_id,
                chosen_at=now,
            )
            session.add(row)
        else:
            row.mediator_user_id, row.chosen_by_id, row.chosen_at = mediator_user_id, principal.user_id, now
        session.flush()
        record(
            session,
            principal,
            "dispatch.choose",
            "mediation_case",
            case.id,
            after={"party_id": party.id, "mediator_user_id": mediator_user_id},
        )
    agreed = _agreed(case, _rows(session, case.id))
    if agreed is not None and case.state == State.PLANNED:
        service.assign(session, service.system_principal(case, "当事人共同选定调解员 (ODR 12)"), case.id, agreed)
        return _out(session, repo.load(case.id), dispatched=True)  # ranked anew: the mediator is now asked
    return _out(session, case, ranked=ranked)
