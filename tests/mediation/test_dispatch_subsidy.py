"""以案定补: per mediator per month, successful cases by grade and the subsidy in CNY (Decimal)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mediation.cases.payloads import local_today
from mediation.dispatch import subsidy


def test_amounts_are_configurable_and_capped():
    table = subsidy.amounts({"MH_SUBSIDY_CNY": "general:agreed=250, major:terminated=100"})
    assert table[("general", "agreed")] == Decimal(250) and table[("major", "terminated")] == Decimal(100)
    assert table[("major", "agreed")] == Decimal(500)
    for bad in ("major:agreed=800", "minor:agreed=1", "general:won=1", "nonsense"):
        with pytest.raises(ValueError):
            subsidy.amounts({"MH_SUBSIDY_CNY": bad})


def test_report_sums_per_mediator_and_exports_csv(client, world):
    for _ in range(2):
        world.case_in("AGREED")
    world.case_in("TERMINATED")
    month = local_today().strftime("%Y-%m")
    r = client.get(f"/api/v1/mediators/subsidies?month={month}", headers=world.coordinator.headers)
    assert r.status_code == 200, r.text
    rows = r.json()
    assert len(rows) == 1
    row = rows[0]
    assert row["mediator_user_id"] == world.assigned_mediator.user_id
    assert row["by_grade"] == {"general": 2} and row["cases"] == 2 and Decimal(row["amount_cny"]) == Decimal("400.00")
    r = client.get(f"/api/v1/mediators/subsidies?month={month}&format=csv", headers=world.auditor.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert lines[0].startswith("month,mediator_user_id,name,agreed_general")
    assert lines[1].endswith(",2,0,0,2,400.00")
    other = client.get("/api/v1/mediators/subsidies?month=2020-01", headers=world.admin.headers)
    assert other.status_code == 200 and other.json() == []


def test_report_checks_month_and_roles(client, world):
    r = client.get("/api/v1/mediators/subsidies?month=2026-13", headers=world.coordinator.headers)
    assert r.status_code == 422 and r.json()["field"] == "month"
    for who in ("assigned_mediator", "party", "judge"):
        r = client.get("/api/v1/mediators/subsidies?month=2026-11", headers=world.users[who].headers)
        assert r.status_code == 403
