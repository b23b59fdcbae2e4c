"""Crew registry forms: edit a person, add and edit their certificates, work agreements and boardings.
Each runs the crew service through web.forms.submit, as the API does through its endpoints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from crew import service
from crew.auth import RegistryWriter
from crew.models import Boarding, Certificate, CertificateType, WagePeriod, WorkAgreement
from crew.repository import PersonRepository
from crew.schemas import BoardingCreate, BoardingUpdate, CertificateCreate, PersonUpdate, WorkAgreementCreate
from maritime_hub.db.deps import DbSession
from maritime_hub.orgs.repository import OrganisationRepository
from maritime_hub.types import Id
from maritime_hub.web.forms import PostedForm, clean, parse, submit
from maritime_hub.web.i18n import N_
from maritime_hub.web.render import render
from vessels.repository import VesselRepository

router = APIRouter(prefix="/crew", include_in_schema=False)
PERSON_FIELDS = set(PersonUpdate.model_fields) - {"languages"}


@dataclass(frozen=True)
class Input:
    name: str
    label: str  # a msgid (N_), translated by the template
    kind: str = "text"  # text | date | number | select | checkbox
    options: str = ""  # for a select: "cert_types", "vessels", "orgs", "wage_periods"


CERTIFICATE_INPUTS = (
    Input("cert_type", N_("Type"), "select", "cert_types"),
    Input("number", N_("Number")),
    Input("issuer", N_("Issuer")),
    Input("issue_date", N_("Issued"), "date"),
    Input("expiry_date", N_("Expires"), "date"),
)
AGREEMENT_INPUTS = (
    Input("employer_id", N_("Employer"), "select", "orgs"),
    Input("vessel_id", N_("Vessel"), "select", "vessels"),
    Input("position", N_("Position")),
    Input("wage_amount", N_("Wage"), "number"),
    Input("wage_currency", N_("Currency")),
    Input("wage_period", N_("Period"), "select", "wage_periods"),
    Input("share_percent", N_("Share of catch (per cent)"), "number"),
    Input("start_date", N_("Start date"), "date"),
    Input("end_date", N_("End date"), "date"),
    Input("language", N_("Language (ISO code)")),
    Input("signed_at_place", N_("Place signed")),
    Input("copy_on_board", N_("Copy on board"), "checkbox"),
)
BOARDING_INPUTS = (
    Input("vessel_id", N_("Vessel"), "select", "vessels"),
    Input("position", N_("Position")),
    Input("embark_date", N_("Embarked"), "date"),
    Input("embark_port", N_("Port of embarkation")),
    Input("disembark_date", N_("Disembarked"), "date"),
    Input("disembark_port", N_("Port of disembarkation")),
)


def _options(session) -> dict[str, list[tuple[Any, str]]]:
    vessels = VesselRepository(session).search(None, 1, 500, registered=True).items
    return {
        "cert_types": [(t.value, t.value) for t in CertificateType],
        "wage_periods": [(p.value, p.value) for p in WagePeriod],
        "vessels": [(v.id, v.display_name) for v in vessels],
        "orgs": [(o.id, o.name) for o in OrganisationRepository(session).list()],
    }


def _values(row: Any, inputs: tuple[Input, ...]) -> dict[str, Any]:
    out = {i.name: getattr(row, i.name) for i in inputs}
    return {k: getattr(v, "value", v) for k, v in out.items() if v is not None}


def _record_form(
    request: Request,
    session,
    *,
    title: str,
    person,
    inputs: tuple[Input, ...],
    values: dict,
    errors: dict | None = None,
    status: int = 200,
):
    ctx = {
        "title": title,
        "person": person,
        "inputs": inputs,
        "values": values,
        "errors": errors or {},
        "options": _options(session),
    }
    return render(request, "crew/record_form.html", ctx, status)


def _save(
    request: Request,
    session,
    *,
    form,
    schema: type[BaseModel],
    inputs: tuple[Input, ...],
    person,
    title: str,
    action: Callable[[Any], Any],
    patch: bool = False,
):
    """Parse the posted inputs, run ``action(data)`` through the one form helper, back to the person."""
    values = clean(form, {i.name for i in inputs})
    for i in inputs:
        if i.kind == "checkbox":
            values[i.name] = bool(values.get(i.name, False))
    data_in = {i.name: values.get(i.name) for i in inputs if i.name in form} if patch else values
    again = dict(request=request, session=session, title=title, person=person, inputs=inputs, values=values)
    data, errors = parse(schema, data_in)
    if data is None:
        return _record_form(**again, errors=errors, status=422)
    return submit(
        request,
        session,
        lambda: action(data),
        done=lambda _: RedirectResponse(f"/crew/{person.id}", status_code=303),
        refused=lambda errors, exc: _record_form(**again, errors=errors, status=exc.status_code),
    )


# -- the person ----------------------------------------------------------------
def _person_values(person) -> dict[str, Any]:
    values = {f: getattr(person, f) for f in PERSON_FIELDS}
    values = {k: getattr(v, "value", v) for k, v in values.items() if v is not None}
    return values | {"languages": ", ".join(person.languages or [])}


@router.get("/{person_id}/edit")
def person_edit(request: Request, person_id: Id, session: DbSession, _: RegistryWriter):
    person = PersonRepository(session).get_or_404(person_id)
    return render(request, "crew/form.html", {"person": person, "values": _person_values(person), "errors": {}})


@router.post("/{person_id}/edit")
def person_update(request: Request, form: PostedForm, person_id: Id, session: DbSession, principal: RegistryWriter):
    person = PersonRepository(session).get_or_404(person_id)
    values = clean(form, PERSON_FIELDS)
    langs = [x.strip().lower() for x in str(form.get("languages", "")).replace("，", ",").split(",") if x.strip()]
    # A cleared input removes the value (the service refuses an empty name or nationality by its field).
    patch = {f: values.get(f) for f in PERSON_FIELDS if f in form} | {"languages": langs}
    ctx = {"person": person, "values": values | {"languages": ", ".join(langs)}}
    data, errors = parse(PersonUpdate, patch)
    if data is None:
        return render(request, "crew/form.html", ctx | {"errors": errors}, 422)
    return submit(
        request,
        session,
        lambda: service.update_person(session, principal, person_id, data),  # type: ignore[arg-type]
        done=lambda _: RedirectResponse(f"/crew/{person_id}", status_code=303),
        refused=lambda errors, exc: render(request, "crew/form.html", ctx | {"errors": errors}, exc.status_code),
    )


# -- certificates, work agreements, boardings: one table, the same four pages each --------------
@dataclass(frozen=True)
class Record:
    """A kind of record a person holds, with its add and edit pages (``/crew/{person_id}/{path}/new``,
    ``/crew/{path}/{id}/edit``), run through the crew service."""

    path: str
    model: type
    inputs: tuple[Input, ...]
    create: type[BaseModel]
    update: type[BaseModel]
    add: Callable[..., Any]  # service.add_*(session, principal, person_id, data)
    change: Callable[..., Any]  # service.update_*(session, principal, record_id, data)
    title_new: str
    title_edit: str
    defaults: dict[str, Any] = field(default_factory=dict)
    patch: bool = False  # the update schema is a patch: only the posted inputs are sent


RECORDS = (
    Record(
        "certificates",
        Certificate,
        CERTIFICATE_INPUTS,
        CertificateCreate,
        CertificateCreate,
        service.add_certificate,
        service.update_certificate,
        N_("Add a certificate"),
        N_("Edit certificate"),
    ),
    Record(
        "agreements",
        WorkAgreement,
        AGREEMENT_INPUTS,
        WorkAgreementCreate,
        WorkAgreementCreate,
        service.add_agreement,
        service.update_agreement,
        N_("Add a work agreement"),
        N_("Edit work agreement"),
        defaults={"wage_currency": "CNY", "wage_period": "month"},
    ),
    Record(
        "boardings",
        Boarding,
        BOARDING_INPUTS,
        BoardingCreate,
        BoardingUpdate,
        service.add_boarding,
        service.update_boarding,
        N_("Add a boarding"),
        N_("Edit boarding"),
        patch=True,
    ),
)


def _record_pages(r: Record) -> None:
    def new(request: Request, person_id: Id, session: DbSession, _: RegistryWriter):
        person = PersonRepository(session).get_or_404(person_id)
        return _record_form(
            request, session, title=r.title_new, person=person, inputs=r.inputs, values=dict(r.defaults)
        )

    def create(request: Request, form: PostedForm, person_id: Id, session: DbSession, principal: RegistryWriter):
        person = PersonRepository(session).get_or_404(person_id)
        return _save(
            request,
            session,
            form=form,
            schema=r.create,
            inputs=r.inputs,
            person=person,
            title=r.title_new,
            action=lambda data: r.add(session, principal, person_id, data),
        )

    def edit(request: Request, record_id: Id, session: DbSession, _: RegistryWriter):
        repo = PersonRepository(session)
        row = repo.record(r.model, record_id)
        person = repo.get_or_404(row.person_id)
        values = _values(row, r.inputs)
        return _record_form(request, session, title=r.title_edit, person=person, inputs=r.inputs, values=values)

    def update(request: Request, form: PostedForm, record_id: Id, session: DbSession, principal: RegistryWriter):
        repo = PersonRepository(session)
        person = repo.get_or_404(repo.record(r.model, record_id).person_id)
        return _save(
            request,
            session,
            form=form,
            schema=r.update,
            inputs=r.inputs,
            person=person,
            title=r.title_edit,
            action=lambda data: r.change(session, principal, record_id, data),
            patch=r.patch,
        )

    router.add_api_route(f"/{{person_id}}/{r.path}/new", new, methods=["GET"])
    router.add_api_route(f"/{{person_id}}/{r.path}/new", create, methods=["POST"])
    router.add_api_route(f"/{r.path}/{{record_id}}/edit", edit, methods=["GET"])
    router.add_api_route(f"/{r.path}/{{record_id}}/edit", update, methods=["POST"])


for _record in RECORDS:
    _record_pages(_record)
