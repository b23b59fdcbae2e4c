"""Mainland-China working calendar for deadline counting (domain.md §1.0).

Statutory periods depend on which days are 法定休假日 (weekends plus the official holidays)
and which weekends were turned into working days (调休上班日). The State Council publishes
each year's schedule only in November of the year before, so the data comes from the
``chinese_calendar`` package, and configuration fills the years it does not cover yet or
corrects it. When neither knows a year we fall back to weekends only and say so through
``is_exact`` rather than fail: a deadline shown with a warning beats a crashed case page.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import chinese_calendar

log = logging.getLogger(__name__)

ENV_EXTRA_HOLIDAYS = "MH_CALENDAR_EXTRA_HOLIDAYS"
ENV_EXTRA_WORKDAYS = "MH_CALENDAR_EXTRA_WORKDAYS"
ENV_CALENDAR_FILE = "MH_CALENDAR_FILE"

# The longest official holiday run is 9 days (e.g. Spring Festival 2026, Feb 15-23); a
# misconfiguration that marks every day as a holiday must not loop forever.
_MAX_SCAN_DAYS = 366


def _as_date(d: date) -> date:
    # datetime is a subclass of date; a bare comparison of the two raises TypeError.
    return d.date() if isinstance(d, datetime) else d


@cache
def _library_covers(year: int) -> bool:
    # Ask the library itself instead of reading its private tables, so an upgraded
    # chinese_calendar (new year added) is picked up with no code change.
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def parse_dates(spec: str | Iterable[str], *, source: str = "calendar config") -> set[date]:
    """Parse ISO dates and inclusive ranges: ``"2027-01-01, 2027-10-01..2027-10-07"``.

    Accepts one comma-separated string or an iterable of items in the same syntax (the JSON
    file's lists). Bad input raises ValueError naming ``source``: a wrong holiday table
    silently moves legal deadlines, so configuration errors must stop start-up.
    """
    items = spec.split(",") if isinstance(spec, str) else [p for s in spec for p in str(s).split(",")]
    out: set[date] = set()
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        try:
            if ".." in item:
                first_s, last_s = (p.strip() for p in item.split("..", 1))
                first, last = date.fromisoformat(first_s), date.fromisoformat(last_s)
                if last < first:
                    raise ValueError("range ends before it starts")
                out.update(first + timedelta(days=i) for i in range((last - first).days + 1))
            else:
                out.add(date.fromisoformat(item))
        except ValueError as exc:
            raise ValueError(f"{source}: bad date or range {item!r} ({exc})") from None
    return out


class WorkingCalendar:
    """Which days are workdays in mainland China.

    Precedence for a day: configured workday > configured holiday > chinese_calendar >
    plain Monday-Friday. A year counts as exact when the library covers it or when any
    configured date falls in it, so configure a new year's whole published schedule at
    once (holidays *and* 调休 workdays), not a single day of it.
    """

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()) -> None:
        self.extra_holidays: frozenset[date] = frozenset(_as_date(d) for d in extra_holidays)
        self.extra_workdays: frozenset[date] = frozenset(_as_date(d) for d in extra_workdays)
        clash = self.extra_holidays & self.extra_workdays
        if clash:
            days = ", ".join(sorted(d.isoformat() for d in clash))
            raise ValueError(f"dates configured both as holiday and as workday: {days}")
        self._configured_years = frozenset(d.year for d in self.extra_holidays | self.extra_workdays)
        self._warned_years: set[int] = set()
        # Per-date answers: the statistics' overdue count asks the same few hundred days once per
        # open case, and chinese_calendar's lookup dominated it (~0.65 s for 5,000 cases). The
        # configuration is frozen at construction, so an answer never changes for an instance.
        self._workday_cache: dict[date, bool] = {}

    @classmethod
    def from_settings(cls, env: Mapping[str, str] | None = None) -> WorkingCalendar:
        """Build from ``MH_CALENDAR_EXTRA_HOLIDAYS`` / ``_WORKDAYS`` and ``MH_CALENDAR_FILE``.

        The file is JSON ``{"holidays": [...], "workdays": [...]}`` with the same item syntax
        as the variables; both sources are merged. ``env`` defaults to ``os.environ``.
        """
        env = os.environ if env is None else env
        holidays = parse_dates(env.get(ENV_EXTRA_HOLIDAYS, ""), source=ENV_EXTRA_HOLIDAYS)
        workdays = parse_dates(env.get(ENV_EXTRA_WORKDAYS, ""), source=ENV_EXTRA_WORKDAYS)
        path = env.get(ENV_CALENDAR_FILE, "").strip()
        if path:
            try:
                data = json.loads(Path(path).read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise ValueError(f"{ENV_CALENDAR_FILE}: cannot read {path!r} ({exc})") from None
            if not isinstance(data, dict) or not set(data) <= {"holidays", "workdays"}:
                raise ValueError(f'{ENV_CALENDAR_FILE}: expected {{"holidays": [...], "workdays": [...]}}')
            holidays |= parse_dates(data.get("holidays", []), source=f"{path} holidays")
            workdays |= parse_dates(data.get("workdays", []), source=f"{path} workdays")
        return cls(holidays, workdays)

    # -- exactness ---------------------------------------------------------------------

    def is_exact(self, d: date) -> bool:
        """False when ``d``'s year is known to neither the library nor the configuration,
        so any answer about it is a weekends-only guess the UI should flag."""
        year = _as_date(d).year
        return year in self._configured_years or _library_covers(year)

    def is_exact_between(self, first: date, last: date) -> bool:
        """True when every year from ``first`` to ``last`` (inclusive) is exact."""
        a, b = sorted((_as_date(first), _as_date(last)))
        return all(self.is_exact(date(y, 1, 1)) for y in range(a.year, b.year + 1))

    # -- day classification ------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        d = _as_date(d)
        cached = self._workday_cache.get(d)
        if cached is None:
            cached = self._workday_cache[d] = self._classify(d)
        return cached

    def _classify(self, d: date) -> bool:
        if d in self.extra_workdays:
            return True
        if d in self.extra_holidays:
            return False
        if _library_covers(d.year):
            # The library already counts 调休上班日 (e.g. Sunday 2026-09-20) as workdays.
            return chinese_calendar.is_workday(d)
        if d.year not in self._configured_years and d.year not in self._warned_years:
            self._warned_years.add(d.year)
            log.warning(
                "no holiday data for %s: counting weekends only; set %s/%s or %s",
                d.year,
                ENV_EXTRA_HOLIDAYS,
                ENV_EXTRA_WORKDAYS,
                ENV_CALENDAR_FILE,
            )
        return d.weekday() < 5

    def is_rest_day(self, d: date) -> bool:
        """法定休假日 in the sense of CPL 85: weekends and official holidays, minus 调休上班日."""
        return not self.is_workday(d)

    # -- navigation --------------------------------------------------------------------

    def next_workday(self, d: date) -> date:
        """First workday on or after ``d``."""
        day = _as_date(d)
        for _ in range(_MAX_SCAN_DAYS):
            if self.is_workday(day):
                return day
            day += timedelta(days=1)
        raise ValueError(f"no workday within {_MAX_SCAN_DAYS} days of {d}: check the holiday configuration")

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th workday after ``start`` (ODR Rules 10/12/15: 工作日).

        The start day itself is never counted, even when it is a workday, matching CPL 85's
        rule that the day of the triggering event is excluded. ``n == 0`` returns ``start``.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        day = _as_date(start)
        counted = 0
        idle = 0
        while counted < n:
            day += timedelta(days=1)
            if self.is_workday(day):
                counted += 1
                idle = 0
            else:
                idle += 1
                if idle > _MAX_SCAN_DAYS:
                    raise ValueError(
                        f"no workday within {_MAX_SCAN_DAYS} days of {day}: check the holiday configuration"
                    )
        return day
