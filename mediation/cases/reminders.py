"""定时催办 (reminders) and 超时督办 (escalations) over the live deadlines of open cases.

For every open case, the deadlines that run now (detail.live_deadlines, which includes the 接诉即办
acknowledgement SLA with its configured hours) are checked against ``now``:
- due within the lead (``MH_REMINDER__LEAD_DAYS`` working days, ``MH_REMINDER__LEAD_HOURS`` for an
  hour SLA) → a reminder to the person responsible: the assigned mediator; the coordinators for
  acknowledgement and the parties' choice of mediator; the clerks of the court for court deadlines;
- overdue, for the duties of the organisation or the court (DUTIES) → an escalation to the
  supervisors of the organisation's coordinators (app_user.supervisor_id), or to all its
  coordinators when none is on file; recorded in the audit trail and the case timeline.
A party's own period that lapsed (confirmation window, objection, lien, limitation) is reminded
before, never escalated: nobody can act on it any more.

Each alert fires once: the ledger (ledger.CaseAlert) is keyed on case, deadline, kind and due day
and written with ON CONFLICT DO NOTHING; only the writer notifies. ``fire`` re-reads the case under
a row lock and does nothing when the deadline no longer runs or has moved (the case moved on).
The timers are local practice (domain.md §2 [U]) and come from configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from maritime_hub.audit.service import Actor, record
from maritime_hub.config import ReminderSettings, get_settings
from maritime_hub.db.base import utcnow
from maritime_hub.messages import N_
from maritime_hub.notify.service import Message, notify
from mediation import deadlines as dl
from mediation.calendar import WorkingCalendar
from mediation.cases import notices
from mediation.cases.detail import ENDED, live_deadlines
from mediation.cases.ledger import AlertKind, CaseAlert
from mediation.cases.models import Case, CaseTimeline
from mediation.cases.rules import working_calendar

SYSTEM = Actor(user_id=None, username="system:reminders")
# What the organisation or the court must do in time; overdue ones are escalated (超时督办).
DUTIES = frozenset(
    {
        "acknowledgement",
        "party_choose_mediator",
        "court_appoint_mediator",
        "mediator_acceptance",
        "contact_other_party",
        "mediation_period",
        "court_acceptance",
        "review_sla",
        "review_hard_limit",
    }
)
# Who acts on a duty when it is not the assigned mediator.
COORDINATOR_DUTIES = frozenset({"acknowledgement", "party_choose_mediator", "court_appoint_mediator"})
COURT_DUTIES = frozenset({"court_acceptance", "review_sla", "review_hard_limit"})


def is_duty(key: str) -> bool:
    """mediation_period_<kind> (ODR 24; MOJ-2002 33) counts as mediation_period."""
    return key in DUTIES or key.startswith("mediation_period_")


@dataclass(frozen=True)
class Item:
    case_id: int
    key: str
    kind: AlertKind
    due: date


def _soon(d: dl.Deadline, now: datetime, s: ReminderSettings, cal: WorkingCalendar) -> bool:
    if d.due_at is not None:
        return now >= d.due_at - timedelta(hours=s.lead_hours)
    horizon = cal.add_working_days(dl.local_date(now), max(0, s.lead_days))
    return d.due <= horizon


def items_for(
    case: Case, now: datetime, settings: ReminderSettings | None = None, cal: WorkingCalendar | None = None
) -> list[Item]:
    """What is due for ``case`` at ``now``: reminders for deadlines within the lead, escalations for
    overdue duties."""
    if case.state in ENDED:
        return []
    s, cal = settings or get_settings().reminder, cal or working_calendar()
    out = []
    for d in live_deadlines(case):
        if dl.status(d, now) == "overdue":
            if is_duty(d.key):
                out.append(Item(case.id, d.key, AlertKind.escalation, d.due))
        elif _soon(d, now, s, cal):
            out.append(Item(case.id, d.key, AlertKind.reminder, d.due))
    return out


def responsible(session: Session, case: Case, key: str) -> list[int]:
    """Who must act on deadline ``key``; the coordinators when nobody more specific is known."""
    if key in COURT_DUTIES:
        people = notices.court_clerks(session, case.confirmation_court_id)
    elif key in COORDINATOR_DUTIES:
        people = []
    else:
        people = [case.assigned_mediator_id] if case.assigned_mediator_id else []
    return people or notices.coordinators(session, case.organisation_id)


def _due_text(d: dl.Deadline) -> str:
    if d.due_at is not None:
        return d.due_at.astimezone(dl.LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    return d.due.isoformat()


def _message(case: Case, d: dl.Deadline, kind: AlertKind, responsible_names: str) -> Message:
    params = {
        "number": case.number,
        "deadline": notices.localized(d.label_zh, d.label_en),
        "due": _due_text(d),
        "basis": d.basis,
        "responsible": responsible_names,
    }
    if kind == AlertKind.reminder:
        return Message(
            "reminder",
            N_("Reminder: %(deadline)s due %(due)s"),
            N_("Case %(number)s: %(deadline)s is due on %(due)s (%(basis)s)."),
            params,
            case.id,
            notices.link(case),
        )
    return Message(
        "escalation",
        N_("Overdue: %(deadline)s on case %(number)s"),
        N_(
            "Case %(number)s: %(deadline)s was due on %(due)s (%(basis)s) and is overdue. "
            "Responsible: %(responsible)s. Please follow it up."
        ),
        params,
        case.id,
        notices.link(case),
    )


def fire(session: Session, item: Item, now: datetime | None = None) -> CaseAlert | None:
    """Send one reminder or escalation, once. Nothing when the case has moved on (the deadline no
    longer runs, or runs to another day) or the alert was already sent."""
    now = now or utcnow()
    case = session.get(Case, item.case_id, with_for_update=True, populate_existing=True)
    if case is None or item not in items_for(case, now):
        return None
    d = next(x for x in live_deadlines(case) if x.key == item.key)
    who = responsible(session, case, item.key)
    to = who if item.kind == AlertKind.reminder else notices.supervisors(session, case.organisation_id)
    alert_id = session.execute(
        insert(CaseAlert)
        .values(
            case_id=case.id,
            deadline_key=item.key,
            kind=item.kind.value,
            due=item.due,
            recipients=sorted(set(to)),
            fired_at=now,
        )
        .on_conflict_do_nothing(constraint="uq_case_alert_once")
        .returning(CaseAlert.id)
    ).scalar()
    if alert_id is None:
        return None  # already sent (by an earlier or a concurrent run)
    names = ", ".join(notices.display_name(session, u) for u in who)
    notify(session, to, _message(case, d, item.kind, names))
    if item.kind == AlertKind.escalation:
        facts = {
            "deadline": item.key,
            "label": d.label_zh,
            "due": _due_text(d),
            "basis": d.basis,
            "responsible": who,
            "escalated_to": sorted(set(to)),
        }
        session.add(
            CaseTimeline(
                case_id=case.id,
                from_state=case.state,
                to_state=case.state,
                at=now,
                actor_user_id=None,
                actor_name="超时督办",
                payload={"escalation": facts},
            )
        )
        session.flush()
        record(session, SYSTEM, "case.escalation", "mediation_case", case.id, after=facts)
    return session.get(CaseAlert, alert_id)


def sweep(session: Session, now: datetime | None = None) -> list[CaseAlert]:
    """One pass over the open cases; safe to run as often as wanted (each alert fires once)."""
    now = now or utcnow()
    ids = session.scalars(select(Case.id).where(Case.state.not_in(ENDED)).order_by(Case.id)).all()
    fired = []
    for case_id in ids:
        case = session.get(Case, case_id)
        if case is None:  # cases are never deleted; this only tells the type checker
            continue
        for item in items_for(case, now):
            if (alert := fire(session, item, now)) is not None:
                fired.append(alert)
    return fired
