"""WorkingCalendar against the real 2026 schedule.

国务院办公厅关于2026年部分节假日安排的通知 (2025-11-04):
  春节 2/15 (Sun) - 2/23 (Mon) off; 2/14 (Sat) and 2/28 (Sat) are workdays.
  清明 4/4 (Sat) - 4/6 (Mon) off.
  中秋 9/25 (Fri) - 9/27 (Sun) off.
  国庆 10/1 (Thu) - 10/7 (Wed) off; 9/20 (Sun) and 10/10 (Sat) are workdays.
"""

from __future__ import annotations

import json
import logging
from datetime import date, datetime, timedelta

import pytest

from mediation.calendar import WorkingCalendar, parse_dates

D = date.fromisoformat


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def test_library_year_holidays_and_adjusted_weekends(cal):
    assert cal.is_rest_day(D("2026-10-01"))  # 国庆, a Thursday
    assert cal.is_rest_day(D("2026-10-07"))
    assert cal.is_workday(D("2026-10-08"))
    assert cal.is_workday(D("2026-09-20"))  # 调休上班日, a Sunday
    assert cal.is_workday(D("2026-10-10"))  # 调休上班日, a Saturday
    assert cal.is_rest_day(D("2026-10-17"))  # ordinary Saturday
    assert cal.is_workday(D("2026-10-12"))  # ordinary Monday
    assert cal.is_exact(D("2026-10-01"))


def test_accepts_datetimes(cal):
    assert cal.is_rest_day(datetime(2026, 10, 1, 9, 30))
    assert cal.next_workday(datetime(2026, 10, 1, 9, 30)) == D("2026-10-08")


def test_next_workday_is_on_or_after(cal):
    assert cal.next_workday(D("2026-10-08")) == D("2026-10-08")  # already a workday
    assert cal.next_workday(D("2026-10-01")) == D("2026-10-08")
    assert cal.next_workday(D("2026-09-19")) == D("2026-09-20")  # Sat -> 调休 Sunday


def test_add_working_days_across_national_day_and_adjusted_saturday(cal):
    # Start Wed 9/30 (not counted). 10/1-10/7 off; 10/8 Thu = 1, 10/9 Fri = 2,
    # 10/10 Sat is 调休上班 = 3.
    assert cal.add_working_days(D("2026-09-30"), 3) == D("2026-10-10")
    # One more: 10/11 Sun off, 10/12 Mon = 4.
    assert cal.add_working_days(D("2026-09-30"), 4) == D("2026-10-12")


def test_add_working_days_counts_adjusted_sunday(cal):
    # Start Fri 9/18. 9/19 Sat off; 9/20 Sun 调休上班 = 1; 9/21 Mon = 2; 9/22 Tue = 3.
    # With weekends only it would be Wed 9/23.
    assert cal.add_working_days(D("2026-09-18"), 3) == D("2026-09-22")


def test_add_working_days_across_spring_festival(cal):
    # Start Fri 2/13. 2/14 Sat 调休上班 = 1; 2/15-2/23 off; 2/24 Tue = 2; 2/25 Wed = 3.
    assert cal.add_working_days(D("2026-02-13"), 3) == D("2026-02-25")


def test_add_working_days_start_day_never_counts(cal):
    # Mon 10/12 is a workday but it is the start: 1 working day later is Tue 10/13.
    assert cal.add_working_days(D("2026-10-12"), 1) == D("2026-10-13")
    assert cal.add_working_days(D("2026-10-12"), 0) == D("2026-10-12")
    with pytest.raises(ValueError):
        cal.add_working_days(D("2026-10-12"), -1)


def test_year_without_data_falls_back_to_weekends_and_is_flagged(cal, caplog):
    # chinese_calendar 1.11 stops at 2026. 2027-10-01 is a Friday: weekends-only says workday.
    with caplog.at_level(logging.WARNING, logger="mediation.calendar"):
        assert cal.is_workday(D("2027-10-01"))
        assert cal.is_workday(D("2027-10-04"))
    assert not cal.is_exact(D("2027-10-01"))
    assert cal.is_rest_day(D("2027-10-02"))  # Saturday
    # Warned once per year, not once per lookup.
    assert len([r for r in caplog.records if "2027" in r.getMessage()]) == 1
    assert not cal.is_exact(D("2003-05-01"))  # before the library's range too


def test_configured_year_is_exact_and_uses_the_configuration():
    # A made-up 2027 schedule (the real one is published in late 2026).
    cal = WorkingCalendar(
        extra_holidays=parse_dates("2027-10-01..2027-10-07"), extra_workdays={D("2027-09-26"), D("2027-10-09")}
    )
    assert cal.is_exact(D("2027-03-01"))
    assert cal.is_rest_day(D("2027-10-01"))  # Friday, configured holiday
    assert cal.is_workday(D("2027-09-26"))  # Sunday, configured 调休
    assert cal.next_workday(D("2027-10-03")) == D("2027-10-08")
    assert not cal.is_exact(D("2028-01-03"))
    assert cal.is_exact_between(D("2026-12-01"), D("2027-01-31"))
    assert not cal.is_exact_between(D("2027-12-01"), D("2028-01-31"))


def test_configuration_corrects_a_library_year():
    # e.g. a one-off extra holiday like 2015-09-03 (抗战胜利纪念日), or a correction.
    cal = WorkingCalendar(extra_holidays={D("2026-10-12")}, extra_workdays={D("2026-10-11")})
    assert cal.is_rest_day(D("2026-10-12"))
    assert cal.is_workday(D("2026-10-11"))


def test_conflicting_configuration_is_rejected():
    with pytest.raises(ValueError, match="2027-10-01"):
        WorkingCalendar(extra_holidays={D("2027-10-01")}, extra_workdays={D("2027-10-01")})


def test_runaway_holiday_configuration_raises_instead_of_looping():
    start = D("2030-01-01")
    cal = WorkingCalendar(extra_holidays={start + timedelta(days=i) for i in range(400)})
    with pytest.raises(ValueError, match="holiday configuration"):
        cal.next_workday(start)
    with pytest.raises(ValueError, match="holiday configuration"):
        cal.add_working_days(start, 1)


def test_parse_dates_syntax():
    got = parse_dates(" 2027-01-01, 2027-10-01..2027-10-03 ,,")
    assert got == {D("2027-01-01"), D("2027-10-01"), D("2027-10-02"), D("2027-10-03")}
    assert parse_dates(["2027-02-05..2027-02-06", "2027-05-01"]) == {D("2027-02-05"), D("2027-02-06"), D("2027-05-01")}
    assert parse_dates("") == set()
    with pytest.raises(ValueError, match="MH_X"):
        parse_dates("2027-13-01", source="MH_X")
    with pytest.raises(ValueError, match="before it starts"):
        parse_dates("2027-10-07..2027-10-01")


def test_from_settings_merges_env_and_file(tmp_path):
    f = tmp_path / "cal.json"
    f.write_text(json.dumps({"holidays": ["2027-02-06..2027-02-08"], "workdays": ["2027-02-13"]}), encoding="utf-8")
    cal = WorkingCalendar.from_settings(
        {
            "MH_CALENDAR_EXTRA_HOLIDAYS": "2027-10-01..2027-10-07",
            "MH_CALENDAR_EXTRA_WORKDAYS": "2027-10-09",
            "MH_CALENDAR_FILE": str(f),
        }
    )
    assert cal.is_rest_day(D("2027-10-04"))  # Monday, from env
    assert cal.is_workday(D("2027-10-09"))  # Saturday, from env
    assert cal.is_rest_day(D("2027-02-08"))  # Monday, from file
    assert cal.is_workday(D("2027-02-13"))  # Saturday, from file
    assert cal.is_exact(D("2027-06-01"))


def test_from_settings_empty_env_is_library_only():
    cal = WorkingCalendar.from_settings({})
    assert cal.extra_holidays == frozenset() and cal.extra_workdays == frozenset()
    assert cal.is_rest_day(D("2026-10-01"))


def test_from_settings_reads_os_environ(monkeypatch):
    monkeypatch.setenv("MH_CALENDAR_EXTRA_HOLIDAYS", "2027-10-01")
    monkeypatch.delenv("MH_CALENDAR_EXTRA_WORKDAYS", raising=False)
    monkeypatch.delenv("MH_CALENDAR_FILE", raising=False)
    assert WorkingCalendar.from_settings().is_rest_day(D("2027-10-01"))


@pytest.mark.parametrize("content", ["not json", '{"holiday": []}', "[]"])
def test_from_settings_bad_file_fails_loudly(tmp_path, content):
    f = tmp_path / "cal.json"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match="MH_CALENDAR_FILE"):
        WorkingCalendar.from_settings({"MH_CALENDAR_FILE": str(f)})


def test_from_settings_missing_file_fails_loudly(tmp_path):
    with pytest.raises(ValueError, match="MH_CALENDAR_FILE"):
        WorkingCalendar.from_settings({"MH_CALENDAR_FILE": str(tmp_path / "nope.json")})


def test_per_day_answers_are_cached_without_changing_them(monkeypatch):
    import chinese_calendar

    import mediation.calendar as mod

    calls: list[date] = []
    real = chinese_calendar.is_workday

    def counting(d):
        calls.append(d)
        return real(d)

    monkeypatch.setattr(mod.chinese_calendar, "is_workday", counting)
    cal = WorkingCalendar(extra_holidays={D("2026-03-02")}, extra_workdays={D("2026-03-07")})
    days = [D("2026-01-01") + timedelta(days=i) for i in range(365)]
    first = [cal.is_workday(d) for d in days]
    looked_up = len(calls)
    # Same answers again (and through datetimes and is_rest_day), without asking the library again.
    assert [cal.is_workday(datetime(d.year, d.month, d.day, 9)) for d in days] == first
    assert [not cal.is_rest_day(d) for d in days] == first
    assert cal.add_working_days(D("2026-09-30"), 3) == D("2026-10-10")  # Sat 10/10 is a 调休 workday
    assert len(calls) == looked_up < 365  # the two configured days never reach the library
    assert first == [real(d) for d in days[:60]] + [False] + [real(d) for d in days[61:65]] + [True] + [
        real(d) for d in days[66:]
    ]
    # A second calendar has its own configuration and cache.
    assert WorkingCalendar().is_workday(D("2026-03-02")) and not WorkingCalendar().is_workday(D("2026-03-07"))
