"""In-process fan-out of live updates to websocket clients, batched per client.

One frame per client per interval (≤ 250 ms), holding only the latest item per key that
passes the client's filter: one frame per message per client saturates near 100 clients
(ais.md), a batch per interval carries 1,000. Items arrive already JSON-encoded, so each
is serialised once however many clients receive it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)
INTERVAL = 0.25
SEND_TIMEOUT = 2.0  # a client that cannot take a frame in this time is dropped


@dataclass(eq=False)
class Client:
    send: Callable[[str], Awaitable[None]]
    accepts: Callable[[dict[str, Any]], bool]
    pending: dict[Any, str] = field(default_factory=dict)
    closed: bool = False


class Hub:
    def __init__(self, interval: float = INTERVAL):
        self.interval = interval
        self.clients: set[Client] = set()
        self._task: asyncio.Task | None = None

    def subscribe(self, client: Client) -> Client:
        self.clients.add(client)
        return client

    def unsubscribe(self, client: Client) -> None:
        client.closed = True
        self.clients.discard(client)

    def publish(self, items: list[tuple[Any, dict[str, Any], str]]) -> None:
        """items: (key, fields used by filters, JSON text)."""
        for c in self.clients:
            accepts, pending = c.accepts, c.pending
            for key, fields, encoded in items:
                if accepts(fields):
                    pending[key] = encoded

    async def flush(self) -> None:
        ready = [(c, c.pending) for c in self.clients if c.pending]
        for c, _ in ready:
            c.pending = {}
        if ready:
            await asyncio.gather(*(self._send(c, "[" + ",".join(p.values()) + "]") for c, p in ready))

    async def _send(self, c: Client, frame: str) -> None:
        try:
            await asyncio.wait_for(c.send(frame), SEND_TIMEOUT)
        except Exception:  # noqa: BLE001 - any failure means the client is gone
            self.unsubscribe(c)

    async def run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.flush()
            except Exception:  # noqa: BLE001 - the flusher must outlive one bad frame
                log.exception("live flush failed")

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self.run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
