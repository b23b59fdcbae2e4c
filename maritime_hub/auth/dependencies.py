"""Who may call an endpoint. Every route declares one of these (a test enforces it):

- ``Depends(require(Role.admin, ...))``: the named roles only (401 without credentials, 403 otherwise);
- ``Depends(authenticated)``: any signed-in user (object-level checks in the service);
- ``Depends(public)``: deliberately open (health, login page).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from maritime_hub.auth.models import Role
from maritime_hub.auth.roles import RoleName
from maritime_hub.auth.service import Principal, principal_for, session_user, user_for_token
from maritime_hub.db.deps import DbSession
from maritime_hub.errors import Forbidden, NotAuthenticated
from maritime_hub.messages import N_, Joined

SESSION_COOKIE = "mh_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def request_id(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


async def sent_csrf(request: Request) -> str | None:
    """The CSRF token a browser sent with an unsafe request: the header, else the form field.
    Async because reading the form body is; it touches no database."""
    if request.method not in UNSAFE:
        return None
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()  # cached on the request: the handler reads the same form
        sent = form.get(CSRF_FIELD)  # type: ignore[assignment]
    return sent if isinstance(sent, str) else None


def optional_principal(
    request: Request, session: DbSession, csrf: Annotated[str | None, Depends(sent_csrf)]
) -> Principal | None:
    """Bearer token first (API clients), then the session cookie (browser, CSRF-checked).

    A plain `def`: FastAPI runs it in the thread pool, so its queries never block the event
    loop (an `async def` here froze the server under two parallel requests)."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    auth = request.headers.get("authorization", "")
    principal: Principal | None = None
    if auth.lower().startswith("bearer "):
        user = user_for_token(session, auth[7:].strip())
        if user is None:
            raise NotAuthenticated(N_("invalid or revoked API token"))
        principal = principal_for(user, via="token", request_id=request_id(request))
    else:
        raw = request.cookies.get(SESSION_COOKIE)
        found = session_user(session, raw) if raw else None
        if found is not None:
            user, ws = found
            # Bytes: compare_digest refuses non-ASCII str (a 500 for a crafted token).
            if request.method in UNSAFE and not (
                csrf and secrets.compare_digest(csrf.encode(), ws.csrf_token.encode())
            ):
                raise Forbidden(N_("CSRF token missing or wrong: reload the page and try again"))
            principal = principal_for(user, via="session", request_id=request_id(request), csrf_token=ws.csrf_token)
    request.state.principal = principal
    return principal


OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]


def _mark(fn: Callable, access: str) -> Callable:
    fn.mh_access = access  # type: ignore[attr-defined]
    return fn


def public() -> None:
    """Deliberately open endpoint."""


_mark(public, "public")


async def authenticated(principal: OptionalPrincipal) -> Principal:
    if principal is None:
        raise NotAuthenticated(N_("sign in or send 'Authorization: Bearer <token>'"))
    return principal


_mark(authenticated, "authenticated")


def require(*roles: Role | str) -> Callable:
    allowed = frozenset(r.value if isinstance(r, Role) else r for r in roles)

    async def dependency(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if not principal.roles.intersection(allowed):
            raise Forbidden(
                N_("this needs one of the roles: {roles}"), roles=Joined(RoleName(r) for r in sorted(allowed))
            )
        return principal

    dependency.__name__ = "require_" + "_".join(sorted(allowed))
    return _mark(dependency, "roles:" + ",".join(sorted(allowed)))


CurrentUser = Annotated[Principal, Depends(authenticated)]
