"""The case file on the case page: add and remove parties, vessels and crew (several crew at once,
picked from the crew registry with their boardings on the case's vessels). The case's staff only
(mediation/cases/access.py require_write, in the services), while the file is open. Each form runs
through web/forms.submit; a refusal shows the case page again with what was typed and the error
beside its field."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from maritime_hub.auth.service import Principal
from maritime_hub.db.deps import DbSession
from maritime_hub.errors import MaritimeHubError, ValidationFailed
from maritime_hub.messages import N_
from maritime_hub.types import Id
from maritime_hub.web import case_page
from maritime_hub.web.forms import PostedForm, clean, parse, submit
from maritime_hub.web.render import render
from mediation.cases import access, detail, schemas, service, unlink
from mediation.cases.auth import CaseFileWriter

router = APIRouter(prefix="/cases", include_in_schema=False)
PARTY_FIELDS = {"side", "name", "organisation_id", "nationality", "id_number", "agent_name", "agent_phone", "phone"}


def _act(request: Request, session: Session, principal: Principal, case_id: int, form: str, values: dict, action):
    def refused(errors: dict[str, str], exc: MaritimeHubError):
        ctx = case_page.case_context(session, principal, case_id) | {
            "action_error": exc,
            "created": False,
            "file_form": form,
            "file_values": values,
            "file_errors": errors,
        }
        return render(request, "cases/detail.html", ctx, exc.status_code)

    return submit(
        request,
        session,
        action,
        done=lambda _: RedirectResponse(f"/cases/{case_id}#{form}", status_code=303),
        refused=refused,
        field_of=lambda f: f.split(".")[-1],
    )


def _refuse(message: str, field: str):
    def action():
        raise ValidationFailed(message, field=field)

    return action


@router.get("/{case_id:int}/crew-picker")
def crew_picker(request: Request, case_id: Id, session: DbSession, principal: CaseFileWriter, q: str | None = None):
    """The crew picker (HTMX): registry matches, each with their boardings on the case's vessels."""
    view = detail.present(session, principal, case_id)
    access.require_write(principal, view)
    return render(
        request,
        "cases/_crew_picker.html",
        {"case": view, "crew_candidates": case_page.crew_candidates(session, view, q), "file_values": {}},
    )


@router.post("/{case_id:int}/parties")
def add_party(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: CaseFileWriter):
    values = clean(dict(form), PARTY_FIELDS)
    body: dict[str, Any] = {
        k: values[k] for k in ("side", "name", "nationality", "id_number", "agent_name", "agent_phone") if k in values
    }
    org = case_page.to_int(str(values.get("organisation_id", "")))
    if org:
        body["organisation_id"] = org
        body.pop("name", None)
    if values.get("phone"):
        body["contacts"] = [{"kind": "phone", "value": values["phone"]}]
    if not org and not values.get("name"):
        msg = case_page.page_text(request, N_("give the party's name, or choose a company"))
        return _act(request, session, principal, case_id, "add-party", values, _refuse(msg, "name"))
    data, errors = parse(schemas.PartyCreate, body)
    if data is None:
        field, message = next(iter(errors.items()))
        return _act(request, session, principal, case_id, "add-party", values, _refuse(message, field))
    return _act(
        request,
        session,
        principal,
        case_id,
        "add-party",
        values,
        lambda: service.add_party(session, principal, case_id, data),  # type: ignore[arg-type]
    )


@router.post("/{case_id:int}/parties/{party_id:int}/remove")
def remove_party(request: Request, case_id: Id, party_id: Id, session: DbSession, principal: CaseFileWriter):
    return _act(
        request,
        session,
        principal,
        case_id,
        "parties",
        {},
        lambda: unlink.remove_party(session, principal, case_id, party_id),
    )


@router.post("/{case_id:int}/vessels")
def add_vessels(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: CaseFileWriter):
    ids = [int(v) for v in form.getlist("vessel_ids") if str(v).isdigit()]
    role = str(form.get("role", "")).strip() or None
    values = {"vessel_ids": [str(i) for i in ids], "role": role or ""}
    if not ids:
        msg = case_page.page_text(request, N_("choose at least one vessel"))
        return _act(request, session, principal, case_id, "add-vessels", values, _refuse(msg, "vessel_ids"))

    def action():
        for vid in ids:
            service.add_vessel(session, principal, case_id, schemas.CaseVesselCreate(vessel_id=vid, role=role))

    return _act(request, session, principal, case_id, "add-vessels", values, action)


@router.post("/{case_id:int}/vessels/{vessel_id:int}/remove")
def remove_vessel(request: Request, case_id: Id, vessel_id: Id, session: DbSession, principal: CaseFileWriter):
    return _act(
        request,
        session,
        principal,
        case_id,
        "vessels",
        {},
        lambda: unlink.remove_vessel(session, principal, case_id, vessel_id),
    )


@router.post("/{case_id:int}/crew")
def add_crew(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: CaseFileWriter):
    """Several crew members at once; each may name the boarding the dispute is about."""
    ids = [int(v) for v in form.getlist("person_ids") if str(v).isdigit()]
    boardings = {pid: case_page.to_int(str(form.get(f"boarding_{pid}", ""))) for pid in ids}
    role = str(form.get("role", "")).strip() or None
    values = {"person_ids": [str(i) for i in ids], "role": role or ""} | {
        f"boarding_{pid}": str(b) for pid, b in boardings.items() if b
    }
    if not ids:
        msg = case_page.page_text(request, N_("choose at least one crew member"))
        return _act(request, session, principal, case_id, "add-crew", values, _refuse(msg, "person_ids"))

    def action():
        for pid in ids:
            link = schemas.CaseCrewCreate(person_id=pid, boarding_id=boardings[pid], role=role)
            service.add_crew(session, principal, case_id, link)

    return _act(request, session, principal, case_id, "add-crew", values, action)


@router.post("/{case_id:int}/crew/{person_id:int}/remove")
def remove_crew(request: Request, case_id: Id, person_id: Id, session: DbSession, principal: CaseFileWriter):
    return _act(
        request,
        session,
        principal,
        case_id,
        "vessels",
        {},
        lambda: unlink.remove_crew(session, principal, case_id, person_id),
    )
