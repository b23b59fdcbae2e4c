"""`mh worker --supervise`: start `mh worker` as a child and start it again whenever it dies
(kill -9, a crash, out of memory), for `make run` and hosts without a service manager.
docker-compose does the same with ``restart: unless-stopped``.

A child that dies soon after its start is restarted after a growing delay (1 s up to 30 s);
SIGTERM or Ctrl-C stops the child, then the supervisor."""

from __future__ import annotations

import logging
import signal
import subprocess
import time

log = logging.getLogger("maritime_hub.worker")

MIN_DELAY, MAX_DELAY, HEALTHY_AFTER = 1.0, 30.0, 60.0


def supervise(command: list[str]) -> int:
    stopping = False
    child: subprocess.Popen | None = None

    def stop(signum, _frame):
        nonlocal stopping
        stopping = True
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    delay = MIN_DELAY
    try:
        while not stopping:
            started = time.monotonic()
            child = subprocess.Popen(command)
            log.info("worker started (pid %s)", child.pid)
            code = child.wait()
            if stopping:
                return 0
            if time.monotonic() - started > HEALTHY_AFTER:
                delay = MIN_DELAY
            log.error("worker (pid %s) exited with %s; starting it again in %.0f s", child.pid, code, delay)
            deadline = time.monotonic() + delay
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.1)
            delay = min(delay * 2, MAX_DELAY)
        return 0
    finally:
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
        for s, handler in previous.items():
            signal.signal(s, handler)
