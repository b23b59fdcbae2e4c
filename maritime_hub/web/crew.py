"""Crew registry pages: list/search, detail (documents, certificates, agreements, boardings), new person."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from crew import service
from crew.auth import RegistryReader, RegistryWriter
from crew.repository import PersonRepository
from crew.schemas import PersonCreate
from maritime_hub.db.deps import DbSession
from maritime_hub.orgs.repository import OrganisationRepository
from maritime_hub.types import Id, PageNo
from maritime_hub.web.forms import PostedForm, clean, parse, submit
from maritime_hub.web.render import render
from mediation.cases.board import visible_cases
from vessels.repository import VesselRepository

router = APIRouter(prefix="/crew", include_in_schema=False)
PERSON_FIELDS = set(PersonCreate.model_fields) - {"documents", "languages"}


@router.get("")
def crew_list(
    request: Request,
    session: DbSession,
    _: RegistryReader,
    q: str | None = None,
    nationality: str | None = None,
    page: PageNo = 1,
):
    nat = (nationality or "").upper() or None
    result = PersonRepository(session).search(q, page, 25, nationality=nat)
    warnings = service.list_warnings(session, result.items)
    people = [service.person_out(p).model_copy(update={"warnings": warnings[p.id]}) for p in result.items]
    ctx = {"result": result, "people": people, "q": q or "", "nationality": nat or ""}
    return render(request, "crew/_rows.html" if request.headers.get("hx-request") else "crew/list.html", ctx)


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
