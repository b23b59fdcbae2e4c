"""Authenticating a websocket without a secret in its URL (docs/security.md "Websockets").

URLs end up in access logs, proxy logs and browser history, so `?token=` is refused (4401).

- Browsers: the session cookie, only when the `Origin` header names this server (a page on
  another site could otherwise open the socket with the user's cookie: websockets are not
  covered by SameSite=Lax or by CORS).
- API clients (no cookie): the first message is `{"token": "mh_..."}`, within
  AUTH_TIMEOUT_SECONDS of the connection.

Failures close the socket after accepting it, so the client sees the code and reason:
4401 (not authenticated: no, wrong or URL-borne credentials) and 4403 (cross-origin, or a role
that may not use this socket). The database work runs in the thread pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from urllib.parse import urlsplit

from fastapi import WebSocket, WebSocketDisconnect
from starlette.concurrency import run_in_threadpool

from maritime_hub.auth.dependencies import SESSION_COOKIE
from maritime_hub.auth.service import session_user, user_for_token

AUTH_TIMEOUT_SECONDS = 10
NOT_AUTHENTICATED, FORBIDDEN = 4401, 4403
TOKEN_IN_URL = 'do not put the token in the URL: send {"token": "mh_..."} as the first message'


def same_origin(ws: WebSocket) -> bool:
    """The Origin header names the host the socket was opened on (scheme aside: a proxy may end TLS)."""
    origin, host = ws.headers.get("origin"), ws.headers.get("host")
    if not origin or not host:
        return False
    return urlsplit(origin).netloc.lower() == host.lower()


def _roles(ws: WebSocket, *, cookie: str | None = None, token: str | None = None) -> frozenset[str] | None:
    """The roles of the user behind a session cookie or an API token, None when neither is valid.
    Runs in a worker thread: one short transaction, not held for the socket's life."""
    with ws.app.state.short_session() as session:
        if cookie is not None:
            found = session_user(session, cookie)
            user = found[0] if found else None
        else:
            user = user_for_token(session, token) if token else None
        return frozenset(user.roles) if user is not None else None


async def _refuse(ws: WebSocket, code: int, reason: str) -> None:
    await ws.accept()
    await ws.close(code=code, reason=reason)


async def accept_authenticated(ws: WebSocket, allowed: Iterable[str]) -> bool:
    """Accept the socket and authenticate it; on failure it is closed and False returned."""
    allowed = frozenset(getattr(r, "value", r) for r in allowed)
    if "token" in ws.query_params:
        await _refuse(ws, NOT_AUTHENTICATED, TOKEN_IN_URL)
        return False
    cookie = ws.cookies.get(SESSION_COOKIE)
    if cookie:
        if not same_origin(ws):
            await _refuse(ws, FORBIDDEN, "cross-origin websocket refused")
            return False
        roles = await run_in_threadpool(_roles, ws, cookie=cookie)
        if roles is None:
            await _refuse(ws, NOT_AUTHENTICATED, "session expired: sign in again")
            return False
        await ws.accept()
    else:
        await ws.accept()
        try:
            first = await asyncio.wait_for(ws.receive_json(), AUTH_TIMEOUT_SECONDS)
        except WebSocketDisconnect:
            return False
        except (TimeoutError, ValueError, KeyError):  # silence, not JSON, a binary frame
            first = None
        token = first.get("token") if isinstance(first, dict) else None
        if not isinstance(token, str) or not token:
            await ws.close(code=NOT_AUTHENTICATED, reason='sign in, or send {"token": "mh_..."} as the first message')
            return False
        roles = await run_in_threadpool(_roles, ws, token=token)
        if roles is None:
            await ws.close(code=NOT_AUTHENTICATED, reason="invalid or revoked API token")
            return False
    if not roles & allowed:
        await ws.close(code=FORBIDDEN, reason="sign in with a staff role")
        return False
    return True
