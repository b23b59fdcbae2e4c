"""Crew registry forms: edit a person, add and edit their certificates, work agreements and boardings.
Each runs the crew service through web.forms.submit, as the API does through its endpoints."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


# -- certificates --------------------------------------------------------------
@router.get("/{person_id}/certificates/new")
def certificate_new(request: Request, person_id: Id, session: DbSession, _: RegistryWriter):
    person = PersonRepository(session).get_or_404(person_id)
    return _record_form(
        request, session, title=N_("Add a certificate"), person=person, inputs=CERTIFICATE_INPUTS, values={}
    )


@router.post("/{person_id}/certificates/new")
def certificate_create(
    request: Request, form: PostedForm, person_id: Id, session: DbSession, principal: RegistryWriter
):
    person = PersonRepository(session).get_or_404(person_id)
    return _save(
        request,
        session,
        form=form,
        schema=CertificateCreate,
        inputs=CERTIFICATE_INPUTS,
        person=person,
        title=N_("Add a certificate"),
        action=lambda data: service.add_certificate(session, principal, person_id, data),
    )


@router.get("/certificates/{certificate_id}/edit")
def certificate_edit(request: Request, certificate_id: Id, session: DbSession, _: RegistryWriter):
    repo = PersonRepository(session)
    cert = repo.record(Certificate, certificate_id)
    values = _values(cert, CERTIFICATE_INPUTS)
    person = repo.get_or_404(cert.person_id)
    title = N_("Edit certificate")
    return _record_form(request, session, title=title, person=person, inputs=CERTIFICATE_INPUTS, values=values)


@router.post("/certificates/{certificate_id}/edit")
def certificate_update(
    request: Request, form: PostedForm, certificate_id: Id, session: DbSession, principal: RegistryWriter
):
    repo = PersonRepository(session)
    person = repo.get_or_404(repo.record(Certificate, certificate_id).person_id)
    return _save(
        request,
        session,
        form=form,
        schema=CertificateCreate,
        inputs=CERTIFICATE_INPUTS,
        person=person,
        title=N_("Edit certificate"),
        action=lambda data: service.update_certificate(session, principal, certificate_id, data),
    )


# -- work agreements -----------------------------------------------------------
@router.get("/{person_id}/agreements/new")
def agreement_new(request: Request, person_id: Id, session: DbSession, _: RegistryWriter):
    person = PersonRepository(session).get_or_404(person_id)
    values = {"wage_currency": "CNY", "wage_period": "month"}
    title = N_("Add a work agreement")
    return _record_form(request, session, title=title, person=person, inputs=AGREEMENT_INPUTS, values=values)


@router.post("/{person_id}/agreements/new")
def agreement_create(request: Request, form: PostedForm, person_id: Id, session: DbSession, principal: RegistryWriter):
    person = PersonRepository(session).get_or_404(person_id)
    return _save(
        request,
        session,
        form=form,
        schema=WorkAgreementCreate,
        inputs=AGREEMENT_INPUTS,
        person=person,
        title=N_("Add a work agreement"),
        action=lambda data: service.add_agreement(session, principal, person_id, data),
    )


@router.get("/agreements/{agreement_id}/edit")
def agreement_edit(request: Request, agreement_id: Id, session: DbSession, _: RegistryWriter):
    repo = PersonRepository(session)
    agreement = repo.record(WorkAgreement, agreement_id)
    values = _values(agreement, AGREEMENT_INPUTS)
    person = repo.get_or_404(agreement.person_id)
    title = N_("Edit work agreement")
    return _record_form(request, session, title=title, person=person, inputs=AGREEMENT_INPUTS, values=values)


@router.post("/agreements/{agreement_id}/edit")
def agreement_update(
    request: Request, form: PostedForm, agreement_id: Id, session: DbSession, principal: RegistryWriter
):
    repo = PersonRepository(session)
    person = repo.get_or_404(repo.record(WorkAgreement, agreement_id).person_id)
    return _save(
        request,
        session,
        form=form,
        schema=WorkAgreementCreate,
        inputs=AGREEMENT_INPUTS,
        person=person,
        title=N_("Edit work agreement"),
        action=lambda data: service.update_agreement(session, principal, agreement_id, data),
    )


# -- boardings -----------------------------------------------------------------
@router.get("/{person_id}/boardings/new")
def boarding_new(request: Request, person_id: Id, session: DbSession, _: RegistryWriter):
    person = PersonRepository(session).get_or_404(person_id)
    return _record_form(request, session, title=N_("Add a boarding"), person=person, inputs=BOARDING_INPUTS, values={})


@router.post("/{person_id}/boardings/new")
def boarding_create(request: Request, form: PostedForm, person_id: Id, session: DbSession, principal: RegistryWriter):
    person = PersonRepository(session).get_or_404(person_id)
    return _save(
        request,
        session,
        form=form,
        schema=BoardingCreate,
        inputs=BOARDING_INPUTS,
        person=person,
        title=N_("Add a boarding"),
        action=lambda data: service.add_boarding(session, principal, person_id, data),
    )


@router.get("/boardings/{boarding_id}/edit")
def boarding_edit(request: Request, boarding_id: Id, session: DbSession, _: RegistryWriter):
    repo = PersonRepository(session)
    boarding = repo.record(Boarding, boarding_id)
    values = _values(boarding, BOARDING_INPUTS)
    person = repo.get_or_404(boarding.person_id)
    title = N_("Edit boarding")
    return _record_form(request, session, title=title, person=person, inputs=BOARDING_INPUTS, values=values)


@router.post("/boardings/{boarding_id}/edit")
def boarding_update(request: Request, form: PostedForm, boarding_id: Id, session: DbSession, principal: RegistryWriter):
    repo = PersonRepository(session)
    person = repo.get_or_404(repo.record(Boarding, boarding_id).person_id)
    return _save(
        request,
        session,
        form=form,
        schema=BoardingUpdate,
        inputs=BOARDING_INPUTS,
        person=person,
        title=N_("Edit boarding"),
        action=lambda data: service.update_boarding(session, principal, boarding_id, data),
        patch=True,
    )
