"""The OpenAPI states every status code an operation returns (docs/architecture.md), in the one
error shape the handlers in maritime_hub/app.py write. Derived from each route, so a new
endpoint is documented as it is declared:

- every operation: 500 (a bug, with the request id) and 503 (database unreachable, server busy);
- an operation that is not public: 401 (no or bad credentials) and 403 (role or case access);
- an operation with a path parameter: 404; one that changes something: 409 (conflict, illegal step);
- with any parameter or body: 422, in this project's shape rather than FastAPI's default.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, routing
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from maritime_hub.errors import error_codes

ERROR = {
    "title": "Error",
    "type": "object",
    "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "description": "stable code, e.g. not_found, conflict, forbidden"},
        "message": {"type": "string", "description": "for people, in the client's language (?lang=zh_CN)"},
        "field": {"type": "string", "description": "the field at fault, when there is one"},
        "details": {"type": "object"},
        "request_id": {"type": "string", "description": "on a 500: quote it when reporting the error"},
    },
}
VALIDATION_ERROR = {
    "title": "ValidationErrorBody",
    "type": "object",
    "required": ["code", "message", "field"],
    "properties": {
        "code": {"type": "string", "enum": ["validation_error", "invalid_value"]},
        "message": {"type": "string"},
        "field": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}, "type": {"type": "string"}},
            },
        },
        "details": {"type": "object"},
    },
}
DESCRIPTIONS = {
    401: "Not authenticated: no credentials, or a revoked, expired or unknown token",
    403: "Forbidden: the role or the relation to the case does not allow this",
    404: "Not found",
    409: "Conflict: a duplicate, or a step the case's state does not allow",
    422: "A value is not valid: `field` names it",
    429: "Too many failed logins: wait and try again",
    500: "Unexpected error, logged with `request_id`",
    503: "The database is unreachable or the server is busy: retry after `Retry-After` seconds",
}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _access(dependant) -> set[str]:
    found: set[str] = set()
    for dep in dependant.dependencies:
        if access := getattr(dep.call, "mh_access", None):
            found.add(access)
        found |= _access(dep)
    return found


def _routes(routes) -> list:
    """Every API route with its full path (routers are included lazily: their routes keep their
    own path, the context carries the prefixes)."""
    return [ctx for ctx in routing.iter_route_contexts(routes) if isinstance(ctx.original_route, APIRoute)]


def _error(status: int, schema: str = "Error", codes: dict[int, list[str]] | None = None) -> dict[str, Any]:
    listed = (codes or {}).get(status)
    return {
        "description": DESCRIPTIONS[status] + (f". Codes: {', '.join(f'`{c}`' for c in listed)}" if listed else ""),
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def statuses(route) -> set[int]:
    codes = {500, 503}
    if not (_access(route.dependant) <= {"public"}):
        codes |= {401, 403}
    if route.dependant.path_params:
        codes.add(404)
    if route.methods & WRITES:
        codes.add(409)
    if any(
        (
            route.dependant.path_params,
            route.dependant.query_params,
            route.dependant.body_params,
            route.dependant.header_params,
        )
    ):
        codes.add(422)
    if route.path_format.endswith("/auth/token"):  # a wrong password is a 401, repeated ones a 429
        codes = (codes - {409}) | {401, 429}
    return codes


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        components = spec.setdefault("components", {}).setdefault("schemas", {})
        # The stable codes, from the error classes (maritime_hub/errors.py and each domain's errors.py).
        codes = error_codes()
        error = {**ERROR, "properties": {**ERROR["properties"]}}
        error["properties"]["code"] = {
            **ERROR["properties"]["code"],
            "enum": sorted({c for status, cs in codes.items() if status != 422 for c in cs}),
        }
        validation = {**VALIDATION_ERROR, "properties": {**VALIDATION_ERROR["properties"]}}
        validation["properties"]["code"] = {"type": "string", "enum": codes.get(422, ["validation_error"])}
        components["Error"], components["ValidationErrorBody"] = error, validation
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        for route in _routes(app.routes):
            if not route.include_in_schema:
                continue
            for method in route.methods:
                op = spec["paths"].get(route.path_format, {}).get(method.lower())
                if op is None:
                    continue
                responses = op.setdefault("responses", {})
                responses.pop("422", None)
                for code in sorted(statuses(route)):
                    responses.setdefault(
                        str(code), _error(code, "ValidationErrorBody" if code == 422 else "Error", codes)
                    )
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]
