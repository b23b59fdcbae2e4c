"""Crew registry pages: list/search with the auditor's filters, expiring certificates (page and CSV), detail
(documents, certificates, agreements, boardings), new person. The edit forms are in web/crew_forms.py."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from crew import service
from crew.auth import RegistryReader, RegistryWriter
from crew.repository import PersonRepository
from crew.schemas import PersonCreate
from maritime_hub.db.deps import DbSession
from maritime_hub.orgs.models import OrgKind
from maritime_hub.orgs.repository import OrganisationRepository
from maritime_hub.types import INT4_MAX, Id, PageNo
from maritime_hub.web.crew_export import expiring_table
from maritime_hub.web.forms import PostedForm, clean, parse, submit
from maritime_hub.web.render import locale_for, render
from mediation.cases.board import visible_cases
from vessels.repository import VesselRepository

router = APIRouter(prefix="/crew", include_in_schema=False)
PERSON_FIELDS = set(PersonCreate.model_fields) - {"documents", "languages"}


def _int(value: str | None, upper: int) -> int | None:
    """A select or number input: "" (or anything not a whole number) means "all"."""
    return min(int(value), upper) if value and value.isdigit() else None


def _filter_options(session) -> dict:
    orgs = OrganisationRepository(session).list()
    return {
        "vessels": VesselRepository(session).search(None, 1, 500, registered=True).items,
        "companies": [o for o in orgs if o.kind in (OrgKind.company, OrgKind.manning_agency)],
    }


@router.get("")
def crew_list(
    request: Request,
    session: DbSession,
    _: RegistryReader,
    q: str | None = None,
    nationality: str | None = None,
    vessel_id: str | None = None,
    company_id: str | None = None,
    distant_water: str | None = None,
    cert_days: str | None = None,
    page: PageNo = 1,
):
    # The auditor's filters: aboard a vessel today, company (employer, or owner/operator of the vessel
    # aboard), aboard a distant-water vessel today, a certificate expired or expiring within N days.
    nat = (nationality or "").upper() or None
    vessel, company, days = _int(vessel_id, INT4_MAX), _int(company_id, INT4_MAX), _int(cert_days, 365)
    dw = {"yes": True, "no": False}.get(distant_water or "")
    today = date.today()
    result = PersonRepository(session).search(
        q,
        page,
        25,
        nationality=nat,
        vessel_id=vessel,
        on=today if vessel else None,
        company_id=company,
        distant_water=dw,
        certificates_until=today + timedelta(days=days) if days is not None else None,
    )
    warnings = service.list_warnings(session, result.items)
    people = [service.person_out(p).model_copy(update={"warnings": warnings[p.id]}) for p in result.items]
    filters = {
        "q": q or "",
        "nationality": nat or "",
        "vessel_id": vessel or "",
        "company_id": company or "",
        "distant_water": distant_water if dw is not None else "",
        "cert_days": "" if days is None else days,
    }
    ctx = {"result": result, "people": people, **filters, "query": urlencode(filters)}
    if request.headers.get("hx-request"):
        return render(request, "crew/_rows.html", ctx)
    return render(request, "crew/list.html", ctx | _filter_options(session))


def _expiring(session, days: str | None, aboard: str | None) -> tuple[int, bool, list]:
    n = _int(days, 365)
    n = 30 if n is None else n
    only = aboard == "yes"
    return n, only, service.expiring_report(session, n, aboard_only=only)


@router.get("/certificates/expiring")
def expiring_page(
    request: Request, session: DbSession, _: RegistryReader, days: str | None = None, aboard: str | None = None
):
    n, only, rows = _expiring(session, days, aboard)
    vessels = VesselRepository(session).names({r.boarding.vessel_id for r in rows if r.boarding})
    query = urlencode({"days": n, "aboard": "yes" if only else ""})
    ctx = {"rows": rows, "days": n, "aboard": only, "vessels": vessels, "query": query}
    return render(request, "crew/expiring.html", ctx)


@router.get("/certificates/expiring.csv")
def expiring_csv(
    request: Request, session: DbSession, _: RegistryReader, days: str | None = None, aboard: str | None = None
):
    n, only, rows = _expiring(session, days, aboard)
    vessels = VesselRepository(session).names({r.boarding.vessel_id for r in rows if r.boarding})
    body = expiring_table(rows, vessels, locale_for(request))
    name = f"certificates-expiring-{date.today().isoformat()}-{n}d.csv"
    return Response(
        body, media_type="text/csv; charset=utf-8", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/new")
def person_new(request: Request, _: RegistryWriter):
    return render(request, "crew/form.html", {"values": {"nationality": "CN"}, "errors": {}})


@router.post("/new")
def person_create(request: Request, form: PostedForm, session: DbSession, principal: RegistryWriter):
    values = clean(form, PERSON_FIELDS)
    langs = [x.strip().lower() for x in str(form.get("languages", "")).replace("，", ",").split(",") if x.strip()]
    values["languages"] = langs
    doc = clean(form, {"doc_type", "doc_number", "doc_country"})
    if doc.get("doc_number"):
        values["documents"] = [
            {
                "doc_type": doc.get("doc_type", "passport"),
                "number": doc["doc_number"],
                "issuing_country": doc.get("doc_country", "CN"),
            }
        ]
    data, errors = parse(PersonCreate, values)
    ctx = {"values": values | doc | {"languages": ", ".join(langs)}, "errors": errors}
    if data is None:
        return render(request, "crew/form.html", ctx, 422)
    return submit(
        request,
        session,
        lambda: service.create_person(session, principal, data),  # type: ignore[arg-type]
        done=lambda person: RedirectResponse(f"/crew/{person.id}", status_code=303),
        refused=lambda errors, exc: render(request, "crew/form.html", ctx | {"errors": errors}, exc.status_code),
        field_of=_form_field,
    )


def _form_field(field: str) -> str:
    """The service names a document's number "number" (or "documents.0.number"); the form's input is doc_number."""
    last = field.rsplit(".", 1)[-1]
    return {"number": "doc_number", "doc_type": "doc_type", "issuing_country": "doc_country"}.get(last, field)


@router.get("/{person_id}")
def person_detail(request: Request, person_id: Id, session: DbSession, principal: RegistryReader):

    person = PersonRepository(session).detail(person_id)
    out = service.person_out(person, detail=True)
    vessel_ids = {b.vessel_id for b in person.boardings} | {a.vessel_id for a in person.agreements if a.vessel_id}
    vessels = {i: VesselRepository(session).get(i) for i in vessel_ids}
    orgs = {o.id: o.name for o in OrganisationRepository(session).list()}
    return render(
        request,
        "crew/detail.html",
        {
            "person": out,
            "vessels": vessels,
            "orgs": orgs,
            "cases": visible_cases(session, principal, person_id=person_id),
        },
    )
