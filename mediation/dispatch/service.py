"""Mediator dispatch rules: profiles, conflicts, ratings, 选单 (ranking), 派单 (assign), 接单 (accept),
拒单 (decline) and the ODR 12 timeout sweep. Services flush, never commit; every write is audited.

The case's own state change goes through the case workflow (mediation/cases/workflow.py), so its
checks, timeline and audit apply. The dispatch rules (conflict-of-interest and other exclusions, the
DispatchAttempt record) are registered as a hook of the lifecycle (mediation/cases/hooks.py), so a
dispatch through ``POST /cases/{id}/transitions`` obeys and records exactly what ``/dispatch`` does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from crew.models import Person
from maritime_hub.audit.service import Actor, changes, record, snapshot
from maritime_hub.auth.models import Role, User
from maritime_hub.auth.service import Principal
from maritime_hub.db.base import utcnow
from maritime_hub.errors import Forbidden, ValidationFailed
from maritime_hub.messages import N_, ByLocale, Joined
from maritime_hub.orgs.models import Organisation
from mediation.calendar import WorkingCalendar
from mediation.cases import access, hooks, messages, notices, workflow
from mediation.cases import schemas as case_schemas
from mediation.cases.models import Case, CaseTimeline
from mediation.cases.repository import CaseRepository
from mediation.cases.states import State
from mediation.deadlines import local_date, mediator_acceptance
from mediation.dispatch import errors, schemas
from mediation.dispatch.models import (
    AttemptOutcome,
    ConflictOfInterest,
    DispatchAttempt,
    MediatorProfile,
    MediatorRating,
)
from mediation.dispatch.repository import DispatchRepository
from mediation.dispatch.scoring import Candidate, rank


# -- profiles, conflicts, ratings --------------------------------------------------------------
def _check_mediator(session: Session, user_id: int, field: str = "user_id") -> User:
    user = session.get(User, user_id)
    if user is None or not user.active or Role.mediator.value not in (user.roles or []):
        raise ValidationFailed(N_("user {user_id} is not an active mediator"), user_id=user_id, field=field)
    return user


def _check_org(session: Session, org_id: int | None) -> None:
    if org_id is not None and session.get(Organisation, org_id) is None:
        raise ValidationFailed(N_("organisation {org_id} does not exist"), org_id=org_id, field="organisation_id")


def _require_own(actor: Actor, user: User) -> None:
    """Coordinators keep the profiles and conflicts of interest of their own organisation's mediators
    (the mediator's account's organisation); an administrator, and the platform itself (CLI, demo
    loader: not a Principal), keep everyone's."""
    if not isinstance(actor, Principal) or actor.has("admin"):
        return
    if actor.organisation_id is not None and user.organisation_id == actor.organisation_id:
        return
    raise errors.NotOwnMediator(
        N_(
            "mediator {name} belongs to another organisation: their profile and conflicts of interest are "
            "kept by that organisation's coordinators or an administrator"
        ),
        name=user.display_name or user.username,
    )


def _own_mediator(session: Session, actor: Actor, user_id: int) -> MediatorProfile:
    profile = DispatchRepository(session).profile_or_404(user_id)
    user = session.get(User, user_id)
    assert user is not None  # the profile's foreign key
    _require_own(actor, user)
    return profile


def create_profile(session: Session, actor: Actor, data: schemas.ProfileCreate) -> MediatorProfile:
    _require_own(actor, _check_mediator(session, data.user_id))
    repo = DispatchRepository(session)
    if repo.profile(data.user_id) is not None:
        raise errors.ProfileExists(
            N_("user {user_id} already has a mediator profile; edit that profile instead"),
            user_id=data.user_id,
            field="user_id",
        )
    values = data.model_dump(exclude_none=True)
    _check_org(session, values.get("organisation_id"))
    values["specialties"] = [s.value if hasattr(s, "value") else s for s in values.get("specialties", [])]
    values.setdefault("home_ports", [])
    values.setdefault("sea_areas", [])
    profile = MediatorProfile(**values)
    session.add(profile)
    session.flush()
    record(session, actor, "mediator_profile.create", "mediator_profile", profile.id, after=snapshot(profile))
    return profile


def update_profile(session: Session, actor: Actor, user_id: int, data: schemas.ProfileUpdate) -> MediatorProfile:
    profile = _own_mediator(session, actor, user_id)
    before = snapshot(profile)
    patch = data.model_dump(exclude_unset=True)
    for field in ("kind", "available", "max_load", "languages", "home_ports", "sea_areas", "specialties"):
        if field in patch and patch[field] is None:
            raise ValidationFailed(N_("{field_name} cannot be empty"), field_name=field, field=field)
    _check_org(session, patch.get("organisation_id"))
    if "specialties" in patch:
        patch["specialties"] = [s.value if hasattr(s, "value") else s for s in patch["specialties"]]
    for field, value in patch.items():
        setattr(profile, field, value)
    session.flush()
    b, a = changes(before, snapshot(profile))
    record(session, actor, "mediator_profile.update", "mediator_profile", profile.id, before=b, after=a)
    return profile


def conflicts(session: Session, actor: Actor, user_id: int) -> list[ConflictOfInterest]:
    """A mediator's declared ties (relatives, companies) are kept by their own organisation: another
    organisation's coordinator reads the roster, not these."""
    _own_mediator(session, actor, user_id)
    return DispatchRepository(session).conflicts(user_id)


def add_conflict(session: Session, actor: Actor, user_id: int, data: schemas.ConflictCreate) -> ConflictOfInterest:
    _own_mediator(session, actor, user_id)
    _check_org(session, data.organisation_id)
    if data.person_id is not None and session.get(Person, data.person_id) is None:
        raise ValidationFailed(N_("person {person_id} does not exist"), person_id=data.person_id, field="person_id")
    c = ConflictOfInterest(mediator_user_id=user_id, **data.model_dump())
    session.add(c)
    session.flush()
    record(session, actor, "mediator_conflict.create", "mediator_conflict", c.id, after=snapshot(c))
    return c


def rate(session: Session, principal: Principal, case_id: int, data: schemas.RatingCreate) -> MediatorRating:
    """A party of the case rates the mediator who handled it, once per case."""
    case = CaseRepository(session).load(case_id)
    access.require_read(principal, case)
    if not any(p.user_id == principal.user_id for p in case.parties if p.user_id is not None):
        raise Forbidden(N_("only a party to the case may rate its mediator"))
    if case.assigned_mediator_id is None or case.accepted_at is None:
        raise errors.NoOpenDispatch(
            N_("the case has no mediator who accepted it yet; rate after mediation"), field="case_id"
        )
    if session.query(MediatorRating).filter_by(case_id=case_id, party_user_id=principal.user_id).first():
        raise errors.AlreadyRated(N_("you have already rated the mediator of this case"), field="score")
    r = MediatorRating(
        case_id=case_id,
        mediator_user_id=case.assigned_mediator_id,
        party_user_id=principal.user_id,
        score=data.score,
        comment=data.comment,
    )
    session.add(r)
    session.flush()
    record(session, principal, "mediator_rating.create", "mediator_rating", r.id, after=snapshot(r))
    return r


def list_mediators(session: Session) -> list[schemas.MediatorOut]:
    repo = DispatchRepository(session)
    loads, ratings = repo.loads(), repo.ratings()
    out = []
    for p, u in repo.profiles():
        avg, n = ratings.get(u.id, (None, 0))
        out.append(
            schemas.MediatorOut.model_validate(p).model_copy(
                update={"name": u.display_name or u.username, "load": loads.get(u.id, 0), "rating": avg, "ratings": n}
            )
        )
    return out


# -- 选单 ------------------------------------------------------------------------------------------
def candidates(session: Session, principal: Principal | None, case_id: int, today=None) -> list[Candidate]:
    case = CaseRepository(session).load(case_id)
    if principal is not None:
        access.require_read(principal, case)
    repo = DispatchRepository(session)
    today = today or local_date(utcnow())
    return rank(repo.case_facts(case), repo.mediator_facts(case.id), today)


def best_candidate(session: Session, case_id: int, today=None) -> Candidate | None:
    return next((c for c in candidates(session, None, case_id, today) if not c.excluded), None)


# -- 派单 / 接单 / 拒单 -------------------------------------------------------------------------------
def _open_attempt(session: Session, case: Case) -> DispatchAttempt | None:
    """The attempt waiting for the assigned mediator; one is created for a dispatch made through the
    generic transitions endpoint (its clock runs from ``case.dispatched_at``)."""
    repo = DispatchRepository(session)
    attempt = repo.open_attempt(case.id)
    if case.state != State.DISPATCHING or case.assigned_mediator_id is None:
        return attempt
    if attempt is not None and attempt.mediator_user_id != case.assigned_mediator_id:
        attempt.outcome, attempt.answered_at = AttemptOutcome.reassigned, case.dispatched_at or utcnow()
        attempt = None
    if attempt is None:
        attempt = DispatchAttempt(
            case_id=case.id,
            mediator_user_id=case.assigned_mediator_id,
            assigned_at=case.dispatched_at or utcnow(),
            needs_coordinator=False,
        )
        session.add(attempt)
        session.flush()
    return attempt


def _check_dispatch(ctx, p) -> str | None:
    """Precondition of every dispatch: the chosen mediator is not excluded (conflict of interest,
    unavailable, full, already asked on this case). 409 naming the mediator field."""
    if p is None:
        return None
    ranked = rank(
        DispatchRepository(ctx.session).case_facts(ctx.case),
        DispatchRepository(ctx.session).mediator_facts(ctx.case.id),
        ctx.today,
    )
    chosen = next((c for c in ranked if c.user_id == p.mediator_user_id), None)
    if chosen is not None and chosen.excluded:
        reasons = Joined((ByLocale(r.en, zh_CN=r.zh) for r in chosen.exclusions), " | ", "；")
        raise errors.MediatorNotEligible(
            N_("{reasons}; choose another candidate from GET /api/v1/cases/{case_id}/candidates"),
            reasons=reasons,
            case_id=ctx.case.id,
            field="mediator_user_id",
            details={"reasons_zh": [r.zh for r in chosen.exclusions]},
        )
    return None


def _record_dispatch(ctx, p) -> None:
    """The attempt row of every dispatch; an attempt still open is closed as reassigned."""
    session, now = ctx.session, ctx.now or utcnow()
    previous = DispatchRepository(session).open_attempt(ctx.case.id)
    if previous is not None:
        previous.outcome, previous.answered_at = AttemptOutcome.reassigned, now
    attempt = DispatchAttempt(
        case_id=ctx.case.id,
        mediator_user_id=p.mediator_user_id,
        assigned_at=now,
        assigned_by_id=ctx.principal.user_id,
        needs_coordinator=False,
    )
    session.add(attempt)
    session.flush()
    record(session, ctx.principal, "dispatch.assign", "dispatch_attempt", attempt.id, after=snapshot(attempt))


def install() -> None:
    """Put the dispatch rules into the case lifecycle (maritime_hub/wiring.py calls it at start-up)."""
    hooks.on_dispatch(hooks.DispatchHook("dispatch", _check_dispatch, _record_dispatch))


def assign(
    session: Session, principal: Principal, case_id: int, mediator_user_id: int, now: datetime | None = None
) -> DispatchAttempt:
    """派单 (PLANNED → DISPATCHING) or reassignment (DISPATCHING → DISPATCHING): the workflow step,
    whose dispatch hook checks the mediator and records the attempt."""
    workflow.transition(
        session,
        principal,
        case_id,
        case_schemas.TransitionRequest(to=State.DISPATCHING, mediator_user_id=mediator_user_id),
        now=now or utcnow(),
    )
    attempt = DispatchRepository(session).open_attempt(case_id)
    assert attempt is not None  # written by _record_dispatch in the same transaction
    return attempt


def accept(session: Session, principal: Principal, case_id: int, now: datetime | None = None) -> DispatchAttempt:
    """接单: only the assigned mediator (the workflow says 403 otherwise, 409 outside DISPATCHING)."""
    now = now or utcnow()
    case = CaseRepository(session).load(case_id)
    access.require_read(principal, case)
    attempt = _open_attempt(session, case)
    workflow.transition(session, principal, case_id, case_schemas.TransitionRequest(to=State.ACCEPTED))
    if attempt is None:  # not reached: the workflow refuses an accept without an assigned mediator
        raise errors.NoOpenDispatch(N_("the case has no open dispatch to accept"), field="case_id")
    before = snapshot(attempt)
    attempt.outcome, attempt.answered_at = AttemptOutcome.accepted, now
    session.flush()
    b, a = changes(before, snapshot(attempt))
    record(session, principal, "dispatch.accept", "dispatch_attempt", attempt.id, before=b, after=a)
    return attempt


def _release(
    session: Session, actor: Actor, case, attempt: DispatchAttempt, outcome: AttemptOutcome, reason: str, now: datetime
) -> None:
    """Close an attempt without acceptance and take the case back from the mediator."""
    before = snapshot(attempt)
    attempt.outcome, attempt.answered_at, attempt.reason = outcome, now, reason
    case.assigned_mediator_id = None
    session.add(
        CaseTimeline(
            case_id=case.id,
            from_state=State.DISPATCHING,
            to_state=State.DISPATCHING,
            at=now,
            actor_user_id=actor.user_id,
            actor_name=getattr(actor, "display_name", "") or actor.username,
            payload={"dispatch": outcome.value, "mediator_user_id": attempt.mediator_user_id, "reason": reason},
        )
    )
    session.flush()
    b, a = changes(before, snapshot(attempt))
    record(session, actor, f"dispatch.{outcome.value}", "dispatch_attempt", attempt.id, before=b, after=a)


def decline(
    session: Session, principal: Principal, case_id: int, reason: str, now: datetime | None = None
) -> tuple[DispatchAttempt, Candidate | None]:
    """拒单: the assigned mediator declines with a reason; the case waits for a new 派单 and the best
    remaining candidate is proposed."""
    now = now or utcnow()
    case = CaseRepository(session).load(case_id, lock=True)
    access.require_read(principal, case)
    if case.state != State.DISPATCHING:
        raise errors.NoOpenDispatch(
            N_("only a case in DISPATCHING can be declined; this one is {state}"),
            state=messages.state(case.state),
            field="case_id",
        )
    if not principal.has("mediator") or principal.user_id is None or principal.user_id != case.assigned_mediator_id:
        raise Forbidden(N_("only the mediator the case is dispatched to may decline it"))
    attempt = _open_attempt(session, case)
    if attempt is None:  # a bug: in DISPATCHING with a mediator, _open_attempt makes one when missing
        raise RuntimeError(f"case {case.id} in DISPATCHING has no open dispatch attempt")
    _release(session, principal, case, attempt, AttemptOutcome.declined, reason, now)
    notices.case_event(
        session, case, "declined", actor_user_id=principal.user_id, mediator_id=attempt.mediator_user_id, reason=reason
    )
    return attempt, best_candidate(session, case_id, local_date(now))


# -- ODR 12: no answer within 3 working days → reassign --------------------------------------------
def system_principal(case: Case, display_name: str = "自动派单 (ODR 12)") -> Principal:
    """The platform acting as the case's coordinator (timeouts, the parties' agreed choice)."""
    return Principal(
        user_id=None,
        username="system:dispatch",
        organisation_id=case.organisation_id,
        roles=frozenset({"coordinator"}),
        display_name=display_name,
    )


def reassign_overdue(
    session: Session, now: datetime | None = None, cal: WorkingCalendar | None = None
) -> list[DispatchAttempt]:
    """Time out every attempt unanswered past its ODR 12 due date (overdue from the day after the
    due day, holidays per the calendar) and dispatch the next ranked candidate, or flag the attempt
    ``needs_coordinator`` when there is none. Idempotent: a second run finds nothing overdue.
    Returns the attempts it timed out."""
    now = now or utcnow()
    cal = cal or WorkingCalendar.from_settings()
    today = local_date(now)
    timed_out = []
    for case in DispatchRepository(session).dispatching_cases():
        attempt = _open_attempt(session, case)
        if attempt is None or mediator_acceptance(cal, local_date(attempt.assigned_at)).due >= today:
            continue
        actor = system_principal(case)
        _release(
            session, actor, case, attempt, AttemptOutcome.timed_out, "ODR 12: no answer within 3 working days", now
        )
        timed_out.append(attempt)
        nxt = best_candidate(session, case.id, today)
        notices.case_event(session, case, "timed_out", mediator_id=attempt.mediator_user_id, reassigned=nxt is not None)
        if nxt is None:
            attempt.needs_coordinator = True
            session.flush()
            record(
                session,
                actor,
                "dispatch.needs_coordinator",
                "mediation_case",
                case.id,
                after={"reason": "no eligible mediator left after a timeout (ODR 12)"},
            )
            continue
        assign(session, actor, case.id, nxt.user_id, now)
    return timed_out
