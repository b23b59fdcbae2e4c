"""create_app(): the composition root for the web process."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy import Engine
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from maritime_hub import logsecrets, openapi, wiring
from maritime_hub.api import api_router
from maritime_hub.apidocs import mount_docs
from maritime_hub.catalogues import from_accept_language
from maritime_hub.compression import Compression
from maritime_hub.concurrency import AdmissionLimit, configure_threads
from maritime_hub.config import get_settings
from maritime_hub.db import loopguard
from maritime_hub.db.registry import load_all_models
from maritime_hub.db.session import get_engine, session_factory, session_scope
from maritime_hub.errors import (
    ConcurrentChange,
    DatabaseUnavailable,
    InternalError,
    InvalidValue,
    MaritimeHubError,
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    TooManyRequests,
    ValidationFailed,
)
from maritime_hub.headers import SecurityHeaders, headers_for
from maritime_hub.messages import N_, Msg, localise, validation_message
from maritime_hub.middleware import RequestId, reject_nul_params
from maritime_hub.web.assets import asset_url
from maritime_hub.web.render import error_page
from maritime_hub.web.routes import mount_web
from vessels.ais import live
from vessels.ais.live import router as live_router

log = logging.getLogger("maritime_hub")


def _field_of(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or "request"


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def api_locale(request: Request) -> str | None:
    """The language of an API error message (docs/architecture.md "i18n/errors"): English unless
    the client asks for Chinese with ``?lang=zh_CN`` or an Accept-Language that prefers zh over en."""
    lang = request.query_params.get("lang")
    if lang:
        return "zh_CN" if lang.lower().replace("-", "_").startswith("zh") else None
    return "zh_CN" if from_accept_language(request.headers.get("accept-language")) == "zh_CN" else None


def _error_response(
    request: Request, err: MaritimeHubError, headers: dict[str, str] | None = None, extra: dict | None = None
):
    """The error page for a browser, else the JSON error shape in the client's language."""
    if _wants_html(request):
        response = error_page(request, err)
        response.headers.update(headers or {})
        return response
    return JSONResponse(
        {**err.to_dict(api_locale(request)), **(extra or {})}, status_code=err.status_code, headers=headers
    )


async def _domain_error(request: Request, exc: MaritimeHubError):
    if _wants_html(request):
        if isinstance(exc, NotAuthenticated):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

        return error_page(request, exc)
    headers = {}
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = str(60 * exc.details.get("retry_after_minutes", 15))
    return JSONResponse(exc.to_dict(api_locale(request)), status_code=exc.status_code, headers=headers)


async def _http_error(request: Request, exc: StarletteHTTPException):
    # Unknown paths and methods answer in the same shape as every other error.
    message = {404: N_("no such page or endpoint"), 405: N_("method not allowed here")}.get(
        exc.status_code, str(exc.detail)
    )
    kind = {404: NotFound, 405: MethodNotAllowed}.get(exc.status_code, MaritimeHubError)
    err = kind(message)
    if kind is MaritimeHubError:
        err.status_code = exc.status_code
    if exc.status_code == 400:  # FastAPI could not decode the body (not UTF-8, a broken form): a bad value
        err = ValidationFailed(N_("the request body could not be read: send UTF-8 JSON or a form"), field="body")
    if _wants_html(request):
        return error_page(request, err)
    return JSONResponse(
        err.to_dict(api_locale(request)), status_code=err.status_code, headers=getattr(exc, "headers", None)
    )


async def _validation_error(request: Request, exc: RequestValidationError):
    errors = []
    for e in exc.errors():
        loc = tuple(e.get("loc", ()))
        # Malformed JSON reports a character position, not a field.
        field = "body" if e.get("type") == "json_invalid" else _field_of(loc)
        msg = str(e.get("msg", "invalid value")).removeprefix("Value error, ")
        ctx_field = (e.get("ctx") or {}).get("field")
        errors.append({"field": ctx_field or field, "message": msg, "type": e.get("type")})
    first = errors[0] if errors else {"field": "request", "message": "invalid request"}
    message = f"{first['field']}: {first['message']}"
    if errors and (locale := api_locale(request)):  # errors[] stay English; the summary follows the client
        message = f"{first['field']}: {localise(validation_message(exc.errors()[0]), locale)}"
    if _wants_html(request):  # a page's query or path parameter (forms render their own errors)
        err = ValidationFailed(message, field=first["field"])
        if errors:
            err.text = Msg(N_("{field}: {message}"), field=first["field"], message=validation_message(exc.errors()[0]))
        return error_page(request, err)
    body = {
        "code": "validation_error",
        "message": message,
        "field": first["field"],
        "errors": errors,
    }
    return JSONResponse(body, status_code=422)


async def _integrity(request: Request, exc: IntegrityError):
    # Services check uniqueness first with a clear message; this catches the race.
    log.warning("integrity error: %s", exc.orig)
    diag = getattr(exc.orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    err = ConcurrentChange(
        N_("conflicts with an existing record ({constraint}); reload and try again"),
        constraint=constraint or "constraint",
    )
    return _error_response(request, err)


async def _data_error(request: Request, exc: DataError):
    # The database refused a value (SQLSTATE class 22: out of range, NUL in text, overflow):
    # a schema type should have caught it first (maritime_hub/types.py), so log where it got
    # through; the client still gets a 422, never a 500.
    log.warning("value refused by the database on %s %s: %s", request.method, request.url.path, exc.orig)
    err = InvalidValue(N_("a value is out of range or not valid for its field; check numbers, dates and text"))
    return _error_response(request, err)


async def _unexpected(request: Request, exc: Exception):
    # A bug: logged with its request id and traceback; the client gets the error shape with the
    # id to quote (a browser: the error page), never a bare "Internal Server Error".
    rid = getattr(request.state, "request_id", None)
    log.error("unexpected error on %s %s (request id %s)", request.method, request.url.path, rid, exc_info=exc)
    err = InternalError(
        N_("an unexpected error occurred; it has been logged (request id {request_id})"), request_id=rid or "-"
    )
    response = _error_response(request, err, extra={"request_id": rid})
    # This handler answers from outside every middleware: add what they would have added.
    for name, value in headers_for(request.url.path, get_settings().auth.cookie_secure):
        response.headers.setdefault(name, value)
    if rid:
        response.headers["X-Request-ID"] = rid
    return response


async def _db_down(request: Request, exc: OperationalError | InterfaceError):
    # The database is down or restarting (a connection refused, or dropped mid-request): 503,
    # and a browser gets the error page, which renders without the database.
    log.error("database error: %s", exc)
    err = DatabaseUnavailable(N_("the database is not reachable; try again shortly"))
    return _error_response(request, err, headers={"Retry-After": "5"})


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(MaritimeHubError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(Exception, _unexpected)
    app.add_exception_handler(OperationalError, _db_down)
    app.add_exception_handler(InterfaceError, _db_down)


def create_app(engine: Engine | None = None) -> FastAPI:
    load_all_models()
    wiring.install()
    logsecrets.install()  # after uvicorn configured its loggers (each worker process creates the app)

    @asynccontextmanager
    async def lifespan(app: FastAPI):

        configure_threads(settings.server)
        await live.start(app)
        try:
            yield
        finally:
            await live.stop(app)
            if engine is None:
                app.state.engine.dispose()

    app = FastAPI(
        title="maritime-hub",
        description="海上枫桥: registries, AIS evidence, remote mediation and court handoff for sea and fishery disputes.",
        version="0.1.0",
        lifespan=lifespan,
        dependencies=[Depends(reject_nul_params)],
        docs_url=None,  # maritime_hub.apidocs serves /docs under its own CSP
        redoc_url=None,
    )
    settings = get_settings()
    app.state.engine = engine or get_engine()
    loopguard.install(app.state.engine, settings.server.loop_guard)
    app.state.sessionmaker = session_factory(app.state.engine)

    # One short transaction outside a request (websocket messages); tests swap it.
    app.state.short_session = lambda: session_scope(app.state.sessionmaker)

    install_error_handlers(app)
    # Innermost: text bodies leave compressed (brotli or gzip, maritime_hub/compression.py), after
    # the endpoint and before the headers below are added, inside the request's admission slot.
    app.add_middleware(Compression)
    # A request waits for its turn before it takes a connection or a thread.
    app.add_middleware(
        AdmissionLimit, limit=settings.server.max_concurrent_requests, timeout=settings.server.queue_timeout_seconds
    )
    # Outside it: the request id and the security headers are on every answer, a 503 from the
    # admission limit too.
    app.add_middleware(RequestId)
    app.add_middleware(SecurityHeaders, hsts=settings.auth.cookie_secure)

    app.include_router(api_router, prefix="/api/v1")
    app.include_router(live_router)
    mount_docs(app, asset_url)
    mount_web(app)
    openapi.install(app)
    return app
