"""Weekly partitions of ais_position, created on demand.

Weekly measured best at 10M rows (ais.md): a 24 h or 7 d query touches one or two
partitions, and each partition's indexes stay small enough to live in memory.
Weeks are ISO weeks starting Monday 00:00 UTC.

Indexes: the unique key (mmsi, ts, lon, lat) is the parent's, on every week (ON CONFLICT needs
it). The others are each week's own, because a week changes once it is over: while it is live,
SP-GiST on geom (half GiST's insert cost) and BRIN on ts (rows arrive in time order); when
`mh ais maintain` rewrites a closed week in spatial order it builds a GiST, clusters on it and
drops both, since BRIN on a week no longer in time order only misleads the planner into
lossy bitmap ANDs (migration 0013, docs/performance.md).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

# Serialises partition creation between concurrent ingest workers.
PARTITION_LOCK = 0x6D68_0002


def week_start(ts: datetime) -> datetime:
    d = ts.astimezone(UTC).date()
    monday = d - timedelta(days=d.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


def week_of_day(unix_day: int) -> datetime:
    """The week start of a UTC day counted from 1970-01-01 (a Thursday): ingest keeps times
    as integer microseconds, so this is what it calls once per new day in a batch."""
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=unix_day - (unix_day + 3) % 7)


def partition_name(start: datetime) -> str:
    iso = start.date().isocalendar()
    return f"ais_position_p{iso.year}w{iso.week:02d}"


def live_indexes(name: str) -> list[str]:
    """The statements that give a live week its own indexes (see the module docstring)."""
    return [
        f"CREATE INDEX IF NOT EXISTS {name}_geom_spgist ON {name} USING spgist (geom)",
        f"CREATE INDEX IF NOT EXISTS {name}_ts_brin ON {name} USING brin (ts)",
    ]


def ensure_partitions(cur, weeks: set[datetime], known: set[datetime]) -> None:
    """Create the partitions for these week starts if missing (psycopg cursor); ``known`` caches what exists."""
    missing = sorted(w for w in weeks if w not in known)
    if not missing:
        return
    cur.execute("SELECT pg_advisory_xact_lock(%s)", (PARTITION_LOCK,))
    for start in missing:
        name, end = partition_name(start), start + timedelta(days=7)
        # Under the lock nobody else creates it: an existing week is left alone (CREATE INDEX
        # on it would wait for every open insert into it).
        if cur.execute("SELECT to_regclass(%s)", (name,)).fetchone()[0] is None:
            cur.execute(
                f"CREATE TABLE {name} PARTITION OF ais_position "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
            for sql in live_indexes(name):
                cur.execute(sql)
        known.add(start)
