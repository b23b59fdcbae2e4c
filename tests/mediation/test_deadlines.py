"""Statutory deadlines, each computed across a real 2026 holiday with its article named.

2026 facts used below (国务院办公厅 notice of 2025-11-04, as in chinese_calendar 1.11):
  清明 4/4 (Sat) - 4/6 (Mon) off.   中秋 9/25 (Fri) - 9/27 (Sun) off.
  国庆 10/1 (Thu) - 10/7 (Wed) off; 10/8 (Thu) is the first workday after;
  9/20 (Sun) and 10/10 (Sat) are 调休上班日 (workdays).
Each expected date is worked out in a comment so a reader can check it by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from mediation import deadlines as dl
from mediation.calendar import WorkingCalendar, parse_dates

D = date.fromisoformat
AFTER_NATIONAL_DAY = D("2026-10-08")


@pytest.fixture
def cal() -> WorkingCalendar:
    return WorkingCalendar()


# -- counting primitives ------------------------------------------------------------------


def test_calendar_days_moves_a_holiday_last_day(cal):
    # CPL 85: 9/2 + 30 days = 10/2 (国庆) -> 10/8.
    assert dl.calendar_days(cal, D("2026-09-02"), 30) == (AFTER_NATIONAL_DAY, True, False)
    # Same count with the extension switched off stays on 10/2.
    assert dl.calendar_days(cal, D("2026-09-02"), 30, extend_on_rest_day=False).due == D("2026-10-02")
    with pytest.raises(ValueError):
        dl.calendar_days(cal, D("2026-09-02"), -1)


def test_calendar_days_adjusted_saturday_is_not_a_rest_day(cal):
    # 9/25 + 15 = 10/10, a Saturday but 调休上班: no extension.
    assert dl.calendar_days(cal, D("2026-09-25"), 15) == (D("2026-10-10"), False, False)


def test_months_end_of_month_rule(cal):
    # 民法典 202: 1/31 + 1 month has no 2/31 -> last day of February.
    # 2025-02-28 is a Friday (workday).
    assert dl.months(cal, D("2025-01-31"), 1) == (D("2025-02-28"), False, False)
    # 2026-02-28 is a Saturday but a 春节 调休上班日, so CPL 85 does not move it.
    assert dl.months(cal, D("2026-01-31"), 1) == (D("2026-02-28"), False, False)
    assert dl.add_months(D("2024-01-31"), 1) == D("2024-02-29")  # leap year
    assert dl.add_months(D("2026-08-31"), 1) == D("2026-09-30")
    assert dl.add_months(D("2026-11-15"), 3) == D("2027-02-15")  # across a year end
    assert dl.add_months(D("2024-02-29"), 12) == D("2025-02-28")


def test_working_days_primitive(cal):
    # 9/30 (Wed) + 3 WD: 10/8 = 1, 10/9 = 2, 10/10 (调休 Sat) = 3.
    assert dl.working_days(cal, D("2026-09-30"), 3) == (D("2026-10-10"), False, False)


def test_hours_ignore_holidays():
    start = datetime(2026, 9, 30, 22, 0, tzinfo=timezone(timedelta(hours=8)))
    assert dl.hours(start, 24) == datetime(2026, 10, 1, 22, 0, tzinfo=timezone(timedelta(hours=8)))


# -- intake and dispatch (ODR Rules, working days) -----------------------------------------


def test_party_choose_mediator_odr_10(cal):
    # Referred Thu 9/24. 9/25-9/27 中秋 off; 9/28 Mon = 1; 9/29 Tue = 2.
    d = dl.party_choose_mediator(cal, D("2026-09-24"))
    assert (d.due, d.basis, d.unit, d.amount) == (D("2026-09-29"), "ODR 10", "working_days", 2)


def test_court_appoint_mediator_odr_10(cal):
    # Choice lapsed Tue 9/29. 9/30 Wed = 1; 10/1-10/7 off; 10/8 Thu = 2; 10/9 Fri = 3.
    d = dl.court_appoint_mediator(cal, D("2026-09-29"))
    assert (d.due, d.basis) == (D("2026-10-09"), "ODR 10")


def test_mediator_acceptance_odr_12_counts_adjusted_saturday(cal):
    # Dispatched Wed 9/30. 10/8 = 1, 10/9 = 2, 10/10 (Sat, 调休上班) = 3.
    d = dl.mediator_acceptance(cal, D("2026-09-30"))
    assert (d.due, d.basis, d.extended_by_holiday) == (D("2026-10-10"), "ODR 12", False)


def test_mediator_acceptance_counts_adjusted_sunday(cal):
    # Dispatched Fri 9/18. 9/19 Sat off; 9/20 Sun 调休 = 1; 9/21 = 2; 9/22 = 3.
    assert dl.mediator_acceptance(cal, D("2026-09-18")).due == D("2026-09-22")


def test_contact_other_party_odr_15_across_spring_festival(cal):
    # Accepted Fri 2/13. 2/14 Sat 调休 = 1; 2/15-2/23 off; 2/24 = 2; 2/25 = 3.
    d = dl.contact_other_party(cal, D("2026-02-13"))
    assert (d.due, d.basis) == (D("2026-02-25"), "ODR 15")


def test_acknowledgement_is_an_hour_sla_in_local_time():
    # Received 2026-09-30 17:00 UTC = 10/1 01:00 Beijing; 24 h later = 10/2 01:00 Beijing.
    d = dl.acknowledgement(datetime(2026, 9, 30, 17, 0, tzinfo=UTC), sla_hours=24)
    assert d.start_date == D("2026-10-01") and d.due == D("2026-10-02")
    assert d.due_at == datetime(2026, 10, 1, 17, 0, tzinfo=UTC)
    assert (d.unit, d.hard, d.basis == "local practice [U]") == ("hours", False, True)
    assert dl.status(d, datetime(2026, 10, 1, 17, 1, tzinfo=UTC)) == "overdue"
    assert dl.status(d, datetime(2026, 10, 1, 16, 0, tzinfo=UTC)) == "due_soon"


# -- mediation period (ODR 24-26; Invited-Med 27; MOJ-2002 33; NB-PML 27) -------------------


@pytest.mark.parametrize(
    "kind, accepted, comment",
    [
        ("pre_filing", "2026-09-01", "9/1 + 30 = 10/1 (国庆) -> 10/8"),
        ("post_filing_ordinary", "2026-09-22", "9/22 + 15 = 10/7 (国庆) -> 10/8"),
        ("post_filing_summary", "2026-09-28", "9/28 + 7 = 10/5 (国庆) -> 10/8"),
        ("peoples", "2026-09-03", "9/3 + 1 month = 10/3 (国庆) -> 10/8"),
    ],
)
def test_mediation_period_across_national_day(cal, kind, accepted, comment):
    d = dl.mediation_period(cal, D(accepted), kind)
    assert d.due == AFTER_NATIONAL_DAY, comment
    assert d.extended_by_holiday
    assert ("ODR 24" in d.basis) if kind != "peoples" else ("MOJ-2002 33" in d.basis)
    assert d.hard == (kind != "peoples")


def test_mediation_period_appraisal_pause(cal):
    # ODR 26. Accepted Mon 3/2: raw last day 3/2 + 30 = 4/1 (Wed).
    assert dl.mediation_period(cal, D("2026-03-02")).due == D("2026-04-01")
    # Appraisal 3/10..3/19 = 10 days excluded -> 4/11 (Sat) -> Mon 4/13.
    d = dl.mediation_period(cal, D("2026-03-02"), pauses=[(D("2026-03-10"), D("2026-03-19"))])
    assert (d.due, d.extended_by_holiday) == (D("2026-04-13"), True)
    assert "ODR 26" in d.note and "+10d" in d.note


def test_mediation_period_extension_by_consent_and_pause(cal):
    # 4/1 + 10 consented days = 4/11; + 10 paused days = 4/21 (Tue), a workday.
    d = dl.mediation_period(cal, D("2026-03-02"), extension_days=10, pauses=[(D("2026-03-10"), D("2026-03-19"))])
    assert (d.due, d.extended_by_holiday) == (D("2026-04-21"), False)
    assert "consent +10d" in d.note
    with pytest.raises(ValueError):
        dl.mediation_period(cal, D("2026-03-02"), extension_days=-1)


def test_mediation_period_pause_edge_cases(cal):
    start = D("2026-03-02")
    # Overlapping pauses merge: 3/10..3/25 = 16 days -> 4/1 + 16 = 4/17 (Fri).
    assert dl.mediation_period(
        cal, start, pauses=[(D("2026-03-15"), D("2026-03-25")), (D("2026-03-10"), D("2026-03-19"))]
    ).due == D("2026-04-17")
    # A pause after the period ended cannot revive it: stays 4/1.
    assert dl.mediation_period(cal, start, pauses=[(D("2026-04-05"), D("2026-04-10"))]).due == D("2026-04-01")
    # Only days after the start count: 2/25..3/5 credits 3/3, 3/4, 3/5 -> 4/4 (清明) -> Tue 4/7.
    assert dl.mediation_period(cal, start, pauses=[(D("2026-02-25"), D("2026-03-05"))]).due == D("2026-04-07")
    # A pause inside the pushed period counts: 3/10..3/17 (8) -> 4/9; then 4/5 (1) -> 4/10 (Fri).
    assert dl.mediation_period(
        cal, start, pauses=[(D("2026-03-10"), D("2026-03-17")), (D("2026-04-05"), D("2026-04-05"))]
    ).due == D("2026-04-10")
    with pytest.raises(ValueError):
        dl.mediation_period(cal, start, pauses=[(D("2026-03-10"), D("2026-03-09"))])
    with pytest.raises(ValueError):
        dl.mediation_period(cal, start, "arbitration")  # type: ignore[arg-type]


# -- judicial confirmation -------------------------------------------------------------------


def test_confirmation_window_across_national_day(cal):
    # CPL 205; PML 33. Effective Wed 9/2: 9/2 + 30 = 10/2 (国庆) -> first workday 10/8.
    d = dl.confirmation_window(cal, D("2026-09-02"))
    assert (d.due, d.extended_by_holiday, d.hard, d.approximate) == (AFTER_NATIONAL_DAY, True, True, False)
    assert d.basis == "CPL 205; PML 33"
    assert (d.start_date, d.unit, d.amount) == (D("2026-09-02"), "calendar_days", 30)


def test_confirmation_window_uses_the_beijing_day_of_a_utc_timestamp(cal):
    # Last e-signature 2026-09-01 16:30 UTC = 9/2 00:30 Beijing (ODR 19) -> same as above.
    assert dl.confirmation_window(cal, datetime(2026, 9, 1, 16, 30, tzinfo=UTC)).due == AFTER_NATIONAL_DAY


def test_confirmation_checker_refuses_day_31(cal):
    # Effective Mon 3/2: day 30 = 4/1 (Wed, workday, no extension); day 31 = 4/2.
    ok, d = dl.confirmation_window_open(cal, D("2026-03-02"), D("2026-04-01"))
    assert ok and d.due == D("2026-04-01") and not d.extended_by_holiday
    ok, _ = dl.confirmation_window_open(cal, D("2026-03-02"), D("2026-04-02"))
    assert not ok
    assert dl.confirmation_window_open(cal, D("2026-03-02"), D("2026-03-02"))[0]  # same day
    assert not dl.confirmation_window_open(cal, D("2026-03-02"), D("2026-03-01"))[0]  # not yet effective


def test_confirmation_checker_honours_the_holiday_extension(cal):
    # Effective 9/2: nominal day 30 is 10/2, but the window stays open to 10/8 (CPL 85).
    assert dl.confirmation_window_open(cal, D("2026-09-02"), AFTER_NATIONAL_DAY)[0]
    assert not dl.confirmation_window_open(cal, D("2026-09-02"), D("2026-10-09"))[0]


def test_court_acceptance_spc_2011_art_4(cal):
    # Received Wed 9/30: + 3 = 10/3 (国庆) -> 10/8.
    d = dl.court_acceptance(cal, D("2026-09-30"))
    assert (d.due, d.basis, d.extended_by_holiday) == (AFTER_NATIONAL_DAY, "SPC-2011 4", True)


def test_review_sla_spc_2011_art_5(cal):
    # Accepted Sun 9/20 (调休 workday): + 15 = 10/5 (国庆) -> 10/8.
    d = dl.review_sla(cal, D("2026-09-20"))
    assert (d.due, d.basis, d.hard, d.extended_by_holiday) == (AFTER_NATIONAL_DAY, "SPC-2011 5", False, True)
    # With the president's +10: one 25-day period, 9/20 + 25 = 10/15 (Thu).
    assert dl.review_sla(cal, D("2026-09-20"), extended=True).due == D("2026-10-15")
    # 9/25 + 15 = 10/10, a 调休 Saturday: stays.
    assert dl.review_sla(cal, D("2026-09-25")).due == D("2026-10-10")


def test_review_hard_limit_cpl_187(cal):
    # Docketed Fri 9/4: + 30 = 10/4 (国庆) -> 10/8.
    d = dl.review_hard_limit(cal, D("2026-09-04"))
    assert (d.due, d.basis, d.hard) == (AFTER_NATIONAL_DAY, "CPL 187", True)
    # President extends 10 days: 9/4 + 40 = 10/14 (Wed).
    assert dl.review_hard_limit(cal, D("2026-09-04"), president_extension_days=10).due == D("2026-10-14")
    with pytest.raises(ValueError):
        dl.review_hard_limit(cal, D("2026-09-04"), president_extension_days=-1)


def test_party_objection_cpl_interp_372(cal):
    # Ruling received Sun 9/20: + 15 = 10/5 (国庆) -> 10/8.
    d = dl.party_objection(cal, D("2026-09-20"))
    assert (d.due, d.basis) == (AFTER_NATIONAL_DAY, "CPL-Interp 372")


def test_interested_person_objection_cpl_interp_372(cal):
    # Known 4/1: + 6 months = 10/1 (国庆) -> 10/8.
    d = dl.interested_person_objection(cal, D("2026-04-01"))
    assert (d.due, d.basis, d.unit, d.amount) == (AFTER_NATIONAL_DAY, "CPL-Interp 372", "months", 6)


def test_enforcement_application_cpl_250(cal):
    # Last performance day 2024-10-01: + 2 years = 2026-10-01 (国庆) -> 10/8.
    d = dl.enforcement_application(cal, D("2024-10-01"))
    assert (d.due, d.basis, d.extended_by_holiday) == (AFTER_NATIONAL_DAY, "CPL 250", True)


# -- substantive periods: no rest-day extension by default -----------------------------------


def test_maritime_lien_one_year_without_holiday_extension(cal):
    # 海商法 29: arose 2025-10-01 -> lapses after 2026-10-01, a 国庆 holiday, NOT moved.
    d = dl.maritime_lien(cal, D("2025-10-01"))
    assert (d.due, d.extended_by_holiday, d.basis) == (D("2026-10-01"), False, "海商法 29")
    assert "民法典 203" in d.note
    # The caller can opt into the 民法典 203 reading: -> 10/8.
    assert dl.maritime_lien(cal, D("2025-10-01"), extend_on_rest_day=True).due == AFTER_NATIONAL_DAY
    # Leap day: 2024-02-29 + 1 year -> 2025-02-28.
    assert dl.maritime_lien(cal, D("2024-02-29")).due == D("2025-02-28")


def test_lien_deadline_in_an_uncovered_year_is_not_approximate(cal):
    # No calendar lookup happens without the extension, so 2027 data is not needed.
    d = dl.maritime_lien(cal, D("2026-10-04"))
    assert (d.due, d.approximate) == (D("2027-10-04"), False)


def test_labour_arbitration_one_year(cal):
    # 劳动争议调解仲裁法 27: known 2025-10-04 -> 2026-10-04 (国庆), not moved by default.
    d = dl.labour_arbitration(cal, D("2025-10-04"))
    assert (d.due, d.basis) == (D("2026-10-04"), "劳动争议调解仲裁法 27")
    assert d.note == (
        "suspension/interruption not modelled; no rest-day extension applied (民法典 203 might allow the next workday)"
    )
    opted = dl.labour_arbitration(cal, D("2025-10-04"), extend_on_rest_day=True)
    assert (opted.due, opted.note) == (AFTER_NATIONAL_DAY, "suspension/interruption not modelled")


def test_collision_claim_two_years(cal):
    # 海商法 261: collision 2024-10-05 -> 2026-10-05 (国庆), not moved by default.
    d = dl.collision_claim(cal, D("2024-10-05"))
    assert (d.due, d.basis, d.extended_by_holiday) == (D("2026-10-05"), "海商法 261", False)


# -- years the library lacks ---------------------------------------------------------------


def test_2027_deadline_without_configuration_is_approximate(cal):
    # Effective Fri 2027-09-03: + 30 = Sun 10/3. Weekends only -> Mon 10/4, flagged.
    d = dl.confirmation_window(cal, D("2027-09-03"))
    assert (d.due, d.extended_by_holiday, d.approximate) == (D("2027-10-04"), True, True)


def test_2027_deadline_with_configured_holidays_is_exact():
    # Configured 国庆 2027-10-01..10-07 (illustrative): Sun 10/3 -> first workday Fri 10/8.
    cal = WorkingCalendar(
        extra_holidays=parse_dates("2027-10-01..2027-10-07"), extra_workdays=parse_dates("2027-09-26, 2027-10-09")
    )
    d = dl.confirmation_window(cal, D("2027-09-03"))
    assert (d.due, d.extended_by_holiday, d.approximate) == (D("2027-10-08"), True, False)


def test_working_days_into_2027_are_approximate(cal):
    # Wed 2026-12-30 + 3 WD: Thu 12/31 = 1; Fri 2027-01-01 = 2 (weekends-only guess; really
    # 元旦, hence the flag); Mon 1/4 = 3.
    d = dl.mediator_acceptance(cal, D("2026-12-30"))
    assert (d.due, d.approximate) == (D("2027-01-04"), True)
    assert not dl.mediator_acceptance(cal, D("2026-12-01")).approximate


# -- status -----------------------------------------------------------------------------------


def test_remaining_and_status(cal):
    d = dl.confirmation_window(cal, D("2026-09-02"))  # due 10/8
    assert dl.remaining(d, D("2026-10-01")) == 7 and dl.status(d, D("2026-10-01")) == "ok"
    assert dl.status(d, D("2026-10-05")) == "due_soon"  # 3 days left
    assert dl.remaining(d, AFTER_NATIONAL_DAY) == 0 and dl.status(d, AFTER_NATIONAL_DAY) == "due_soon"
    assert dl.remaining(d, D("2026-10-09")) == -1 and dl.status(d, D("2026-10-09")) == "overdue"
    assert dl.status(d, D("2026-10-01"), due_soon_days=7) == "due_soon"
    # A timestamp counts by its Beijing day: 10/8 16:30 UTC is already 10/9 in Beijing.
    assert dl.status(d, datetime(2026, 10, 8, 16, 30, tzinfo=UTC)) == "overdue"


def test_deadline_is_frozen(cal):
    d = dl.confirmation_window(cal, D("2026-09-02"))
    with pytest.raises(AttributeError):
        d.due = D("2026-12-31")  # type: ignore[misc]


def test_every_start_event_is_shown_in_chinese():
    """The case page shows what each deadline counts from; each event is a marked message."""
    import ast
    import inspect

    from maritime_hub.catalogues import translations
    from maritime_hub.web.labels import DEADLINE_EVENTS
    from mediation import deadlines

    events = set()
    for node in ast.walk(ast.parse(inspect.getsource(deadlines))):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", "") == "_deadline"
            and isinstance(node.args[4], ast.Constant)
        ):
            events.add(node.args[4].value)
        if isinstance(node, ast.keyword) and node.arg == "start_event" and isinstance(node.value, ast.Constant):
            events.add(node.value.value)
    assert len(events) >= 14 and events <= set(DEADLINE_EVENTS)
    zh = translations("zh_CN")
    assert all(zh.gettext(e) != e for e in events)
