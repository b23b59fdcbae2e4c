"""One error base for the whole platform, carrying its HTTP status and a stable ``code``
(httpx-style hierarchy): ``Conflict`` and its kinds, ``ValidationFailed``, ``NotFound``, ...

Services raise these; the handlers in maritime_hub/app.py turn them into JSON a clerk can read.
Bad input is 422 with the field named, conflicts are 409, never a 500. Domains subclass them in
their own ``errors.py`` with their own codes; the messages they carry are in maritime_hub/messages.py.
"""

from __future__ import annotations

from typing import Any

from maritime_hub.messages import Msg, localise, translate


class MaritimeHubError(Exception):
    """``message`` is a plain string, a ``Msg``, or a template marked with ``N_`` plus its params
    (``Conflict(N_("... {state} ..."), state=s, field="to")``). ``.message`` is the English text;
    ``.localised(locale)`` the reader's."""

    status_code = 400
    code = "error"

    def __init__(self, message: str, *, field: str | None = None, details: dict[str, Any] | None = None, **params: Any):
        if params and not isinstance(message, Msg):
            message = Msg(message, **params)
        super().__init__(message)
        self.text = message
        self.message = str(message)
        self.field = field
        self.details = details or {}

    def localised(self, locale: str | None) -> str:
        """The message in ``locale``; a plain string is looked up as a msgid (untranslated: as is)."""
        if isinstance(self.text, str) and hasattr(self.text, "localised"):
            return localise(self.text, locale)
        return translate(locale, self.message)

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.localised(locale) if locale else self.message}
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


class DuplicateIdentifier(Conflict):
    """A unique identifier (username, MMSI, IMO, ID document, organisation name) is already taken."""

    code = "duplicate_identifier"


class AlreadyRecorded(Conflict):
    """The same thing recorded twice (a link, a profile, a rating, a waiver)."""

    code = "already_recorded"


class ConcurrentChange(Conflict):
    """Someone saved a conflicting record at the same moment (a unique constraint caught the race)."""

    code = "concurrent_change"


class NotAuthenticated(MaritimeHubError):
    status_code = 401
    code = "not_authenticated"


class Forbidden(MaritimeHubError):
    status_code = 403
    code = "forbidden"


class TooManyRequests(MaritimeHubError):
    status_code = 429
    code = "too_many_requests"


class InvalidValue(ValidationFailed):
    """422: the database refused a value a schema type let through (out of range, NUL, overflow)."""

    code = "invalid_value"


class MethodNotAllowed(MaritimeHubError):
    status_code = 405
    code = "method_not_allowed"


class InternalError(MaritimeHubError):
    """500: a bug, logged with the request id the client can quote."""

    status_code = 500
    code = "internal_error"


class DatabaseUnavailable(MaritimeHubError):
    """503: the database is down or restarting; retry after ``Retry-After``."""

    status_code = 503
    code = "database_unavailable"


class ServerBusy(MaritimeHubError):
    """503: every request slot stayed taken for the whole wait (maritime_hub/concurrency.py)."""

    status_code = 503
    code = "server_busy"


class ClusterError(DatabaseUnavailable):
    """The embedded PostgreSQL cluster could not be started or reached."""


def error_codes() -> dict[int, list[str]]:
    """Every stable code by HTTP status, from the error classes defined so far (the OpenAPI lists
    them): import the domains' ``errors`` modules first (the app does)."""
    by_status: dict[int, set[str]] = {}
    todo = [MaritimeHubError]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        by_status.setdefault(cls.status_code, set()).add(cls.code)
    return {status: sorted(codes) for status, codes in sorted(by_status.items()) if codes}


def field_error(field: str, message: str) -> Exception:
    """For model-level validators: a pydantic error that still names its field (the 422
    handler reads ctx.field), instead of pointing at the whole request."""
    from pydantic_core import PydanticCustomError

    return PydanticCustomError("value_error", message, {"field": field})
