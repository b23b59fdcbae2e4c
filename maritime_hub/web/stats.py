"""The statistics page: charts (Chart.js from npm) over the figures of mediation/stats, a period
filter and CSV/XLSX export links."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from fastapi import APIRouter, Request

from maritime_hub.db.deps import DbSession
from maritime_hub.errors import ValidationFailed
from maritime_hub.messages import Label
from maritime_hub.orgs.models import OrgKind
from maritime_hub.orgs.repository import OrganisationRepository
from maritime_hub.web import i18n
from maritime_hub.web.render import locale_for, render
from mediation.stats import service
from mediation.stats.auth import StatsReader

router = APIRouter(include_in_schema=False)
MEDIATION_ORGS = (OrgKind.mediation_committee, OrgKind.mediation_centre)


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            i18n.gettext("%(value)s is not a date (YYYY-MM-DD)") % {"value": value}, field=field
        ) from None


@router.get("/stats")
def stats_page(
    request: Request,
    session: DbSession,
    principal: StatsReader,
    start: str | None = None,
    end: str | None = None,
    organisation_id: str | None = None,
):
    error = None
    try:
        org = int(organisation_id) if organisation_id else None
        stats = service.case_stats(session, principal, _date(start, "start"), _date(end, "end"), org)
    except (ValidationFailed, ValueError) as exc:
        locale = locale_for(request)  # the message in the page's language (docs/architecture.md "i18n/errors")
        error = (
            exc.localised(locale)
            if isinstance(exc, ValidationFailed)
            else Label("Invalid organisation").localised(locale)
        )
        stats = service.case_stats(session, principal)
    query = {"start": stats.period.start.isoformat(), "end": stats.period.end.isoformat()}
    if stats.scope.organisation_id is not None and principal.has(*service.SEE_ALL):
        query["organisation_id"] = str(stats.scope.organisation_id)
    orgs = (
        [o for o in OrganisationRepository(session).list() if o.kind in MEDIATION_ORGS]
        if principal.has(*service.SEE_ALL)
        else []
    )
    return render(
        request,
        "stats.html",
        {
            "stats": stats,
            "data": stats.model_dump(mode="json"),
            "orgs": orgs,
            "error": error,
            "export_csv": "/api/v1/stats/cases/export?" + urlencode({**query, "format": "csv"}),
            "export_xlsx": "/api/v1/stats/cases/export?" + urlencode({**query, "format": "xlsx"}),
        },
    )
