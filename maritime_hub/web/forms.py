"""Turning HTML form posts into schemas, and validation errors into messages beside fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from maritime_hub.errors import validation_message


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
            field = ".".join(str(p) for p in e["loc"]) or "form"
            # A str (pydantic's English) that render() shows in the page's language (errors.validation_message).
            errors.setdefault(field, validation_message(e))
        return None, errors


async def _posted_form(request: Request) -> FormData:
    # Reading the body is async; everything after it (queries, services) runs in the handler,
    # a plain `def` in the thread pool, so it never blocks the event loop.
    return await request.form()


PostedForm = Annotated[FormData, Depends(_posted_form)]
"""The posted form of a page handler; the handler itself stays a plain `def`."""
