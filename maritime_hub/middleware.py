"""Request plumbing every route shares: the request id and the NUL check on parameters."""

from __future__ import annotations

import re
import uuid

from fastapi.exceptions import RequestValidationError, WebSocketRequestValidationError
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from maritime_hub.types import NUL_MESSAGE

# What a client's own X-Request-ID may look like to be echoed back and logged beside ours.
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,64}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestId:
    """ASGI middleware: every request gets an id made here (`X-Request-ID` on the response, in the
    audit log and in error bodies). A client's own `X-Request-ID` is never trusted as ours: when it
    is short and printable it is kept as `client_request_id` and echoed as `X-Client-Request-ID`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        rid = new_request_id()
        client_rid = None
        for name, value in scope.get("headers", ()):
            if name == b"x-request-id":
                text = value.decode("latin-1")
                client_rid = text if _CLIENT_ID.match(text) else None
                break
        state = scope.setdefault("state", {})
        state["request_id"], state["client_request_id"] = rid, client_rid

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Request-ID"] = rid
                if client_rid:
                    headers["X-Client-Request-ID"] = client_rid
            await send(message)

        await self.app(scope, receive, send_with_id)


async def reject_nul_params(request: HTTPConnection) -> None:
    """An app-wide dependency: a NUL in a query or path parameter is a 422 naming it (PostgreSQL
    text cannot hold one; body fields are checked by `maritime_hub.types.Schema`)."""
    bad = [("query", k) for k, v in request.query_params.multi_items() if "\x00" in k or "\x00" in v]
    bad += [("path", k) for k, v in request.path_params.items() if isinstance(v, str) and "\x00" in v]
    if bad:
        error = WebSocketRequestValidationError if request.scope["type"] == "websocket" else RequestValidationError
        raise error(
            [{"type": "value_error", "loc": loc, "msg": f"Value error, {NUL_MESSAGE}", "input": None} for loc in bad]
        )
