"""The statistics page's figures (docs/cases.md, "Statistics")."""

from __future__ import annotations

from datetime import date, datetime

from maritime_hub.types import Schema


class Period(Schema):
    start: date  # first day counted (Asia/Shanghai)
    end: date  # last day counted, inclusive


class Scope(Schema):
    organisation_id: int | None  # None: every organisation
    organisation_name: str | None = None


class Count(Schema):
    key: str
    label_zh: str
    count: int


class MonthCount(Schema):
    month: str  # YYYY-MM, Asia/Shanghai
    count: int


class Success(Schema):
    successes: int  # reached AGREED at any time (timeline)
    outcomes: int  # successes + cases that reached TERMINATED, REFUSED or REFERRED_* without an agreement
    rate: float | None  # successes / outcomes, None without outcomes


class TimeInState(Schema):
    state: str
    label_zh: str
    cases: int  # cases with a completed stay in the state
    median_seconds: float
    p90_seconds: float


class DeadlineCount(Schema):
    key: str
    label_zh: str
    duty: bool  # the organisation's or the court's duty (escalated when overdue), not a party's own period
    overdue: int
    due_soon: int


class Overdue(Schema):
    as_of: datetime
    open_cases: int  # cases in scope not CLOSED or REFUSED
    cases_overdue: int  # of those, with at least one live deadline overdue now
    cases_overdue_duty: int  # of those, with an overdue duty of the organisation or the court
    deadlines_overdue: int
    by_deadline: list[DeadlineCount]


class MediatorRow(Schema):
    user_id: int
    name: str
    open_cases: int  # assigned now, in DISPATCHING..MEDIATING (the dispatch load)
    handled: int  # cases of the period assigned to them
    agreed: int  # of those, reached AGREED
    rating_avg: float | None
    rating_count: int


class CaseStats(Schema):
    period: Period
    scope: Scope
    generated_at: datetime
    total: int
    by_type: list[Count]
    by_state: list[Count]
    by_month: list[MonthCount]
    success: Success
    time_in_state: list[TimeInState]
    overdue: Overdue
    mediators: list[MediatorRow]
