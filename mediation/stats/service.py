"""The statistics of dispute cases for a period and a scope (docs/cases.md, "Statistics").

Population: the cases registered (``created_at``, Asia/Shanghai days) from ``start`` to ``end``
inclusive, of the scope's organisation. Coordinators see their own organisation only; admin and
fishery auditors see every organisation, or one with ``organisation_id``.

- success rate = successes / outcomes, where a success is a case whose timeline shows AGREED at any
  time, and an outcome is a success or a case whose timeline shows TERMINATED, REFUSED,
  REFERRED_LITIGATION or REFERRED_ARBITRATION (a case agreed and later referred counts once, as a
  success). Cases still open without any of these are left out; no outcomes → no rate.
- time in state: per case and state, the seconds of its completed stays (timeline gaps, as on the
  case page); median and 90th percentile (continuous, interpolated) over the cases.
- overdue: live deadlines (mediation/cases/detail.live_deadlines) overdue now, over every case in
  scope not CLOSED or REFUSED, whenever registered; each marked as a duty of the organisation or
  court (mediation/cases/reminders.is_duty, escalated when overdue) or a party's own period.
- mediators: open load now (DISPATCHING..MEDIATING, as in dispatch), cases of the period assigned to
  them and how many were agreed, and the ratings parties gave on the period's cases.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from maritime_hub.auth.service import Principal
from maritime_hub.errors import Forbidden, ValidationFailed
from maritime_hub.messages import N_
from maritime_hub.orgs.models import Organisation
from mediation import deadlines as dl
from mediation.cases.detail import live_deadlines
from mediation.cases.enums import DisputeType
from mediation.cases.reminders import is_duty
from mediation.cases.states import DISPUTE_TYPE_LABELS_ZH, STATE_LABELS_ZH, State
from mediation.stats import schemas
from mediation.stats.repository import StatsRepository

SEE_ALL = ("admin", "fishery_auditor")
MAX_DAYS = 3660  # ten years: a bigger window is almost certainly a typo


def default_period(today: date) -> tuple[date, date]:
    """The last 12 months: from the first day of the month 11 months back to today."""
    y, m = divmod(today.year * 12 + today.month - 1 - 11, 12)
    return date(y, m + 1, 1), today


def period(start: date | None, end: date | None, today: date | None = None) -> tuple[date, date]:
    today = today or dl.local_date(datetime.now(UTC))
    d_start, d_end = default_period(end or today)
    start, end = start or d_start, end or d_end
    if end < start:
        raise ValidationFailed(
            N_("the period ends ({end}) before it starts ({start})"), end=end, start=start, field="end"
        )
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed(
            N_("the period is longer than ten years ({start} … {end}); choose a shorter one"),
            start=start,
            end=end,
            field="start",
        )
    return start, end


def scope(principal: Principal, organisation_id: int | None) -> int | None:
    """The organisation whose cases count (None: all)."""
    if principal.has(*SEE_ALL):
        return organisation_id
    own = principal.organisation_id
    if own is None:
        raise Forbidden(N_("your account belongs to no mediation organisation, so there are no statistics to show"))
    if organisation_id is not None and organisation_id != own:
        raise Forbidden(N_("coordinators see the statistics of their own organisation only"))
    return own


def _utc(d: date) -> datetime:
    return datetime.combine(d, time(), dl.LOCAL_TZ).astimezone(UTC)


def _months(start: date, end: date) -> list[str]:
    out, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def overdue(repo: StatsRepository, now: datetime) -> schemas.Overdue:
    """Deadlines are computed per case in Python (the same rules as the case page); only the needed
    columns are loaded, so thousands of open cases take milliseconds, not ORM objects."""
    rows = repo.open_cases()
    over: Counter[str] = Counter()
    soon: Counter[str] = Counter()
    labels: dict[str, str] = {}
    cases_over = cases_duty = 0
    for row in rows:
        late: set[str] = set()
        for d in live_deadlines(row):
            labels[d.key] = d.label_zh
            status = dl.status(d, now)
            if status == "overdue":
                over[d.key] += 1
                late.add(d.key)
            elif status == "due_soon":
                soon[d.key] += 1
        cases_over += bool(late)
        cases_duty += any(is_duty(k) for k in late)
    keys = sorted(set(over) | set(soon), key=lambda k: (-over[k], -soon[k], k))
    return schemas.Overdue(
        as_of=now,
        open_cases=len(rows),
        cases_overdue=cases_over,
        cases_overdue_duty=cases_duty,
        deadlines_overdue=sum(over.values()),
        by_deadline=[
            schemas.DeadlineCount(key=k, label_zh=labels[k], duty=is_duty(k), overdue=over[k], due_soon=soon[k])
            for k in keys
        ],
    )


def mediators(repo: StatsRepository) -> list[schemas.MediatorRow]:
    load, handled, ratings = repo.open_load(), repo.handled(), repo.ratings()
    names = repo.mediator_names(set(load) | set(handled) | set(ratings))
    out = []
    for uid, name in names.items():
        n, agreed = handled.get(uid, (0, 0))
        avg, count = ratings.get(uid, (None, 0))
        out.append(
            schemas.MediatorRow(
                user_id=uid,
                name=name,
                open_cases=load.get(uid, 0),
                handled=n,
                agreed=agreed,
                rating_avg=round(avg, 2) if avg is not None else None,
                rating_count=count,
            )
        )
    return sorted(out, key=lambda r: (-r.open_cases, -r.handled, r.user_id))


def case_stats(
    session: Session,
    principal: Principal,
    start: date | None = None,
    end: date | None = None,
    organisation_id: int | None = None,
    now: datetime | None = None,
) -> schemas.CaseStats:
    now = now or datetime.now(UTC)
    start, end = period(start, end, dl.local_date(now))
    org = scope(principal, organisation_id)
    org_row = session.get(Organisation, org) if org is not None else None
    if org is not None and org_row is None:
        raise ValidationFailed(N_("organisation {org_id} does not exist"), org_id=org, field="organisation_id")
    repo = StatsRepository(session, _utc(start), _utc(end + timedelta(days=1)), org)
    types, states, months = repo.by_type(), repo.by_state(), repo.by_month()
    ok, outcomes = repo.success()
    tis = {s: (n, med, p90) for s, n, med, p90 in repo.time_in_state()}
    return schemas.CaseStats(
        period=schemas.Period(start=start, end=end),
        scope=schemas.Scope(organisation_id=org, organisation_name=org_row.name if org_row else None),
        generated_at=now,
        total=sum(types.values()),
        by_type=[
            schemas.Count(key=t.value, label_zh=DISPUTE_TYPE_LABELS_ZH[t.value], count=types.get(t.value, 0))
            for t in DisputeType
        ],
        by_state=[schemas.Count(key=s.value, label_zh=STATE_LABELS_ZH[s], count=states.get(s.value, 0)) for s in State],
        by_month=[schemas.MonthCount(month=m, count=months.get(m, 0)) for m in _months(start, end)],
        success=schemas.Success(successes=ok, outcomes=outcomes, rate=round(ok / outcomes, 4) if outcomes else None),
        time_in_state=[
            schemas.TimeInState(
                state=s.value,
                label_zh=STATE_LABELS_ZH[s],
                cases=tis[s.value][0],
                median_seconds=tis[s.value][1],
                p90_seconds=tis[s.value][2],
            )
            for s in State
            if s.value in tis
        ],
        overdue=overdue(repo, now),
        mediators=mediators(repo),
    )
