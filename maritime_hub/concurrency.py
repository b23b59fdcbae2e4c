"""How many requests one web process works on at once (maritime_hub.config.ServerSettings).

A request holds its database connection from its first query to its end while it hops
between the event loop and the thread pool. Without a limit, 40 clients made the pool lend
every connection to requests that then waited for a thread, while every thread waited for a
connection: the server froze. Admitting at most `max_concurrent_requests` requests, with a
pool connection and a thread for each, means a thread never waits for a connection; the
others wait their turn on the event loop, which keeps answering (health, static files,
websockets are not counted).
"""

from __future__ import annotations

import asyncio
import json
import logging

import anyio.to_thread
from starlette.types import ASGIApp, Receive, Scope, Send

from maritime_hub.config import ServerSettings
from maritime_hub.errors import ServerBusy

log = logging.getLogger("maritime_hub.concurrency")

# Not counted: they hold no request-long database session (health takes a pool connection of
# the overflow for two statements; static files read from disk in a thread).
UNCOUNTED = ("/static/", "/api/v1/health")


def configure_threads(settings: ServerSettings) -> None:
    """The thread pool that runs plain `def` handlers and dependencies (anyio's default is 40)."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads


class AdmissionLimit:
    """ASGI middleware: at most `limit` HTTP requests inside the app; a request that waited
    `timeout` seconds for its turn gets 503 + Retry-After in the API's error shape."""

    def __init__(self, app: ASGIApp, limit: int, timeout: float) -> None:
        self.app, self.limit, self.timeout = app, limit, timeout
        self._slots: asyncio.Semaphore | None = None  # made on the serving loop, not at import

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNCOUNTED):
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.limit)
        try:
            await asyncio.wait_for(self._slots.acquire(), self.timeout)
        except TimeoutError:
            log.warning("busy: %s %s waited %.0f s for a free slot", scope["method"], scope["path"], self.timeout)
            await _busy(send, self.timeout)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self._slots.release()


async def _busy(send: Send, waited: float) -> None:
    body = json.dumps(
        {
            "code": ServerBusy.code,
            "message": f"the server is busy (waited {waited:.0f} s for a free slot); try again shortly",
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [
                (b"content-type", b"application/json"),
                (b"retry-after", b"5"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
