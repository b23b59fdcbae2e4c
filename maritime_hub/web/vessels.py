"""Vessel registry pages: list/search (HTMX live search), detail, create, edit."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from crew.repository import PersonRepository
from maritime_hub.db.deps import DbSession
from maritime_hub.orgs.models import OrgKind
from maritime_hub.orgs.repository import OrganisationRepository
from maritime_hub.types import Id, PageNo
from maritime_hub.web.forms import PostedForm, clean, parse, submit
from maritime_hub.web.labels import AIS_DIFFERENCE_FIELDS, ais_ship_type
from maritime_hub.web.map import track_link
from maritime_hub.web.render import render
from mediation.cases.board import visible_cases
from vessels import service
from vessels.ais import service as ais_service
from vessels.auth import RegistryReader, RegistryWriter
from vessels.models import VesselStatus, VesselType
from vessels.repository import VesselRepository
from vessels.schemas import VesselCreate, VesselUpdate

router = APIRouter(prefix="/vessels", include_in_schema=False)
FIELDS = set(VesselCreate.model_fields)


def _form_context(session, vessel=None, values=None, errors=None) -> dict:
    orgs = OrganisationRepository(session).list()
    return {
        "vessel": vessel,
        "values": values or {},
        "errors": errors or {},
        "types": list(VesselType),
        "statuses": list(VesselStatus),
        "companies": [o for o in orgs if o.kind in (OrgKind.company, OrgKind.manning_agency)],
    }


@router.get("")
def vessel_list(
    request: Request,
    session: DbSession,
    _: RegistryReader,
    q: str | None = None,
    vessel_type: str | None = None,
    distant_water: str | None = None,
    owner_id: str | None = None,
    company_id: str | None = None,
    crew_aboard: str | None = None,
    cert_days: str | None = None,
    port: str | None = None,
    registered: str = "",
    page: PageNo = 1,
):
    # Empty selects arrive as "": they mean "all", not a bad value.
    vessel_type = VesselType(vessel_type) if vessel_type in VesselType.__members__ else None  # type: ignore[assignment]
    dw = {"yes": True, "no": False}.get(distant_water or "")
    aboard = {"yes": True, "no": False}.get(crew_aboard or "")
    owner = int(owner_id) if owner_id and owner_id.isdigit() else None
    company = int(company_id) if company_id and company_id.isdigit() and len(company_id) < 10 else None
    days = min(int(cert_days), 365) if cert_days and cert_days.isdigit() else None
    # AIS-only vessels (hundreds after one capture) stay out of the registry list unless asked for.
    only = {"": True, "ais": False}.get(registered)
    result = VesselRepository(session).search(
        q,
        page,
        25,
        vessel_type=vessel_type,
        distant_water=dw,
        owner_id=owner,
        port=port,
        registered=only,
        company_id=company,
        crew_aboard=aboard,
        crew_certificates_until=date.today() + timedelta(days=days) if days is not None else None,
    )
    owners = {o.id: o.name for o in OrganisationRepository(session).list()}
    filters = {
        "q": q or "",
        "vessel_type": vessel_type.value if vessel_type else "",
        "distant_water": distant_water if dw is not None else "",
        "owner_id": owner or "",
        "company_id": company or "",
        "crew_aboard": crew_aboard if aboard is not None else "",
        "cert_days": "" if days is None else days,
        "port": port or "",
        "registered": registered,
    }
    ctx = filters | {
        "result": result,
        "vessel_type": vessel_type,
        "owner_id": owner,
        "company_id": company,
        "types": list(VesselType),
        "owners": owners,
        "query": urlencode(filters),
    }
    template = "vessels/_rows.html" if request.headers.get("hx-request") else "vessels/list.html"
    return render(request, template, ctx)


@router.get("/new")
def vessel_new(request: Request, session: DbSession, _: RegistryWriter):
    return render(request, "vessels/form.html", _form_context(session, values={"flag_state": "CN", "status": "active"}))


@router.post("/new")
def vessel_create(request: Request, form: PostedForm, session: DbSession, principal: RegistryWriter):
    values = clean(dict(form), FIELDS)
    values.setdefault("distant_water", False)
    data, errors = parse(VesselCreate, values)
    if data is None:
        return render(request, "vessels/form.html", _form_context(session, values=values, errors=errors), 422)
    return submit(
        request,
        session,
        lambda: service.create(session, principal, data),  # type: ignore[arg-type]
        done=lambda vessel: RedirectResponse(f"/vessels/{vessel.id}", status_code=303),
        refused=lambda errors, exc: render(
            request, "vessels/form.html", _form_context(session, values=values, errors=errors), exc.status_code
        ),
    )


@router.get("/{vessel_id}")
def vessel_detail(request: Request, vessel_id: Id, session: DbSession, principal: RegistryReader):
    vessel = VesselRepository(session).get_or_404(vessel_id)
    orgs = {o.id: o for o in OrganisationRepository(session).list()}
    aboard = PersonRepository(session).on_board(vessel.id, date.today())
    # "Last seen": static messages set ais_last_seen, positions (far more frequent) do not.
    last = ais_service.last_position(session, vessel.mmsi)
    seen = [t for t in (vessel.ais_last_seen, last and last["ts"]) if t]
    differences = [(AIS_DIFFERENCE_FIELDS.get(d.field, d.field), d) for d in service.ais_differences(vessel)]
    return render(
        request,
        "vessels/detail.html",
        {
            "vessel": vessel,
            "owner": orgs.get(vessel.owner_id),
            "operator": orgs.get(vessel.operator_id),
            "differences": differences,
            "aboard": aboard,
            "last_position": last,
            "last_seen": max(seen) if seen else None,
            "track_link": track_link(vessel.mmsi, last["ts"]) if last else None,
            "ship_type": ais_ship_type(vessel.ais_ship_type),
            "ais_length": service.ais_length(vessel),
            "ais_beam": service.ais_beam(vessel),
            "cases": visible_cases(session, principal, vessel_id=vessel.id),
        },
    )


@router.get("/{vessel_id}/edit")
def vessel_edit(request: Request, vessel_id: Id, session: DbSession, _: RegistryWriter):
    vessel = VesselRepository(session).get_or_404(vessel_id)
    values = {f: getattr(vessel, f) for f in FIELDS}
    values = {k: getattr(v, "value", v) for k, v in values.items() if v is not None}
    return render(request, "vessels/form.html", _form_context(session, vessel=vessel, values=values))


@router.post("/{vessel_id}/edit")
def vessel_update(request: Request, form: PostedForm, vessel_id: Id, session: DbSession, principal: RegistryWriter):
    vessel = VesselRepository(session).get_or_404(vessel_id)
    values = clean(form, FIELDS)
    values["distant_water"] = bool(values.get("distant_water", False))
    # A cleared input means "remove the value" for optional fields.
    patch = {f: values.get(f) for f in FIELDS if f in form}
    patch["distant_water"] = values["distant_water"]
    data, errors = parse(VesselUpdate, patch)
    if data is None:
        return render(
            request, "vessels/form.html", _form_context(session, vessel=vessel, values=values, errors=errors), 422
        )
    return submit(
        request,
        session,
        lambda: service.update(session, principal, vessel_id, data),  # type: ignore[arg-type]
        done=lambda _: RedirectResponse(f"/vessels/{vessel_id}", status_code=303),
        refused=lambda errors, exc: render(
            request,
            "vessels/form.html",
            _form_context(session, vessel=vessel, values=values, errors=errors),
            exc.status_code,
        ),
    )
