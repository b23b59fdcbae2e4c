"""Statistics API: the figures as JSON, and the same tables as CSV or XLSX."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import Response

from maritime_hub.db.deps import DbSession
from maritime_hub.types import Day, Id
from mediation.stats import export, schemas, service
from mediation.stats.auth import StatsReader

router = APIRouter(prefix="/stats", tags=["stats"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/cases", response_model=schemas.CaseStats)
def case_stats(
    session: DbSession,
    principal: StatsReader,
    start: Day | None = None,
    end: Day | None = None,
    organisation_id: Id | None = None,
):
    """Cases registered from ``start`` to ``end`` (Asia/Shanghai days, inclusive; default the last 12
    months) by type, state and month; success rate; median and p90 time in each state; live deadlines
    overdue now; mediator workload and ratings. Coordinators: their own organisation only."""
    return service.case_stats(session, principal, start, end, organisation_id)


@router.get(
    "/cases/export",
    responses={
        200: {
            "description": "the download",
            "content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
        }
    },
)
def export_stats(
    session: DbSession,
    principal: StatsReader,
    start: Day | None = None,
    end: Day | None = None,
    organisation_id: Id | None = None,
    format: str = Query("csv", pattern="^(csv|xlsx)$"),
):
    """The same figures as a download: CSV (UTF-8 with BOM, tables one after another) or XLSX (one
    sheet per table), with Chinese headers."""
    stats = service.case_stats(session, principal, start, end, organisation_id)
    name = f"case-stats-{stats.period.start}-{stats.period.end}"
    if format == "xlsx":
        body, media = export.to_xlsx(stats), XLSX
    else:
        body, media = export.to_csv(stats), "text/csv; charset=utf-8"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'})
