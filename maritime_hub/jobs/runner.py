"""`mh worker`: procrastinate's worker, kept running through database outages.

procrastinate's worker stops with an error when its connection goes (a database restart, a
network cut). Here each run is wrapped in a loop: the outage is logged, the worker waits (1 s,
doubling up to 30 s) and connects again, so reminders, escalations and the 3-working-day
reassignment resume by themselves. A stop signal (SIGTERM, Ctrl-C) ends the loop.

The worker's heartbeat is procrastinate's own: its row in ``procrastinate_workers``
(``last_heartbeat``, every ``heartbeat_seconds``), which `/api/v1/health` reads (jobs/health.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Callable

from procrastinate import App

log = logging.getLogger("maritime_hub.worker")

MIN_DELAY, MAX_DELAY = 1.0, 30.0


async def _attempt(app: App, *, once: bool, heartbeat_seconds: float) -> None:
    async with app.open_async():
        log.info("worker connected to the database")
        # Signals are ours (run_forever): procrastinate also ends a run by itself, without an
        # error, when a side task (the LISTEN connection, the heartbeat) loses the database.
        await app.run_worker_async(
            wait=not once,
            install_signal_handlers=False,
            update_heartbeat_interval=heartbeat_seconds,
            stalled_worker_timeout=max(30.0, 3 * heartbeat_seconds),
        )


async def _forever(make_app: Callable[[], App], *, once: bool, heartbeat_seconds: float) -> None:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    delay = MIN_DELAY
    while True:
        started = time.monotonic()
        run = asyncio.create_task(_attempt(make_app(), once=once, heartbeat_seconds=heartbeat_seconds))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({run, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            run.cancel()  # procrastinate finishes the running job, then stops
            with contextlib.suppress(BaseException):
                await run
            log.info("worker stopped")
            return
        stopping.cancel()
        error = run.exception()
        if once:
            if error is not None:
                raise error
            return
        if time.monotonic() - started > 2 * MAX_DELAY:
            delay = MIN_DELAY  # it had been running fine: a new outage starts from the shortest wait
        reason = (
            f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
            if error
            else "its connection was lost"
        )
        log.error("worker lost the database (%s); connecting again in %.0f s", reason, delay)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), delay)
        delay = min(delay * 2, MAX_DELAY)


def run_forever(make_app: Callable[[], App], *, once: bool = False, heartbeat_seconds: float = 10.0) -> None:
    """Run the worker until SIGTERM or Ctrl-C (or, with ``once``, until the due jobs are done),
    connecting again after every outage with a growing delay."""
    asyncio.run(_forever(make_app, once=once, heartbeat_seconds=heartbeat_seconds))
