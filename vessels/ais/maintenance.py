"""Maintenance of closed weekly partitions: rewrite each in spatial order once its week is over.

Positions arrive in time order, so one area's rows are spread over every page of a week and a
7-day area query reads the whole partition. CLUSTER on a GiST index of the partition puts nearby
positions on nearby pages (figures at 10M rows: docs/performance.md "AIS queries").
A live week's geometry index is SP-GiST (half the insert cost of GiST), which CLUSTER cannot
use: each closed week gets a GiST, built here and kept for its reads, and loses the SP-GiST
and its BRIN on ts, which no longer follows the row order (partitions.py).
CLUSTER locks the partition while it runs, so only weeks that are over (plus a margin for late
data) are touched: the live week keeps its arrival order, where BRIN on ts serves recent windows.
PostgreSQL marks the index it clustered on, which is how a clustered week is recognised.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import psycopg

PARTITIONS = """
SELECT c.relname, pg_get_expr(c.relpartbound, c.oid),
       EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisclustered)
FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid JOIN pg_class p ON p.oid = h.inhparent
WHERE p.relname = 'ais_position' ORDER BY c.relname
"""
UPPER = re.compile(r"TO \('([^']+)'\)")


def closed_unclustered(conn: psycopg.Connection, now: datetime, margin: timedelta) -> list[str]:
    out = []
    for name, bound, clustered in conn.execute(PARTITIONS):
        m = UPPER.search(bound or "")
        if clustered or not m:
            continue
        upper = datetime.fromisoformat(m.group(1).replace(" ", "T"))
        if upper.tzinfo is None:
            upper = upper.replace(tzinfo=UTC)
        if upper + margin <= now:
            out.append(name)
    return out


def cluster_closed_weeks(
    url: str,
    now: datetime | None = None,
    margin: timedelta = timedelta(days=1),
    on_done: Callable[[str, float], None] | None = None,
) -> list[str]:
    """CLUSTER + ANALYZE every closed, not yet clustered week; returns the partitions done.
    Safe to run at any time and repeatedly (a clustered week is skipped)."""
    now = now or datetime.now(UTC)
    done = []
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        for name in closed_unclustered(conn, now, margin):
            t = time.perf_counter()
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name}_geom_gist ON {name} USING gist (geom)")
            conn.execute(f"CLUSTER {name} USING {name}_geom_gist")
            conn.execute(f"DROP INDEX IF EXISTS {name}_geom_spgist, {name}_ts_brin")
            conn.execute(f"ANALYZE {name}")
            done.append(name)
            if on_done:
                on_done(name, time.perf_counter() - t)
    return done
