"""HTML form posts: into schemas, validation errors into messages beside fields, and the one way a
form runs its service call (`submit`: in a savepoint, so a refused form keeps nothing)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import Response

from maritime_hub.errors import ConcurrentChange, MaritimeHubError
from maritime_hub.messages import N_, validation_message
from maritime_hub.web.render import locale_for

T = TypeVar("T")


def clean(form: Mapping[str, Any], fields: set[str]) -> dict[str, Any]:
    """Empty inputs mean 'not given'; checkboxes arrive as 'on'."""
    out: dict[str, Any] = {}
    for key in fields:
        if key not in form:
            continue
        value = form[key]
        if isinstance(value, str):
            value = value.strip()
            if value == "":
                continue
            if value == "on":
                value = True
        out[key] = value
    return out


def parse(schema: type[BaseModel], data: dict[str, Any]) -> tuple[BaseModel | None, dict[str, str]]:
    try:
        return schema.model_validate(data), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for e in exc.errors():
            # A model-level check names its field in ctx (errors.field_error), as the API's 422 does.
            field = (e.get("ctx") or {}).get("field") or ".".join(str(p) for p in e["loc"]) or "form"
            # A str (pydantic's English) that render() shows in the page's language (messages.validation_message).
            errors.setdefault(field, validation_message(e))
        return None, errors


async def _posted_form(request: Request) -> FormData:
    # Reading the body is async; everything after it (queries, services) runs in the handler,
    # a plain `def` in the thread pool, so it never blocks the event loop.
    return await request.form()


PostedForm = Annotated[FormData, Depends(_posted_form)]
"""The posted form of a page handler; the handler itself stays a plain `def`."""


def submit(
    request: Request,
    session: Session,
    action: Callable[[], T],
    *,
    done: Callable[[T], Response],
    refused: Callable[[dict[str, str], MaritimeHubError], Response],
    field_of: Callable[[str], str] = str,
) -> Response:
    """Every form's service call goes through here: ``action()`` runs in a savepoint, so when the
    service refuses the form (a domain error, or a unique index losing a race) whatever it had
    flushed is rolled back, and the request's own transaction commits nothing of it. Then
    ``refused(errors, error)`` renders the form again with what was typed and the message beside
    its field (status: ``error.status_code``; ``field_of`` maps a service field to the form's input name); otherwise
    ``done(result)`` answers (usually a redirect)."""
    try:
        with session.begin_nested():
            result = action()
    except MaritimeHubError as exc:
        return refused({field_of(exc.field or "form"): exc.localised(locale_for(request))}, exc)
    except IntegrityError:
        exc = ConcurrentChange(
            N_("someone saved a conflicting record at the same moment; check the form and send it again")
        )
        return refused({"form": exc.localised(locale_for(request))}, exc)
    return done(result)
