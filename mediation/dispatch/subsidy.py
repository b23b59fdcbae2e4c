"""以案定补: a per-case subsidy for the mediator who handled it, by case grade and outcome.

Local practice pays up to 500 CNY per successful case. Amounts are configurable: the defaults
below, overridden by ``MH_SUBSIDY_CNY="major:agreed=500,complex:agreed=350,general:terminated=50"``.
A case counts in the month its outcome happened (Asia/Shanghai): the agreement's effective date
for ``agreed``, the termination day for ``terminated``.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from maritime_hub.auth.models import User
from maritime_hub.errors import ValidationFailed
from maritime_hub.messages import N_
from mediation.cases.enums import Grade
from mediation.cases.models import Case
from mediation.deadlines import LOCAL_TZ, local_date
from mediation.dispatch.schemas import SubsidyRow

ENV = "MH_SUBSIDY_CNY"
OUTCOMES = ("agreed", "terminated")
CAP = Decimal(500)  # local practice: up to 500 CNY per case
DEFAULTS: dict[tuple[str, str], Decimal] = {
    ("general", "agreed"): Decimal(200),
    ("complex", "agreed"): Decimal(350),
    ("major", "agreed"): Decimal(500),
    ("general", "terminated"): Decimal(0),
    ("complex", "terminated"): Decimal(0),
    ("major", "terminated"): Decimal(0),
}


def amounts(env: Mapping[str, str] | None = None) -> dict[tuple[str, str], Decimal]:
    env = os.environ if env is None else env
    out = dict(DEFAULTS)
    for item in filter(None, (s.strip() for s in env.get(ENV, "").split(","))):
        m = re.fullmatch(r"(\w+):(\w+)=([0-9.]+)", item)
        try:
            value = Decimal(m.group(3)) if m else None
        except InvalidOperation:
            value = None
        if m is None or value is None:
            raise ValueError(f"{ENV}: cannot read {item!r}; expected grade:outcome=amount")
        grade, outcome = m.group(1), m.group(2)
        if grade not in {g.value for g in Grade} or outcome not in OUTCOMES or value > CAP:
            raise ValueError(
                f"{ENV}: {item!r}: grade one of {[g.value for g in Grade]}, outcome one of {OUTCOMES}, "
                f"amount at most {CAP}"
            )
        out[(grade, outcome)] = value
    return out


def parse_month(month: str) -> tuple[datetime, datetime, date, date]:
    m = re.fullmatch(r"(\d{4})-(\d{2})", month or "")
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValidationFailed(N_("month {month} is not YYYY-MM"), month=repr(month), field="month")
    y, mo = int(m.group(1)), int(m.group(2))
    first = date(y, mo, 1)
    nxt = date(y + (mo == 12), 1 if mo == 12 else mo + 1, 1)
    start = datetime.combine(first, time(), LOCAL_TZ).astimezone(UTC)
    end = datetime.combine(nxt, time(), LOCAL_TZ).astimezone(UTC)
    return start, end, first, nxt


def report(session: Session, month: str, env: Mapping[str, str] | None = None) -> list[SubsidyRow]:
    table = amounts(env)
    start, end, first, nxt = parse_month(month)
    agreed = session.execute(
        select(Case.assigned_mediator_id, Case.grade).where(
            Case.assigned_mediator_id.is_not(None),
            Case.agreement_effective_on >= first,
            Case.agreement_effective_on < nxt,
        )
    )
    terminated = session.execute(
        select(Case.assigned_mediator_id, Case.grade, Case.terminated_at).where(
            Case.assigned_mediator_id.is_not(None), Case.terminated_at >= start, Case.terminated_at < end
        )
    )
    rows: dict[int, dict] = {}

    def add(uid: int, grade: Grade | None, outcome: str) -> None:
        g = grade.value if grade else "general"
        r = rows.setdefault(uid, {"by_grade": {}, "cases": 0, "amount": Decimal(0)})
        if outcome == "agreed":
            r["by_grade"][g] = r["by_grade"].get(g, 0) + 1
            r["cases"] += 1
        r["amount"] += table.get((g, outcome), Decimal(0))

    # The queries leave out cases without a mediator or an end time; the checks tell the type checker.
    for uid, grade in agreed:
        if uid is not None:
            add(uid, grade, "agreed")
    for uid, grade, at in terminated:
        if uid is not None and at is not None and first <= local_date(at) < nxt:
            add(uid, grade, "terminated")
    names = (
        {i: n for i, n in session.execute(select(User.id, User.display_name).where(User.id.in_(rows)))} if rows else {}
    )
    return [
        SubsidyRow(
            mediator_user_id=uid,
            name=names.get(uid) or "",
            month=month,
            by_grade=r["by_grade"],
            cases=r["cases"],
            amount_cny=r["amount"].quantize(Decimal("0.01")),
        )
        for uid, r in sorted(rows.items())
    ]


def to_csv(rows: list[SubsidyRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    grades = [g.value for g in Grade]
    w.writerow(
        ["month", "mediator_user_id", "name", *[f"agreed_{g}" for g in grades], "successful_cases", "amount_cny"]
    )
    for r in rows:
        w.writerow(
            [
                r.month,
                r.mediator_user_id,
                r.name,
                *[r.by_grade.get(g, 0) for g in grades],
                r.cases,
                f"{r.amount_cny:.2f}",
            ]
        )
    return buf.getvalue()
