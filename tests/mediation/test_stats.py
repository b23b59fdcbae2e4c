"""Statistics: a small world with known timestamps, every figure checked against values worked out
by hand, the CSV/XLSX exports against the JSON, and who may see what."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from maritime_hub.demo_cases import clock
from mediation.cases import schemas as case_schemas
from mediation.cases import service as case_service
from mediation.cases import workflow
from mediation.deadlines import local_date
from mediation.dispatch import schemas as dispatch_schemas
from mediation.dispatch import service as dispatch_service
from mediation.stats import service as stats_service
from tests.mediation.conftest import PATH_TO

DAY = 86400.0
URL = "/api/v1/stats/cases"


def drive(world, c, created: datetime, targets: list[str], gaps_days: list[float], **kw) -> int:
    """Register at ``created`` and take each step ``gaps_days[i]`` days after the one before, with the
    case services' clock moved (maritime_hub.demo_cases.clock): the timeline is append-only."""
    c.at = created
    case = world.new_case(incident_at=created - timedelta(days=1), **kw)
    for target, gap in zip(targets, gaps_days, strict=True):
        c.at += timedelta(days=gap)
        world.advance(case.id, target)
    c.at = None
    return case.id


@pytest.fixture
def known(world):
    """Org cases A..G (G registered 400 days ago, outside the default period) and H of the other org."""
    db, now = world.db, datetime.now(UTC)
    c = {}
    with clock() as t:
        c["A"] = drive(world, t, now - timedelta(days=100), PATH_TO["AGREED"], [1, 2, 1, 2, 1, 5, 10])
        c["B"] = drive(world, t, now - timedelta(days=70), PATH_TO["TERMINATED"], [3, 1, 1, 4, 1, 3, 20])
        c["C"] = drive(world, t, now - timedelta(days=40), ["REFUSED"], [2], dispute_type="gear_damage")
        c["D"] = drive(world, t, now - timedelta(days=45), PATH_TO["MEDIATING"], [0.5, 1, 1, 1, 1, 2])
        c["E"] = drive(world, t, now - timedelta(days=3), [], [], dispute_type="fishery_contract")
        c["F"] = drive(
            world, t, now - timedelta(days=10), PATH_TO["FOLLOW_UP"], [1, 1, 1, 1, 0.5, 0.5, 1, 1, 1, 1, 0.5]
        )
        c["G"] = drive(world, t, now - timedelta(days=400), [], [])
    # H: the other organisation's case, refused at once.
    other = world.principal("other_coordinator")
    h = case_service.create_case(
        db,
        other,
        case_schemas.CaseCreate(
            dispute_type="collision",
            incident_at=now - timedelta(days=1),
            description="两船碰撞",
            intake_channel="window",
            parties=[
                {"side": "applicant", "person_id": world.make_person().id},
                {"side": "respondent", "organisation_id": world.make_org().id},
            ],
        ),
    )
    respondent = world.party_ids(h.id)[1]
    workflow.transition(
        db, other, h.id, case_schemas.TransitionRequest(to="REFUSED", refusing_party_id=respondent, reason="不愿调解")
    )
    c["H"] = h.id
    # Ratings: 5 and 4 on A, 2 on B → 11 / 3.
    for name, case, score in (("party", "A", 5), ("respondent_party", "A", 4), ("party", "B", 2)):
        dispatch_service.rate(db, world.principal(name), c[case], dispatch_schemas.RatingCreate(score=score))
    return c


def test_world_paths_are_what_the_stamps_assume():
    assert len(PATH_TO["AGREED"]) == 7 and len(PATH_TO["FOLLOW_UP"]) == 11 and len(PATH_TO["MEDIATING"]) == 6


def test_figures_match_hand_computed_values(client, world, known):
    r = client.get(URL, headers=world.coordinator.headers)
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["scope"]["organisation_id"] == world.org.id
    today = local_date(datetime.now(UTC))
    assert s["period"]["end"] == today.isoformat()
    assert s["period"]["start"] == stats_service.default_period(today)[0].isoformat()
    # A..F registered in the period; G (400 days ago) and H (other organisation) are not.
    assert s["total"] == 6
    by_type = {x["key"]: x["count"] for x in s["by_type"]}
    assert by_type == {
        "wage_dispute": 4,
        "gear_damage": 1,
        "fishery_contract": 1,
        "crew_service_contract": 0,
        "personal_injury_at_sea": 0,
        "collision": 0,
        "fishing_ground_conflict": 0,
        "other": 0,
    }
    assert next(x for x in s["by_type"] if x["key"] == "gear_damage")["label_zh"] == "网具损害"
    by_state = {x["key"]: x["count"] for x in s["by_state"] if x["count"]}
    assert by_state == {"AGREED": 1, "TERMINATED": 1, "REFUSED": 1, "MEDIATING": 1, "REGISTERED": 1, "FOLLOW_UP": 1}
    assert len(s["by_month"]) == 12 and sum(m["count"] for m in s["by_month"]) == 6
    months = {m["month"]: m["count"] for m in s["by_month"] if m["count"]}
    expected: dict[str, int] = {}
    for days in (100, 70, 40, 45, 3, 10):
        key = local_date(datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m")
        expected[key] = expected.get(key, 0) + 1
    assert months == expected
    # Success: A and F reached AGREED; B (TERMINATED) and C (REFUSED) are outcomes; D, E are open.
    assert s["success"] == {"successes": 2, "outcomes": 4, "rate": 0.5}
    # Time in state, completed stays only (days), median and p90 (linear interpolation).
    tis = {t["state"]: (t["cases"], t["median_seconds"] / DAY, t["p90_seconds"] / DAY) for t in s["time_in_state"]}
    assert tis == {
        "REGISTERED": (5, pytest.approx(1), pytest.approx(2.6)),  # 0.5 1 1 2 3 (E still registered)
        "TRIAGED": (4, pytest.approx(1), pytest.approx(1.7)),  # 1 1 1 2
        "PLANNED": (4, pytest.approx(1), pytest.approx(1)),
        "DISPATCHING": (4, pytest.approx(1.5), pytest.approx(3.4)),  # 1 1 2 4
        "ACCEPTED": (4, pytest.approx(1), pytest.approx(1)),  # 0.5 1 1 1
        "INVESTIGATING": (4, pytest.approx(2.5), pytest.approx(4.4)),  # 0.5 2 3 5
        "MEDIATING": (3, pytest.approx(10), pytest.approx(18)),  # 1 10 20 (D still mediating)
        "AGREED": (1, pytest.approx(1), pytest.approx(1)),  # F only (A is still agreed)
        "CONFIRM_APPLIED": (1, pytest.approx(1), pytest.approx(1)),
        "UNDER_REVIEW": (1, pytest.approx(1), pytest.approx(1)),
        "CONFIRMED": (1, pytest.approx(0.5), pytest.approx(0.5)),
    }
    # Overdue now: open = A B D E F G (C refused); E and G past 接诉即办 (24 h), D past the month of
    # mediation (MOJ-2002 33), A agreed 90 days ago and never applied for confirmation (CPL 205: 30 days).
    o = s["overdue"]
    assert (o["open_cases"], o["cases_overdue"], o["cases_overdue_duty"], o["deadlines_overdue"]) == (6, 4, 3, 4)
    assert {d["key"]: (d["duty"], d["overdue"], d["due_soon"]) for d in o["by_deadline"]} == {
        "acknowledgement": (True, 2, 0),
        "confirmation_window": (False, 1, 0),
        "mediation_period_peoples": (True, 1, 0),
    }
    # Mediators of the organisation: the assigned one handled A B D F, agreed A F, has D open.
    rows = {m["user_id"]: m for m in s["mediators"]}
    assert set(rows) == {world.assigned_mediator.user_id, world.org_mediator.user_id}
    m = rows[world.assigned_mediator.user_id]
    assert (m["open_cases"], m["handled"], m["agreed"], m["rating_avg"], m["rating_count"]) == (1, 4, 2, 3.67, 3)
    z = rows[world.org_mediator.user_id]
    assert (z["open_cases"], z["handled"], z["agreed"], z["rating_avg"], z["rating_count"]) == (0, 0, 0, None, 0)


def test_admin_sees_every_organisation_or_one(client, world, known):
    s = client.get(URL, headers=world.admin.headers).json()
    assert s["scope"]["organisation_id"] is None
    assert s["total"] == 7 and s["success"] == {"successes": 2, "outcomes": 5, "rate": 0.4}
    one = client.get(f"{URL}?organisation_id={world.other_org.id}", headers=world.auditor.headers).json()
    assert one["total"] == 1 and {x["key"]: x["count"] for x in one["by_state"] if x["count"]} == {"REFUSED": 1}
    assert one["overdue"]["open_cases"] == 0
    # A period that leaves out everything but E (3 days ago) and F (10 days ago).
    today = local_date(datetime.now(UTC))
    start = today - timedelta(days=11)
    p = client.get(
        f"{URL}?start={start}&end={today}&organisation_id={world.org.id}", headers=world.admin.headers
    ).json()
    assert p["total"] == 2 and p["success"] == {"successes": 1, "outcomes": 1, "rate": 1.0}
    assert p["overdue"]["open_cases"] == 6  # overdue is a figure of now, not of the period


def test_period_and_scope_are_checked(client, world, known):
    r = client.get(f"{URL}?start=2026-05-01&end=2026-04-01", headers=world.admin.headers)
    assert r.status_code == 422 and r.json()["field"] == "end"
    r = client.get(f"{URL}?start=2000-01-01&end=2026-04-01", headers=world.admin.headers)
    assert r.status_code == 422 and r.json()["field"] == "start"
    r = client.get(f"{URL}?start=2026-13-01", headers=world.admin.headers)
    assert r.status_code == 422
    r = client.get(f"{URL}?organisation_id=999999", headers=world.admin.headers)
    assert r.status_code == 422 and r.json()["field"] == "organisation_id"
    assert stats_service.default_period(date(2026, 1, 15)) == (date(2025, 2, 1), date(2026, 1, 15))


def test_roles_and_coordinator_scope(client, world, known):
    for who in ("party", "assigned_mediator", "clerk", "judge"):
        for url in (URL, f"{URL}/export?format=csv"):
            r = client.get(url, headers=world.users[who].headers)
            assert r.status_code == 403, (who, url, r.status_code)
    assert client.get(URL).status_code == 401
    r = client.get(f"{URL}?organisation_id={world.other_org.id}", headers=world.coordinator.headers)
    assert r.status_code == 403 and "own organisation" in r.json()["message"]
    mine = client.get(f"{URL}?organisation_id={world.org.id}", headers=world.coordinator.headers)
    assert mine.status_code == 200 and mine.json()["total"] == 6
    other = client.get(URL, headers=world.other_coordinator.headers).json()
    assert other["total"] == 1 and other["scope"]["organisation_id"] == world.other_org.id
    assert {m["user_id"] for m in other["mediators"]} == {world.outside_mediator.user_id, world.panel_chief.user_id}


def _csv_sections(text: str) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            continue
        if len(row) == 1 and row[0].startswith("【"):
            current = row[0].strip("【】")
            out[current] = []
        else:
            out[current].append(row)
    return out


def test_csv_export_matches_the_json(client, world, known):
    s = client.get(URL, headers=world.coordinator.headers).json()
    r = client.get(f"{URL}/export?format=csv", headers=world.coordinator.headers)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"] and ".csv" in r.headers["content-disposition"]
    assert r.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel shows the Chinese
    sec = _csv_sections(r.content.decode("utf-8-sig"))
    assert list(sec) == ["概览", "按纠纷类型", "按当前状态", "按登记月份", "各状态停留时间", "超期统计", "调解员工作量"]
    assert sec["按纠纷类型"][0] == ["纠纷类型", "代码", "案件数"]
    assert sec["按纠纷类型"][1:] == [[x["label_zh"], x["key"], str(x["count"])] for x in s["by_type"]]
    assert sec["按当前状态"][1:] == [[x["label_zh"], x["key"], str(x["count"])] for x in s["by_state"]]
    assert sec["按登记月份"][1:] == [[m["month"], str(m["count"])] for m in s["by_month"]]
    summary = dict(sec["概览"][1:])
    assert summary["登记案件数"] == "6" and summary["调解成功率"] == "50.00%" and summary["有超期期限的案件数"] == "4"
    assert summary["其中机构或法院职责超期的案件数"] == "3"
    tis = {row[1]: row for row in sec["各状态停留时间"][1:]}
    assert tis["MEDIATING"] == ["组织调解", "MEDIATING", "3", "10.0", "18.0"]
    assert {row[1]: row[2:] for row in sec["超期统计"][1:]} == {
        "acknowledgement": ["是", "2", "0"],
        "confirmation_window": ["否", "1", "0"],
        "mediation_period_peoples": ["是", "1", "0"],
    }
    med = {row[1]: row for row in sec["调解员工作量"][1:]}
    assert med[str(world.assigned_mediator.user_id)][2:] == ["1", "4", "2", "3.67", "3"]


def test_xlsx_export_has_one_sheet_per_table_matching_the_json(client, world, known):
    openpyxl = pytest.importorskip("openpyxl")
    s = client.get(f"{URL}?organisation_id={world.org.id}", headers=world.admin.headers).json()
    r = client.get(f"{URL}/export?format=xlsx&organisation_id={world.org.id}", headers=world.admin.headers)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(r.content), read_only=True)
    assert book.sheetnames == [
        "概览",
        "按纠纷类型",
        "按当前状态",
        "按登记月份",
        "各状态停留时间",
        "超期统计",
        "调解员工作量",
    ]

    def rows(name):
        return [list(row) for row in book[name].iter_rows(values_only=True)]

    assert rows("按纠纷类型") == [
        ["纠纷类型", "代码", "案件数"],
        *[[x["label_zh"], x["key"], x["count"]] for x in s["by_type"]],
    ]
    assert rows("按当前状态")[1:] == [[x["label_zh"], x["key"], x["count"]] for x in s["by_state"]]
    assert rows("按登记月份")[1:] == [[m["month"], m["count"]] for m in s["by_month"]]
    assert rows("各状态停留时间")[1:] == [
        [t["label_zh"], t["state"], t["cases"], round(t["median_seconds"] / DAY, 2), round(t["p90_seconds"] / DAY, 2)]
        for t in s["time_in_state"]
    ]
    assert rows("调解员工作量")[1:] == [
        [m["name"], m["user_id"], m["open_cases"], m["handled"], m["agreed"], m["rating_avg"], m["rating_count"]]
        for m in s["mediators"]
    ]
    summary = dict(rows("概览")[1:])
    assert summary["范围"] == world.org.name and summary["登记案件数"] == 6 and summary["超期期限数"] == 4
    bad = client.get(f"{URL}/export?format=pdf", headers=world.admin.headers)
    assert bad.status_code == 422
