"""Browser pages: login/logout, home, language switch; domain pages are in web/vessels.py, web/crew.py
and web/crew_forms.py."""

from __future__ import annotations

import secrets
from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import RedirectResponse

from maritime_hub.auth import service as auth_service
from maritime_hub.auth.dependencies import SESSION_COOKIE, CurrentUser, OptionalPrincipal, public
from maritime_hub.config import get_settings
from maritime_hub.db.deps import DbSession
from maritime_hub.errors import Forbidden, TooManyRequests
from maritime_hub.jobs.health import worker_status
from maritime_hub.web import i18n
from maritime_hub.web.assets import mount_static
from maritime_hub.web.audit import router as audit_pages
from maritime_hub.web.cases import router as case_pages
from maritime_hub.web.cases_evidence import router as case_evidence_pages
from maritime_hub.web.cases_file import router as case_file_pages
from maritime_hub.web.cases_followup import router as case_followup_pages
from maritime_hub.web.crew import router as crew_pages
from maritime_hub.web.crew_forms import router as crew_form_pages
from maritime_hub.web.map import router as map_pages
from maritime_hub.web.mediators import router as mediator_pages
from maritime_hub.web.notifications import router as notification_pages
from maritime_hub.web.render import LANG_COOKIE, render
from maritime_hub.web.stats import router as stats_pages
from maritime_hub.web.vessels import router as vessel_pages
from mediation.agenda import party_home

LOGIN_CSRF_COOKIE = "mh_login_csrf"
router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    # Only same-site paths: never redirect a login to another host.
    if not target or not target.startswith("/") or target.startswith("//") or urlparse(target).netloc:
        return "/"
    return target


@router.get("/login", dependencies=[Depends(public)])
def login_page(request: Request, principal: OptionalPrincipal, next: str = "/"):
    if principal is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    token = secrets.token_urlsafe(24)
    request.state.login_csrf = token
    resp = render(request, "login.html", {"next": _safe_next(next), "error": None})
    resp.set_cookie(
        LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=get_settings().auth.cookie_secure
    )
    return resp


@router.post("/login", dependencies=[Depends(public)])
def login_submit(
    request: Request,
    session: DbSession,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
):
    # Double-submit check: there is no session yet to hold a token.
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie, csrf_token):
        raise Forbidden(i18n.gettext("The login form expired. Reload the page and sign in again."))
    client = request.client.host if request.client else "unknown"
    request.state.login_csrf = cookie
    try:
        user = auth_service.authenticate(session, username, password, client, request.state.request_id)
    except TooManyRequests:
        return render(
            request,
            "login.html",
            {"next": next, "error": i18n.gettext("Too many failed sign-ins. Wait 15 minutes and try again.")},
            429,
        )
    if user is None:
        return render(request, "login.html", {"next": next, "error": i18n.gettext("Wrong username or password.")}, 401)
    raw, _ws = auth_service.open_session(session, user)
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(
        SESSION_COOKIE,
        raw,
        httponly=True,
        samesite="lax",
        secure=get_settings().auth.cookie_secure,
        max_age=get_settings().auth.session_hours * 3600,
    )
    resp.delete_cookie(LOGIN_CSRF_COOKIE)
    return resp


@router.post("/logout")
def logout(request: Request, session: DbSession, principal: CurrentUser):
    raw = request.cookies.get(SESSION_COOKIE)
    if raw:
        auth_service.close_session(session, raw)
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(SESSION_COOKIE)
    return resp


@router.get("/lang/{code}", dependencies=[Depends(public)])
def switch_language(request: Request, code: str):
    target = _safe_next(request.headers.get("referer", "/").replace(str(request.base_url).rstrip("/"), "") or "/")
    resp = RedirectResponse(target, status_code=303)
    if code in i18n.LOCALES:
        resp.set_cookie(LANG_COOKIE, code, max_age=365 * 86400, samesite="lax")
    return resp


@router.get("/")
def home(request: Request, principal: CurrentUser, session: DbSession):
    ctx = {}
    if principal.has("admin"):  # the background worker's heartbeat (jobs/health.py), as /api/v1/health reports it
        ctx["worker"] = worker_status(session.connection(), get_settings().worker.stale_seconds)
    if principal.has("party"):  # their own cases and what is waiting for them (mediation/agenda.py)
        ctx["party"] = party_home(session, principal)
    return render(request, "home.html", ctx)


def mount_web(app: FastAPI) -> None:

    # Our files and the npm libraries, under fingerprinted URLs (web/assets.py).
    mount_static(app)
    app.include_router(router)
    app.include_router(map_pages)
    app.include_router(vessel_pages)
    app.include_router(crew_pages)
    app.include_router(crew_form_pages)
    app.include_router(stats_pages)
    app.include_router(mediator_pages)
    app.include_router(notification_pages)
    app.include_router(audit_pages)
    app.include_router(case_pages)

    app.include_router(case_evidence_pages)

    app.include_router(case_file_pages)

    app.include_router(case_followup_pages)
