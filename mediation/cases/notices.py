"""Who hears of what happens to a case (issue 5 §4), each in their own language
(maritime_hub.notify renders per recipient's app_user.locale).

``case_event`` is the one entry point: the workflow calls it after every transition, dispatch
after a decline or a timeout. Recipients:
- 派单 (to DISPATCHING): the mediator the case was dispatched to;
- a decline or an ODR 12 timeout: the coordinators of the case's organisation;
- every transition: the parties who have an account (case_party.user_id) and, for the judicial
  confirmation states, the clerks of the court applied to.
The person who acted is not told about their own act.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import any_, literal, select
from sqlalchemy.orm import Session

from maritime_hub.auth.models import Role, User
from maritime_hub.messages import N_, ByLocale
from maritime_hub.notify.service import Message, notify
from mediation.cases.states import DISPUTE_TYPE_LABELS_ZH, STATE_LABELS_ZH, State

if TYPE_CHECKING:  # the models import this module's package
    from mediation.cases.models import Case

COURT_STATES = frozenset(
    {State.CONFIRM_APPLIED, State.UNDER_REVIEW, State.NOT_ACCEPTED, State.CONFIRMED, State.REJECTED, State.WITHDRAWN}
)


def localized(zh: str, en: str) -> ByLocale:
    """A value shown in each recipient's language."""
    return ByLocale(en, zh_CN=zh)


def _en(value: str) -> str:
    return value.replace("_", " ").lower().capitalize()


def state_label(state: State) -> ByLocale:
    return localized(STATE_LABELS_ZH[state], _en(state.value))


def link(case: Case) -> str:
    return f"/cases/{case.id}"


# -- who ----------------------------------------------------------------------------------------------
def _users_with_role(session: Session, role: Role, org_id: int | None) -> list[int]:
    if org_id is None:
        return []
    return list(
        session.scalars(
            select(User.id)
            .where(User.organisation_id == org_id, User.active.is_(True), literal(role.value) == any_(User.roles))
            .order_by(User.id)
        )
    )


def coordinators(session: Session, org_id: int | None) -> list[int]:
    return _users_with_role(session, Role.coordinator, org_id)


def court_clerks(session: Session, court_id: int | None) -> list[int]:
    return _users_with_role(session, Role.court_clerk, court_id)


def supervisors(session: Session, org_id: int | None) -> list[int]:
    """超时督办 goes to the supervisors of the organisation's coordinators; with none on file, to all
    its coordinators."""
    coords = coordinators(session, org_id)
    bosses = (
        sorted(
            {
                b  # never None: filtered in SQL
                for b in session.scalars(
                    select(User.supervisor_id).where(User.id.in_(coords), User.supervisor_id.is_not(None))
                )
                if b is not None
            }
        )
        if coords
        else []
    )
    active = list(session.scalars(select(User.id).where(User.id.in_(bosses), User.active.is_(True)))) if bosses else []
    return sorted(active) or coords


def party_users(case: Case) -> list[int]:
    return sorted({p.user_id for p in case.parties if p.user_id is not None})


def display_name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id is not None else None
    return (user.display_name or user.username) if user else "—"


# -- what ---------------------------------------------------------------------------------------------
def _base(case: Case) -> dict[str, Any]:
    t = case.dispute_type.value
    return {"number": case.number, "type": localized(DISPUTE_TYPE_LABELS_ZH.get(t, t), _en(t))}


def _send(
    session: Session,
    users: Iterable[int | None],
    actor_user_id: int | None,
    case: Case,
    kind: str,
    title: str,
    body: str,
    **params: Any,
) -> None:
    recipients = [u for u in users if u is not None and u != actor_user_id]
    notify(
        session,
        recipients,
        Message(kind=kind, title=title, body=body, params=_base(case) | params, case_id=case.id, link=link(case)),
    )


def case_event(
    session: Session,
    case: Case,
    event: str,
    *,
    actor_user_id: int | None = None,
    source: State | None = None,
    target: State | None = None,
    mediator_id: int | None = None,
    reason: str = "",
    reassigned: bool = False,
) -> None:
    """Notify the right people of ``event`` on ``case``: "transition" (source → target),
    "declined" or "timed_out" (mediator_id, reason; ``reassigned`` when a next candidate got it)."""
    if event == "transition" and target is not None:
        if target == State.DISPATCHING and case.assigned_mediator_id is not None:
            _send(
                session,
                [case.assigned_mediator_id],
                actor_user_id,
                case,
                "dispatch",
                N_("New case for you: %(number)s"),
                N_(
                    "Case %(number)s (%(type)s) has been dispatched to you. Accept or decline it within "
                    "3 working days (ODR Rules 12)."
                ),
            )
        to = party_users(case)
        if target in COURT_STATES:
            to += court_clerks(session, case.confirmation_court_id)
        _send(
            session,
            to,
            actor_user_id,
            case,
            "transition",
            N_("Case %(number)s: %(state)s"),
            N_("Case %(number)s moved from %(from)s to %(to)s."),
            state=state_label(target),
            **{"from": state_label(source) if source else "—", "to": state_label(target)},
        )
    elif event == "declined":
        _send(
            session,
            coordinators(session, case.organisation_id),
            actor_user_id,
            case,
            "dispatch_declined",
            N_("Mediator declined case %(number)s"),
            N_("%(mediator)s declined case %(number)s: %(reason)s. Dispatch it to another mediator."),
            mediator=display_name(session, mediator_id),
            reason=reason,
        )
    elif event == "timed_out":
        body = (
            N_(
                "%(mediator)s did not answer case %(number)s within 3 working days (ODR Rules 12); it was "
                "dispatched to the next candidate."
            )
            if reassigned
            else N_(
                "%(mediator)s did not answer case %(number)s within 3 working days (ODR Rules 12) and no "
                "eligible mediator is left: choose one."
            )
        )
        _send(
            session,
            coordinators(session, case.organisation_id),
            actor_user_id,
            case,
            "dispatch_timed_out",
            N_("No answer on case %(number)s"),
            body,
            mediator=display_name(session, mediator_id),
        )
    else:
        raise ValueError(f"unknown case event {event!r}")
