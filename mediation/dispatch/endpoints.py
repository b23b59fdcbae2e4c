"""Mediator dispatch API: mediator profiles and conflicts, 选单 (ranked candidates), 派单, 接单,
拒单, the attempt history, party ratings and the 以案定补 subsidy report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from maritime_hub.db.deps import DbSession
from maritime_hub.types import Id, Month
from mediation.cases import access
from mediation.cases.repository import CaseRepository
from mediation.dispatch import choice, schemas, service, subsidy
from mediation.dispatch.auth import (
    ChoiceReader,
    DispatchAnswerer,
    DispatchAssigner,
    DispatchReader,
    MediatorChooser,
    MediatorRater,
    MediatorReader,
    MediatorWriter,
    SubsidyReader,
)
from mediation.dispatch.repository import DispatchRepository

router = APIRouter(tags=["dispatch"])


def _one(session, user_id: Id) -> schemas.MediatorOut:
    return next(m for m in service.list_mediators(session) if m.user_id == user_id)


@router.get("/mediators", response_model=list[schemas.MediatorOut])
def list_mediators(session: DbSession, _: MediatorReader):
    """Every active mediator with a profile, with current load and average party rating."""
    return service.list_mediators(session)


@router.post("/mediators", response_model=schemas.MediatorOut, status_code=201)
def create_profile(body: schemas.ProfileCreate, session: DbSession, principal: MediatorWriter):
    """Create the profile of a user with the mediator role (one per user)."""
    p = service.create_profile(session, principal, body)
    return _one(session, p.user_id)


@router.get(
    "/mediators/subsidies", response_model=list[schemas.SubsidyRow], responses={200: {"content": {"text/csv": {}}}}
)
def subsidies(
    session: DbSession,
    _: SubsidyReader,
    month: Annotated[Month, Query(description="YYYY-MM")],
    format: str = Query("json", pattern="^(json|csv)$"),
):
    """以案定补: per mediator, the successful cases of the month by grade and the subsidy in CNY.
    ``format=csv`` downloads the same table."""
    rows = subsidy.report(session, month)
    if format == "csv":
        return Response(
            subsidy.to_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="subsidies-{month}.csv"'},
        )
    return rows


@router.get("/mediators/{user_id:int}", response_model=schemas.MediatorOut)
def get_profile(user_id: Id, session: DbSession, _: MediatorReader):
    DispatchRepository(session).profile_or_404(user_id)
    return _one(session, user_id)


@router.patch("/mediators/{user_id:int}", response_model=schemas.MediatorOut)
def update_profile(user_id: Id, body: schemas.ProfileUpdate, session: DbSession, principal: MediatorWriter):
    """Change profile fields (only those sent): languages, ports, sea areas, specialties, availability, load."""
    service.update_profile(session, principal, user_id, body)
    return _one(session, user_id)


@router.get("/mediators/{user_id:int}/conflicts", response_model=list[schemas.ConflictOut])
def list_conflicts(user_id: Id, session: DbSession, principal: MediatorWriter):
    """A mediator's conflicts of interest: their own organisation's coordinators and admins only."""
    return service.conflicts(session, principal, user_id)


@router.post("/mediators/{user_id:int}/conflicts", response_model=schemas.ConflictOut, status_code=201)
def add_conflict(user_id: Id, body: schemas.ConflictCreate, session: DbSession, principal: MediatorWriter):
    """Declare a conflict of interest: a tie to an organisation (same company) or a person (relative)."""
    return service.add_conflict(session, principal, user_id, body)


@router.get("/cases/{case_id}/candidates", response_model=list[schemas.CandidateOut])
def candidates(case_id: Id, session: DbSession, principal: DispatchReader):
    """选单: mediators ranked for this case, each score broken down with reasons (zh/en); excluded
    mediators (conflict of interest, unavailable, full, already asked) come last with the reason."""
    return service.candidates(session, principal, case_id)


@router.get("/cases/{case_id}/dispatch", response_model=list[schemas.AttemptOut])
def attempts(case_id: Id, session: DbSession, principal: DispatchReader):
    """Every dispatch attempt of the case: who was asked, when, and the answer."""
    access.require_read(principal, CaseRepository(session).load(case_id))
    return DispatchRepository(session).attempts(case_id)


@router.post("/cases/{case_id}/dispatch", response_model=schemas.AttemptOut, status_code=201)
def assign(case_id: Id, body: schemas.AssignRequest, session: DbSession, principal: DispatchAssigner):
    """派单: dispatch (PLANNED → DISPATCHING) or reassign; refuses a mediator with a conflict (409)."""
    return service.assign(session, principal, case_id, body.mediator_user_id)


@router.post("/cases/{case_id}/dispatch/accept", response_model=schemas.AttemptOut)
def accept(case_id: Id, session: DbSession, principal: DispatchAnswerer):
    """接单 by the assigned mediator (DISPATCHING → ACCEPTED; the mediation clock starts, ODR 24)."""
    return service.accept(session, principal, case_id)


@router.post("/cases/{case_id}/dispatch/decline", response_model=schemas.DeclineOut)
def decline(case_id: Id, body: schemas.DeclineRequest, session: DbSession, principal: DispatchAnswerer):
    """拒单 with a reason: the case waits for a new 派单; the best remaining candidate is proposed."""
    attempt, proposed = service.decline(session, principal, case_id, body.reason)
    return schemas.DeclineOut(
        attempt=schemas.AttemptOut.model_validate(attempt),
        proposed=schemas.CandidateOut.model_validate(proposed) if proposed else None,
    )


@router.post("/cases/{case_id}/rating", status_code=201)
def rate(case_id: Id, body: schemas.RatingCreate, session: DbSession, principal: MediatorRater):
    """A party rates the case's mediator, 1–5 with a comment, once per case."""
    r = service.rate(session, principal, case_id, body)
    return {"id": r.id, "case_id": r.case_id, "mediator_user_id": r.mediator_user_id, "score": r.score}


@router.get("/cases/{case_id}/mediator-choices", response_model=schemas.ChoicesOut)
def mediator_choices(case_id: Id, session: DbSession, principal: ChoiceReader):
    """The parties' choices of mediator and the roster they choose from (no internal scores)."""
    return choice.choices(session, principal, case_id)


@router.post("/cases/{case_id}/mediator-choices", response_model=schemas.ChoicesOut)
def choose_mediator(case_id: Id, body: schemas.ChoiceRequest, session: DbSession, principal: MediatorChooser):
    """派单 by the parties (ODR Rules 12): a party chooses a mediator before dispatch; when every party
    chose the same one and the plan is made, the case is dispatched to that mediator."""
    return choice.choose(session, principal, case_id, body.mediator_user_id)
