"""One error base for the whole platform, carrying its HTTP status (httpx-style hierarchy).

Services raise these; the handlers below turn them into JSON a clerk can read.
Bad input is 422 with the field named, conflicts are 409, never a 500.
"""

from __future__ import annotations

from typing import Any


class MaritimeHubError(Exception):
    status_code = 400
    code = "error"

    def __init__(self, message: str, *, field: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.field:
            body["field"] = self.field
        if self.details:
            body["details"] = self.details
        return body


class ValidationFailed(MaritimeHubError):
    """A value is wrong: names the field."""

    status_code = 422
    code = "validation_error"


class NotFound(MaritimeHubError):
    status_code = 404
    code = "not_found"


class Conflict(MaritimeHubError):
    """Duplicate identifier, illegal state transition, missed statutory deadline."""

    status_code = 409
    code = "conflict"


class NotAuthenticated(MaritimeHubError):
    status_code = 401
    code = "not_authenticated"


class Forbidden(MaritimeHubError):
    status_code = 403
    code = "forbidden"


class TooManyRequests(MaritimeHubError):
    status_code = 429
    code = "too_many_requests"


class ClusterError(MaritimeHubError):
    """The embedded PostgreSQL cluster could not be started or reached."""

    status_code = 503
    code = "database_unavailable"


def field_error(field: str, message: str) -> Exception:
    """For model-level validators: a pydantic error that still names its field (the 422
    handler reads ctx.field), instead of pointing at the whole request."""
    from pydantic_core import PydanticCustomError

    return PydanticCustomError("value_error", message, {"field": field})
