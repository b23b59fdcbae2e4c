"""Taking a step in the lifecycle: interprets the table in states.py.

Order of refusals: no access to the case (403) → no such step from this state (409) → not one of
the people who may take it (403) → bad payload (422) → preconditions (409, every failing reason).
A step that passes writes its effects, the new state, a timeline row and an audit event in the
caller's transaction.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from maritime_hub.audit.service import changes, jsonable, record, snapshot
from maritime_hub.auth.service import Principal
from maritime_hub.db.base import utcnow
from maritime_hub.errors import Forbidden, ValidationFailed
from maritime_hub.messages import N_, ByLocale, Joined, validation_message
from mediation.cases import access, errors, messages, notices, schemas, states
from mediation.cases.models import Case, CaseTimeline
from mediation.cases.payloads import Payload, local_today
from mediation.cases.repository import CaseRepository
from mediation.cases.rules import Ctx
from mediation.cases.states import STATE_LABELS_ZH, State, Transition
from mediation.deadlines import local_date


def context(session: Session, principal: Principal, case: Case, now: datetime | None = None) -> Ctx:
    return Ctx(
        session=session, case=case, principal=principal, today=local_date(now) if now else local_today(), now=now
    )


def _state(s: State) -> ByLocale:
    """A state inside a message: "AGREED (签订协议)" in English, its Chinese label in Chinese."""
    return messages.state(s)


def parse_payload(model: type[Payload], raw: dict[str, Any]) -> Payload:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or "payload"
        raise ValidationFailed(
            N_("{name}: {problem}"),
            name=field,
            problem=validation_message(first),
            field=field,
            details={
                "errors": [
                    {"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg")} for e in errors
                ]
            },
        ) from None


def _step(case: Case, to: State) -> Transition:
    t = states.find(case.state, to)
    if t is None:
        options = [x.target for x in states.from_state(case.state)]
        if options:
            msg = N_("a case in {state} cannot go to {target}; from here it can go to: {options}")
        else:
            msg = N_(
                "a case in {state} cannot go to {target}; from here it can go nowhere: the case is closed and archived"
            )
        raise errors.IllegalTransition(
            msg,
            state=_state(case.state),
            target=_state(to),
            options=Joined(_state(s) for s in options),
            field="to",
            details={"state": case.state.value, "allowed": [s.value for s in options]},
        )
    return t


def transition(
    session: Session,
    principal: Principal,
    case_id: int,
    body: schemas.TransitionRequest,
    *,
    now: datetime | None = None,
) -> Case:
    """``now`` freezes the clock for the step's records (jobs and tests); None = the wall clock."""
    case = CaseRepository(session).load(case_id, lock=True)
    access.require_read(principal, case)
    t = _step(case, body.to)
    ctx = context(session, principal, case, now)
    if not any(w.test(ctx) for w in t.who):
        code = {
            s: ByLocale(s.value, zh_CN=f"“{STATE_LABELS_ZH[s]}”") for s in (case.state, t.target)
        }  # English as before
        raise Forbidden(
            N_("{state} → {target} may be taken only by: {who}"),
            state=code[case.state],
            target=code[t.target],
            who=Joined((ByLocale(w.label, zh_CN=w.label_zh) for w in t.who), " or ", "或"),
        )
    payload = parse_payload(t.payload, dict(body.model_extra or {}))
    reasons = [r for check in t.checks if (r := check(ctx, payload))]
    if reasons:
        # Each reason is an messages.Msg: English in details.reasons, the reader's language in the message.
        codes = [errors.reason_code(r) for r in reasons]
        refused = errors.DeadlinePassed if errors.DeadlinePassed.code in codes else errors.StepRefused
        raise refused(
            Joined(reasons, " | ", "；"),
            field="to",
            details={"reasons": [str(r) for r in reasons], "reason_codes": codes, "state": case.state.value},
        )
    before = snapshot(case)
    source = case.state
    # Effects run while the case is still in the source state (a referral looks at where it comes from).
    for effect in t.effects:
        effect(ctx, payload)
    now = utcnow()
    case.state, case.state_entered_at = t.target, now
    recorded = jsonable(payload.model_dump(exclude_none=True, exclude_defaults=False))
    session.add(
        CaseTimeline(
            case_id=case.id,
            from_state=source,
            to_state=t.target,
            at=now,
            actor_user_id=principal.user_id,
            actor_name=principal.display_name or principal.username,
            payload=recorded or None,
        )
    )
    session.flush()
    b, a = changes(before, snapshot(case))
    record(
        session,
        principal,
        "case.transition",
        "mediation_case",
        case.id,
        before=b,
        after=a | {"transition": f"{source.value}->{t.target.value}", "payload": recorded},
    )
    notices.case_event(session, case, "transition", actor_user_id=principal.user_id, source=source, target=t.target)
    return case


def may_take(session: Session, principal: Principal, case: Case, t: Transition) -> bool:
    """Is the caller one of the people who may take step ``t`` (its relations to the case)?"""
    ctx = context(session, principal, case)
    return any(w.test(ctx) for w in t.who)


def payload_fields(model: type[BaseModel]) -> list[schemas.PayloadField]:
    return [
        schemas.PayloadField(name=name, required=f.is_required(), description=f.description)
        for name, f in model.model_fields.items()
    ]


def allowed(ctx: Ctx) -> list[schemas.AllowedTransition]:
    """The steps this caller could take now, each with the preconditions already known to fail."""
    out = []
    for t in states.from_state(ctx.case.state):
        relations = [w.key for w in t.who if w.test(ctx)]
        if not relations:
            continue
        blockers = [r for check in t.checks if (r := check(ctx, None))]
        out.append(
            schemas.AllowedTransition(
                to=t.target,
                label_zh=STATE_LABELS_ZH[t.target],
                basis=t.basis,
                as_=relations,
                blockers=blockers,
                payload=payload_fields(t.payload),
            )
        )
    return out


def lifecycle() -> schemas.Lifecycle:
    return schemas.Lifecycle(
        states={s.value: STATE_LABELS_ZH[s] for s in State},
        labels=states.LABELS_ZH,
        transitions=[
            schemas.LifecycleTransition(
                from_=t.source,
                to=t.target,
                who=[w.label for w in t.who],
                payload=payload_fields(t.payload),
                preconditions=[c.__name__ for c in t.checks],
                effects=[e.__name__ for e in t.effects],
                basis=t.basis,
            )
            for t in states.TRANSITIONS
        ],
    )
