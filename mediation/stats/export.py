"""The statistics as tables with Chinese headers: one CSV (UTF-8 with a BOM, so Excel reads the
Chinese; tables one after another under a title row) or one XLSX sheet per table (XlsxWriter)."""

from __future__ import annotations

import csv
import io
from typing import Any

import xlsxwriter

from mediation.deadlines import local_date
from mediation.stats.schemas import CaseStats

Table = tuple[str, list[str], list[list[Any]]]
BOM = "\ufeff"


def _days(seconds: float) -> float:
    return round(seconds / 86400, 2)


def tables(s: CaseStats) -> list[Table]:
    rate = f"{s.success.rate:.2%}" if s.success.rate is not None else "—"
    scope = s.scope.organisation_name or "全部调解组织"
    o = s.overdue
    return [
        (
            "概览",
            ["项目", "数值"],
            [
                ["统计期间开始", s.period.start.isoformat()],
                ["统计期间结束", s.period.end.isoformat()],
                ["范围", scope],
                ["登记案件数", s.total],
                ["调解成功数", s.success.successes],
                ["有结果案件数", s.success.outcomes],
                ["调解成功率", rate],
                ["未结案件数", o.open_cases],
                ["有超期期限的案件数", o.cases_overdue],
                ["其中机构或法院职责超期的案件数", o.cases_overdue_duty],
                ["超期期限数", o.deadlines_overdue],
                ["统计时间", local_date(s.generated_at).isoformat()],
            ],
        ),
        ("按纠纷类型", ["纠纷类型", "代码", "案件数"], [[c.label_zh, c.key, c.count] for c in s.by_type]),
        ("按当前状态", ["状态", "代码", "案件数"], [[c.label_zh, c.key, c.count] for c in s.by_state]),
        ("按登记月份", ["月份", "案件数"], [[m.month, m.count] for m in s.by_month]),
        (
            "各状态停留时间",
            ["状态", "代码", "案件数", "中位数（天）", "90分位（天）"],
            [[t.label_zh, t.state, t.cases, _days(t.median_seconds), _days(t.p90_seconds)] for t in s.time_in_state],
        ),
        (
            "超期统计",
            ["期限", "代码", "机构或法院职责", "已超期", "即将到期"],
            [[d.label_zh, d.key, "是" if d.duty else "否", d.overdue, d.due_soon] for d in o.by_deadline],
        ),
        (
            "调解员工作量",
            ["调解员", "用户编号", "在办案件", "期间承办", "其中达成协议", "平均评分", "评分次数"],
            [
                [
                    m.name,
                    m.user_id,
                    m.open_cases,
                    m.handled,
                    m.agreed,
                    m.rating_avg if m.rating_avg is not None else "",
                    m.rating_count,
                ]
                for m in s.mediators
            ],
        ),
    ]


def to_csv(s: CaseStats) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    for i, (title, headers, rows) in enumerate(tables(s)):
        if i:
            w.writerow([])
        w.writerow([f"【{title}】"])
        w.writerow(headers)
        w.writerows(rows)
    return (BOM + buf.getvalue()).encode("utf-8")


def to_xlsx(s: CaseStats) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    for title, headers, rows in tables(s):
        sheet = book.add_worksheet(title)
        sheet.write_row(0, 0, headers, bold)
        for r, row in enumerate(rows, start=1):
            sheet.write_row(r, 0, row)
        sheet.set_column(0, 0, 24)
        sheet.set_column(1, len(headers) - 1, 14)
        sheet.freeze_panes(1, 0)
    book.close()
    return buf.getvalue()
