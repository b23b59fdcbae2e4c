"""PostgreSQL LISTEN/NOTIFY → the in-process hub, so every API worker process sees what any
ingest process committed (NOTIFY is delivered at commit, never for rolled-back rows)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import psycopg

log = logging.getLogger(__name__)
# NOTIFY payloads must stay under 8,000 bytes.
MAX_PAYLOAD = 7800


def chunks(items: list[str], limit: int = MAX_PAYLOAD) -> list[str]:
    """Pack pre-encoded JSON objects into JSON-array payloads under the NOTIFY limit."""
    out: list[str] = []
    cur: list[str] = []
    size = 2
    for it in items:
        if cur and size + len(it) + 1 > limit:
            out.append("[" + ",".join(cur) + "]")
            cur, size = [], 2
        cur.append(it)
        size += len(it) + 1
    if cur:
        out.append("[" + ",".join(cur) + "]")
    return out


async def listen(url: str, channel: str, on_items: Callable[[list[dict[str, Any]]], None], stop: asyncio.Event) -> None:
    """Forward notifications until stop is set, reconnecting with backoff."""
    delay = 0.5
    while not stop.is_set():
        try:
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
                await conn.execute(f"LISTEN {channel}")
                delay = 0.5
                while not stop.is_set():
                    # A timeout so a stop request is seen within a second.
                    async for n in conn.notifies(timeout=1.0):
                        try:
                            on_items(json.loads(n.payload))
                        except (ValueError, TypeError):
                            log.warning("ignored a malformed %s notification", channel)
        except (psycopg.OperationalError, OSError) as exc:
            log.warning("live bridge lost the database (%s); retrying in %.1f s", exc, delay)
            try:
                await asyncio.wait_for(stop.wait(), delay)
            except TimeoutError:
                pass
            delay = min(delay * 2, 10)
