"""The worker's heartbeat, as `/api/v1/health` and the admin's home page show it.

procrastinate keeps one row per running worker in ``procrastinate_workers`` and updates its
``last_heartbeat`` every few seconds (jobs/runner.py); a worker that stops cleanly deletes its
row, one that dies leaves it to go stale (other workers prune it after a while)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, text


def worker_status(conn: Connection, stale_seconds: float) -> dict[str, Any]:
    """``status``: ok (a heartbeat within ``stale_seconds``), stale (older), or absent (no worker
    has registered, or the last one stopped cleanly)."""
    row = conn.execute(text("SELECT max(last_heartbeat) AS last, now() AS now FROM procrastinate_workers")).one()
    if row.last is None:
        return {"status": "absent", "last_heartbeat": None, "age_seconds": None, "stale_after_seconds": stale_seconds}
    age = max((row.now - row.last).total_seconds(), 0.0)
    return {
        "status": "ok" if age <= stale_seconds else "stale",
        "last_heartbeat": row.last.isoformat(),
        "age_seconds": round(age, 1),
        "stale_after_seconds": stale_seconds,
    }
