"""Statutory deadlines of the dispute-case workflow (domain.md §1.0 and the §2 table).

Pure functions: dates in, ``Deadline`` out. Every deadline names its legal basis, its
start event and whether a rest day moved its last day, because clerks must be able to
check a date against the statute, and a wrong date either loses a party's rights or
blocks a timely application.

Counting rules used throughout:
- the start day is not counted (CPL 85; 民法典 201);
- ``due`` is the last day on which the act is still in time (inclusive, until 24:00);
- a last day on a 法定休假日 moves to the next workday for procedural periods (CPL 85)
  but not for substantive periods (see ``maritime_lien``);
- a posted document counts as filed on its posting date (CPL 85), so callers pass the
  postmark date as the filing date.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal, NamedTuple
from zoneinfo import ZoneInfo

from mediation.calendar import WorkingCalendar

Unit = Literal["calendar_days", "working_days", "months", "hours"]
Status = Literal["ok", "due_soon", "overdue"]
MediationKind = Literal["pre_filing", "post_filing_ordinary", "post_filing_summary", "peoples"]

# Deadlines are legal days in China; a UTC timestamp just after 16:00 is already the next day.
LOCAL_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Deadline:
    key: str
    label_zh: str
    label_en: str
    due: date
    basis: str
    start_event: str
    start_date: date
    unit: Unit
    amount: int | float
    extended_by_holiday: bool = False
    hard: bool = True
    approximate: bool = False
    due_at: datetime | None = None  # only for hour-based SLAs
    note: str = ""


class Counted(NamedTuple):
    due: date
    extended_by_holiday: bool
    approximate: bool


def local_date(d: date | datetime) -> date:
    """The Asia/Shanghai calendar day of a date or timestamp (naive = already local)."""
    if isinstance(d, datetime):
        return (d.astimezone(LOCAL_TZ) if d.tzinfo else d).date()
    return d


# -- counting ------------------------------------------------------------------------


def _roll(cal: WorkingCalendar, last: date, extend: bool) -> Counted:
    """Apply CPL 85 to a raw last day; flag approximate if any day inspected is a guess."""
    if not extend:
        return Counted(last, False, False)
    due = cal.next_workday(last)
    return Counted(due, due != last, not cal.is_exact_between(last, due))


def calendar_days(cal: WorkingCalendar, start: date, n: int, *, extend_on_rest_day: bool = True) -> Counted:
    """n calendar days after ``start`` (CPL 85: start day not counted; a last day on a rest
    day moves to the next workday)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    return _roll(cal, local_date(start) + timedelta(days=n), extend_on_rest_day)


def working_days(cal: WorkingCalendar, start: date, n: int) -> Counted:
    """n workdays after ``start`` (ODR Rules 10/12/15). The count lands on a workday by
    construction, so ``extended_by_holiday`` is always False."""
    start = local_date(start)
    due = cal.add_working_days(start, n)
    return Counted(due, False, not cal.is_exact_between(start, due))


def add_months(start: date, n: int) -> date:
    """民法典 202: the same-numbered day of the final month, or its last day if shorter."""
    y, m = divmod(start.month - 1 + n, 12)
    year, month = start.year + y, m + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def months(cal: WorkingCalendar, start: date, n: int, *, extend_on_rest_day: bool = True) -> Counted:
    """n months after ``start`` (民法典 201-202), with the CPL 85 rest-day extension
    unless ``extend_on_rest_day`` is False (substantive periods)."""
    if n < 0:
        raise ValueError("n must be >= 0")
    return _roll(cal, add_months(local_date(start), n), extend_on_rest_day)


def hours(start: datetime, n: float) -> datetime:
    """n hours after ``start``. 民法典 201: hour periods run from the actual time, so no
    rounding and no rest-day rule (an SLA like 接诉即办 runs around the clock)."""
    return start + timedelta(hours=n)


def _stretch(last: date, start: date, extra_days: int, pauses: Iterable[tuple[date, date]]) -> date:
    """Push a raw last day by consented extra days and by paused days (ODR 26).

    A pause (a, b) stops the clock on days a..b inclusive; giving the parties the whole
    first and last day is the reading that never ends a mediation early. Only days after
    ``start`` count, overlapping pauses count once, and a pause that begins after the
    (already pushed) last day cannot revive an expired period.
    """
    last += timedelta(days=extra_days)
    spans = [(local_date(a), local_date(b)) for a, b in pauses]
    for a, b in spans:
        if b < a:
            raise ValueError(f"pause ends before it starts: {a}..{b}")
    credited_to = start  # every day up to here is already counted or credited
    for a, b in sorted(spans):
        a = max(a, credited_to + timedelta(days=1))
        if a > b:
            continue  # wholly before the clock started, or inside an earlier pause
        if a > last:
            break
        last += timedelta(days=(b - a).days + 1)
        credited_to = b
    return last


# -- deadline factory ------------------------------------------------------------------


def _deadline(
    key: str,
    zh: str,
    en: str,
    basis: str,
    event: str,
    start: date,
    unit: Unit,
    amount: int | float,
    c: Counted,
    *,
    hard: bool = True,
    note: str = "",
) -> Deadline:
    return Deadline(
        key=key,
        label_zh=zh,
        label_en=en,
        due=c.due,
        basis=basis,
        start_event=event,
        start_date=local_date(start),
        unit=unit,
        amount=amount,
        extended_by_holiday=c.extended_by_holiday,
        hard=hard,
        approximate=c.approximate,
        note=note,
    )


# -- rules: intake and dispatch ------------------------------------------------------------


def acknowledgement(received_at: datetime, sla_hours: float = 24) -> Deadline:
    """接诉即办: acknowledge a registered complaint. Local practice (Putuo, Lufeng), no
    official text [U], so the hours come from configuration, not from here."""
    due_at = hours(received_at, sla_hours)
    return Deadline(
        key="acknowledgement",
        label_zh="接诉即办",
        label_en="Acknowledge receipt",
        due=local_date(due_at),
        basis="local practice [U]",
        start_event="complaint registered",
        start_date=local_date(received_at),
        unit="hours",
        amount=sla_hours,
        hard=False,
        due_at=due_at,
    )


def party_choose_mediator(cal: WorkingCalendar, referred_on: date) -> Deadline:
    # ODR 10: parties choose a mediator within 2 working days of the court's referral.
    return _deadline(
        "party_choose_mediator",
        "当事人选定调解员",
        "Parties choose a mediator",
        "ODR 10",
        "court referral notified",
        referred_on,
        "working_days",
        2,
        working_days(cal, referred_on, 2),
    )


def court_appoint_mediator(cal: WorkingCalendar, choice_lapsed_on: date) -> Deadline:
    # ODR 10: absent a choice, the court appoints within 3 working days.
    return _deadline(
        "court_appoint_mediator",
        "法院指定调解员",
        "Court appoints a mediator",
        "ODR 10",
        "parties' choice period lapsed",
        choice_lapsed_on,
        "working_days",
        3,
        working_days(cal, choice_lapsed_on, 3),
    )


def mediator_acceptance(cal: WorkingCalendar, assigned_on: date) -> Deadline:
    # ODR 12: the mediator accepts within 3 working days, otherwise the case is reassigned.
    return _deadline(
        "mediator_acceptance",
        "调解员确认接单",
        "Mediator accepts the case",
        "ODR 12",
        "case dispatched to mediator",
        assigned_on,
        "working_days",
        3,
        working_days(cal, assigned_on, 3),
        note="on expiry: reassign (REASSIGN)",
    )


def contact_other_party(cal: WorkingCalendar, accepted_on: date) -> Deadline:
    # ODR 15: contact the other party within 3 working days; refusal or no contact ends it.
    return _deadline(
        "contact_other_party",
        "联系对方当事人",
        "Contact the other party",
        "ODR 15",
        "mediator accepted the case",
        accepted_on,
        "working_days",
        3,
        working_days(cal, accepted_on, 3),
        note="refusal or no contact ends the mediation (ODR 15, 25)",
    )


# -- rules: the mediation period -------------------------------------------------------------

_MEDIATION: dict[str, tuple[int, Unit, str, str, bool]] = {
    # kind: (amount, unit, basis, label_en, hard). Court-referred periods end the mediation
    # on expiry (ODR 25); the people's-mediation month is "generally" (MOJ-2002 33), an SLA.
    "pre_filing": (30, "calendar_days", "ODR 24; Invited-Med 27", "Pre-filing mediation period", True),
    "post_filing_ordinary": (15, "calendar_days", "ODR 24; Invited-Med 27", "Post-filing mediation (ordinary)", True),
    "post_filing_summary": (7, "calendar_days", "ODR 24; Invited-Med 27", "Post-filing mediation (summary)", True),
    "peoples": (1, "months", "MOJ-2002 33 [S]; NB-PML 27", "People's mediation period", False),
}


def mediation_period(
    cal: WorkingCalendar,
    accepted_on: date,
    kind: MediationKind = "pre_filing",
    *,
    extension_days: int = 0,
    pauses: Iterable[tuple[date, date]] = (),
) -> Deadline:
    """Mediation period, running from the mediator's acceptance (ODR 24).

    ``extension_days``: extension agreed by all parties (ODR 24; NB-PML 27).
    ``pauses``: appraisal (鉴定) intervals, excluded from the period (ODR 26).
    """
    if kind not in _MEDIATION:
        raise ValueError(f"unknown mediation kind {kind!r}")
    if extension_days < 0:
        raise ValueError("extension_days must be >= 0")
    amount, unit, basis, en, hard = _MEDIATION[kind]
    start = local_date(accepted_on)
    raw = add_months(start, amount) if unit == "months" else start + timedelta(days=amount)
    last = _stretch(raw, start, extension_days, pauses)
    notes = [f"extended by consent +{extension_days}d"] if extension_days else []
    paused = (last - raw).days - extension_days
    if paused:
        notes.append(f"appraisal excluded +{paused}d (ODR 26)")
    return _deadline(
        f"mediation_period_{kind}",
        "调解期限",
        en,
        basis,
        "mediator accepted the case",
        start,
        unit,
        amount,
        _roll(cal, last, True),
        hard=hard,
        note="; ".join(notes),
    )


# -- rules: judicial confirmation ----------------------------------------------------------


def confirmation_window(cal: WorkingCalendar, effective_at: date | datetime) -> Deadline:
    # CPL 205; PML 33: apply jointly within 30 days of the agreement taking effect.
    start = local_date(effective_at)
    return _deadline(
        "confirmation_window",
        "申请司法确认期限",
        "Apply for judicial confirmation",
        "CPL 205; PML 33",
        "mediation agreement took effect",
        start,
        "calendar_days",
        30,
        calendar_days(cal, start, 30),
        note="late: offer re-mediation or a lawsuit instead",
    )


def confirmation_window_open(
    cal: WorkingCalendar, effective_at: date | datetime, applied_on: date | datetime
) -> tuple[bool, Deadline]:
    """Whether a confirmation application filed on ``applied_on`` is in time (CPL 205).

    False before the agreement takes effect too: there is nothing to confirm yet.
    ``applied_on`` is the filing date, or the postmark date for a posted application (CPL 85).
    """
    dl = confirmation_window(cal, effective_at)
    return dl.start_date <= local_date(applied_on) <= dl.due, dl


def court_acceptance(cal: WorkingCalendar, received_on: date) -> Deadline:
    # SPC-2011 4: the court decides whether to accept within 3 days of receiving the application.
    return _deadline(
        "court_acceptance",
        "法院决定是否受理",
        "Court decides on acceptance",
        "SPC-2011 4",
        "application received",
        received_on,
        "calendar_days",
        3,
        calendar_days(cal, received_on, 3),
    )


def review_sla(cal: WorkingCalendar, accepted_on: date, *, extended: bool = False) -> Deadline:
    """SPC-2011 5: decide within 15 days of acceptance; +10 with the president's approval.

    The 10 days are added to the original 15 (one 25-day period from acceptance), not
    counted from a possibly holiday-moved 15th day.
    """
    n = 25 if extended else 15
    return _deadline(
        "review_sla",
        "审查期限",
        "Review decision (SLA)",
        "SPC-2011 5",
        "application accepted",
        accepted_on,
        "calendar_days",
        n,
        calendar_days(cal, accepted_on, n),
        hard=False,
        note="extended by the president (+10d)" if extended else "extendable +10d by the president",
    )


def review_hard_limit(cal: WorkingCalendar, docketed_on: date, *, president_extension_days: int = 0) -> Deadline:
    # CPL 187: special-procedure cases are concluded within 30 days of docketing.
    if president_extension_days < 0:
        raise ValueError("president_extension_days must be >= 0")
    n = 30 + president_extension_days
    return _deadline(
        "review_hard_limit",
        "特别程序审结期限",
        "Review hard limit",
        "CPL 187",
        "case docketed",
        docketed_on,
        "calendar_days",
        n,
        calendar_days(cal, docketed_on, n),
        note=f"president extended +{president_extension_days}d" if president_extension_days else "",
    )


def party_objection(cal: WorkingCalendar, received_on: date) -> Deadline:
    # CPL-Interp 372: a party objects within 15 days of receiving the ruling.
    return _deadline(
        "party_objection",
        "当事人提出异议",
        "Party objection",
        "CPL-Interp 372",
        "ruling received",
        received_on,
        "calendar_days",
        15,
        calendar_days(cal, received_on, 15),
    )


def interested_person_objection(cal: WorkingCalendar, known_on: date) -> Deadline:
    # CPL-Interp 372: 6 months from knowing (or when one should have known) of the harm.
    # SPC-2011 10's one year is treated as superseded [U].
    return _deadline(
        "interested_person_objection",
        "案外人提出异议",
        "Interested person objection",
        "CPL-Interp 372",
        "learned of the harm to their rights",
        known_on,
        "months",
        6,
        months(cal, known_on, 6),
    )


def enforcement_application(cal: WorkingCalendar, last_performance_day: date) -> Deadline:
    """CPL 250: apply for enforcement within 2 years of the last day set for performance
    (for instalments, the last instalment's day). This is a limitation (时效) that can be
    suspended or interrupted; that is not modelled here."""
    return _deadline(
        "enforcement_application",
        "申请执行期限",
        "Enforcement application",
        "CPL 250",
        "last day for performance",
        last_performance_day,
        "months",
        24,
        months(cal, last_performance_day, 24),
        note="suspension/interruption not modelled",
    )


# -- rules: substantive periods ------------------------------------------------------------
#
# Why no rest-day extension by default: CPL 85 governs procedural 期间 in litigation, and
# these are substantive periods, so CPL 85 is the wrong source. But 民法典 203 gives the same
# extension for civil-law periods unless a law says otherwise (民法典 204), and 海商法 29
# excludes only 中止/中断, so a court could well allow the next workday. We do not rely on
# it: the unextended date is in time under both readings, and for a lien lapsing is final.
# Callers who accept the 民法典 203 reading pass extend_on_rest_day=True.


def _substantive_note(extend: bool, limitation: bool) -> str:
    notes = ["suspension/interruption not modelled"] if limitation else []
    if not extend:
        notes.append("no rest-day extension applied (民法典 203 might allow the next workday)")
    return "; ".join(notes)


def maritime_lien(cal: WorkingCalendar, arose_on: date, *, extend_on_rest_day: bool = False) -> Deadline:
    # 海商法 29: the lien lapses 1 year after the claim arose; no suspension or interruption.
    return _deadline(
        "maritime_lien",
        "船舶优先权行使期限",
        "Maritime lien (enforce by arrest)",
        "海商法 29",
        "claim secured by the lien arose",
        arose_on,
        "months",
        12,
        months(cal, arose_on, 12, extend_on_rest_day=extend_on_rest_day),
        note=_substantive_note(extend_on_rest_day, limitation=False),
    )


def labour_arbitration(cal: WorkingCalendar, known_on: date, *, extend_on_rest_day: bool = False) -> Deadline:
    # 劳动争议调解仲裁法 27: apply within 1 year of knowing the right was infringed.
    return _deadline(
        "labour_arbitration",
        "劳动仲裁时效",
        "Labour arbitration limitation",
        "劳动争议调解仲裁法 27",
        "learned the right was infringed",
        known_on,
        "months",
        12,
        months(cal, known_on, 12, extend_on_rest_day=extend_on_rest_day),
        note=_substantive_note(extend_on_rest_day, limitation=True),
    )


def collision_claim(cal: WorkingCalendar, collision_on: date, *, extend_on_rest_day: bool = False) -> Deadline:
    # 海商法 261: collision claims are time-barred 2 years after the collision.
    return _deadline(
        "collision_claim",
        "船舶碰撞请求时效",
        "Collision claim limitation",
        "海商法 261",
        "collision occurred",
        collision_on,
        "months",
        24,
        months(cal, collision_on, 24, extend_on_rest_day=extend_on_rest_day),
        note=_substantive_note(extend_on_rest_day, limitation=True),
    )


# -- status ------------------------------------------------------------------------------


def remaining(deadline: Deadline, today: date | datetime) -> int:
    """Days left until ``due``: 0 on the last day, negative once overdue."""
    return (deadline.due - local_date(today)).days


def status(deadline: Deadline, today: date | datetime, *, due_soon_days: int = 3) -> Status:
    """ "overdue" after the last day (or after ``due_at`` for an hour SLA given a timestamp);
    "due_soon" within ``due_soon_days`` of it; otherwise "ok". Pass aware timestamps: an
    hour SLA built from an aware start has an aware ``due_at``."""
    if deadline.due_at is not None and isinstance(today, datetime):
        if today > deadline.due_at:
            return "overdue"
    left = remaining(deadline, today)
    if left < 0:
        return "overdue"
    return "due_soon" if left <= due_soon_days else "ok"
