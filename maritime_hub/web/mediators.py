"""Mediator profiles in the browser: the roster for everyone who dispatches or audits, and the
create and edit forms for administrators and coordinators (the same services as /api/v1/mediators)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.datastructures import FormData

from maritime_hub.auth.repository import UserRepository
from maritime_hub.db.deps import DbSession
from maritime_hub.errors import NotFound
from maritime_hub.messages import N_
from maritime_hub.orgs.repository import OrganisationRepository
from maritime_hub.types import Id
from maritime_hub.web.forms import PostedForm, parse, submit
from maritime_hub.web.render import render
from mediation.cases.enums import DisputeType
from mediation.dispatch import service
from mediation.dispatch.auth import MediatorReader, MediatorWriter
from mediation.dispatch.models import MediatorKind
from mediation.dispatch.schemas import MediatorOut, ProfileCreate, ProfileUpdate

router = APIRouter(prefix="/mediators", include_in_schema=False)
LISTS = ("languages", "home_ports", "sea_areas")


def _split(text: str) -> list[str]:
    """ "zh, en" or "舟山，沈家门、岱山": commas of either width and 、 separate the items."""
    for sep in ("，", "、", ";", "；"):
        text = text.replace(sep, ",")
    return [x.strip() for x in text.split(",") if x.strip()]


def _profile(session, user_id: int) -> MediatorOut:
    found = next((m for m in service.list_mediators(session) if m.user_id == user_id), None)
    if found is None:
        raise NotFound(N_("user {user_id} has no mediator profile"), user_id=user_id)
    return found


def _values(m: MediatorOut) -> dict[str, Any]:
    return {
        "kind": m.kind.value,
        "languages": ", ".join(m.languages),
        "home_ports": "、".join(m.home_ports),
        "sea_areas": "、".join(m.sea_areas),
        "specialties": list(m.specialties),
        "available": m.available,
        "unavailable_until": m.unavailable_until.isoformat() if m.unavailable_until else "",
        "max_load": m.max_load,
        "organisation_id": m.organisation_id or "",
    }


def _posted(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
    """(what was typed, to show again; the data for the schema)."""
    typed: dict[str, Any] = {
        k: str(form.get(k, "")).strip()
        for k in ("user_id", "kind", "unavailable_until", "max_load", "organisation_id", *LISTS)
    }
    typed["specialties"] = [str(v) for v in form.getlist("specialties")]
    typed["available"] = form.get("available") == "on"
    data: dict[str, Any] = {k: _split(typed[k]) for k in LISTS}
    data |= {k: typed[k] or None for k in ("user_id", "kind", "unavailable_until", "max_load", "organisation_id")}
    data |= {"specialties": typed["specialties"], "available": typed["available"]}
    return typed, data


def _form(request: Request, session, *, values: dict, errors: dict | None = None, profile=None, status: int = 200):
    users = []
    if profile is None:
        with_profile = {m.user_id for m in service.list_mediators(session)}
        users = [u for u in UserRepository(session).active_with_role("mediator") if u.id not in with_profile]
    ctx = {
        "profile": profile,
        "values": values,
        "errors": errors or {},
        "users": users,
        "kinds": [k.value for k in MediatorKind],
        "dispute_types": [d.value for d in DisputeType],
        "orgs": OrganisationRepository(session).list(),
    }
    return render(request, "mediators/form.html", ctx, status)


@router.get("")
def roster(request: Request, session: DbSession, principal: MediatorReader):
    mediators = service.list_mediators(session)
    with_profile = {m.user_id for m in mediators}
    missing = [u for u in UserRepository(session).active_with_role("mediator") if u.id not in with_profile]
    orgs = {o.id: o.name for o in OrganisationRepository(session).list()}
    can_edit = principal.has("admin", "coordinator")
    ctx = {"mediators": mediators, "missing": missing, "orgs": orgs, "can_edit": can_edit}
    return render(request, "mediators/list.html", ctx)


@router.get("/new")
def new(request: Request, session: DbSession, _: MediatorWriter, user_id: Id | None = None):
    values = {"kind": MediatorKind.sea_elder.value, "languages": "zh", "available": True, "max_load": 8}
    return _form(request, session, values=values | ({"user_id": str(user_id)} if user_id else {}))


@router.post("/new")
def create(request: Request, form: PostedForm, session: DbSession, principal: MediatorWriter):
    typed, data = _posted(form)
    again = {"values": typed}
    body, errors = parse(ProfileCreate, data)
    if body is None:
        return _form(request, session, **again, errors=errors, status=422)
    return submit(
        request,
        session,
        lambda: service.create_profile(session, principal, body),  # type: ignore[arg-type]
        done=lambda p: RedirectResponse(f"/mediators#mediator-{p.user_id}", status_code=303),
        refused=lambda errs, exc: _form(request, session, **again, errors=errs, status=exc.status_code),
    )


@router.get("/{user_id}/edit")
def edit(request: Request, user_id: Id, session: DbSession, _: MediatorWriter):
    profile = _profile(session, user_id)
    return _form(request, session, values=_values(profile), profile=profile)


@router.post("/{user_id}/edit")
def update(request: Request, form: PostedForm, user_id: Id, session: DbSession, principal: MediatorWriter):
    profile = _profile(session, user_id)
    typed, data = _posted(form)
    data.pop("user_id", None)
    again = {"values": typed, "profile": profile}
    body, errors = parse(ProfileUpdate, data)
    if body is None:
        return _form(request, session, **again, errors=errors, status=422)
    return submit(
        request,
        session,
        lambda: service.update_profile(session, principal, user_id, body),  # type: ignore[arg-type]
        done=lambda p: RedirectResponse(f"/mediators#mediator-{p.user_id}", status_code=303),
        refused=lambda errs, exc: _form(request, session, **again, errors=errs, status=exc.status_code),
    )
