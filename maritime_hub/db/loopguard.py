"""Catch blocking database calls on the event loop.

A sync SQLAlchemy query made on the event-loop thread (from an `async def` dependency,
handler, middleware or websocket path) stops every other request until it returns; when it
waits for a lock or a pool connection held by a request that needs the loop, the server
freezes for good (health included). This guard sees each pool checkout and each query and
tells whether it happens on a thread that is running an event loop.
"""

from __future__ import annotations

import asyncio
import logging
import traceback

from sqlalchemy import Engine, event

log = logging.getLogger("maritime_hub.loopguard")


class BlockingCallOnEventLoop(RuntimeError):
    """A sync database call ran on the event-loop thread."""


# Every violation seen in this process (tests assert it stays empty).
violations: list[str] = []


def on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _check(mode: str):
    def check(*_args, **_kwargs) -> None:
        if not on_event_loop():
            return
        where = "".join(traceback.format_stack(limit=12)[:-1])
        violations.append(where)
        if mode == "raise":
            raise BlockingCallOnEventLoop("a sync database call ran on the event loop:\n" + where)
        log.error("a sync database call ran on the event loop (it blocks every request):\n%s", where)

    return check


def install(engine: Engine, mode: str) -> None:
    """Watch `engine` ("log" or "raise"; "off" does nothing). Idempotent per engine."""
    if mode not in ("log", "raise") or getattr(engine, "_mh_loop_guard", None):
        return
    check = _check(mode)
    event.listen(engine, "checkout", check)
    event.listen(engine, "before_cursor_execute", check)
    engine._mh_loop_guard = mode  # type: ignore[attr-defined]
