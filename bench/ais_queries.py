"""AIS query latency at scale: a synthetic fleet (5,000 vessels, 30 days, East China Sea box)
in the weekly-partitioned table, and the same rows in one unpartitioned table as a baseline.

Prints p50/p95 (ms) for near-10 nm/24 h, near-50 nm/7 d, track/7 d, CPA/24 h and gaps in a
2°×2° box/7 d, and the partitioned vs single-table ratio for near-50 nm/7 d, on a warm server
(each table read into shared buffers before its queries; --cold leaves that out).
The last line is `name=value` pairs.
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import UTC, datetime, timedelta

import psycopg
from _common import fresh_database, pct, summary_line
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from vessels.ais import analytics
from vessels.ais.partitions import ensure_partitions, week_start

START = datetime(2026, 10, 1, tzinfo=UTC)
DAYS = 30
WARMUP = 10
BOX = (120.0, 24.0, 130.0, 33.0)  # lon, lat: the East China Sea (东海), Zhoushan on its western edge


def populate(url: str, positions: int, vessels: int) -> None:
    """Vessels circle slowly around random home points; one position every DAYS/n."""
    per = max(2, positions // vessels)
    step_s = DAYS * 86400 // per
    with psycopg.connect(url, autocommit=True) as conn:
        with conn.transaction(), conn.cursor() as cur:
            ensure_partitions(cur, {week_start(START + timedelta(days=d)) for d in range(DAYS + 1)}, set())
        conn.execute("INSERT INTO ais_source (name, kind) VALUES ('bench', 'file') ON CONFLICT DO NOTHING")
        sid = conn.execute("SELECT id FROM ais_source WHERE name = 'bench'").fetchone()[0]
        t = time.perf_counter()
        # One INSERT per day, rows in time order as a live feed writes them (BRIN on ts and
        # the heap layout depend on it).
        per_day = per / DAYS
        for day in range(DAYS):
            conn.execute(
                """
                INSERT INTO ais_position (mmsi, ts, lon, lat, geom, sog, cog, heading, nav_status, msg_type, source_id)
                SELECT mmsi, ts, lon, lat, ST_SetSRID(ST_MakePoint(lon, lat), 4326), 5.0, 90.0, 90, 0, 1, %(sid)s
                FROM (
                  SELECT 412000000 + v AS mmsi,
                         %(start)s::timestamptz + make_interval(secs => k * %(step)s + (v %% 60)) AS ts,
                         %(x0)s + (hashint4(v) & 65535) / 65535.0 * (%(x1)s - %(x0)s) + 0.2 * sin(k / 50.0 + v) AS lon,
                         %(y0)s + (hashint4(v + 7) & 65535) / 65535.0 * (%(y1)s - %(y0)s) + 0.2 * cos(k / 50.0 + v) AS lat
                  FROM generate_series(%(k0)s::int, %(k1)s::int) k, generate_series(0, %(vessels)s::int - 1) v
                ) s ORDER BY ts
            """,
                {
                    "sid": sid,
                    "start": START,
                    "step": step_s,
                    "x0": BOX[0],
                    "y0": BOX[1],
                    "x1": BOX[2],
                    "y1": BOX[3],
                    "k0": int(day * per_day),
                    "k1": int((day + 1) * per_day) - 1,
                    "vessels": vessels,
                },
            )
        print(f"inserted {per * vessels:,} positions in {time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        # The single-table baseline keeps arrival order: a live table cannot be CLUSTERed.
        conn.execute("CREATE TABLE ais_flat AS SELECT * FROM ais_position")
        conn.execute("CREATE UNIQUE INDEX ON ais_flat (mmsi, ts, lon, lat)")
        conn.execute("CREATE INDEX ON ais_flat USING gist (geom)")
        conn.execute("CREATE INDEX ON ais_flat USING brin (ts)")
        conn.execute("VACUUM ANALYZE ais_position")
        conn.execute("VACUUM ANALYZE ais_flat")
        print(f"single-table copy and VACUUM ANALYZE in {time.perf_counter() - t:.1f} s")


def maintain(url: str) -> None:
    """The weeks are over: the nightly maintenance (mh ais maintain) rewrites them in spatial order."""
    from vessels.ais.maintenance import cluster_closed_weeks

    t = time.perf_counter()
    done = cluster_closed_weeks(url)
    print(f"maintenance: {len(done)} closed weeks clustered in {time.perf_counter() - t:.1f} s")


def prewarm(url: str, table: str) -> None:
    """Read a table (each partition of a partitioned one) and its indexes into shared buffers,
    as on a server that has been answering queries for a while. Without it the first touches
    measure the disk: CLUSTER rewrites through a small ring of buffers, and on this machine the
    kernel kept little of the rebuilt indexes in its page cache (cold figures: --cold)."""
    t = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        rels = conn.execute(
            """
            SELECT c.oid FROM pg_class c
            WHERE c.oid = %(t)s::regclass AND c.relkind = 'r'
               OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = %(t)s::regclass)
        """,
            {"t": table},
        ).fetchall()
        blocks = 0
        for (oid,) in rels:
            blocks += conn.execute("SELECT pg_prewarm(%s::regclass, 'buffer')", (oid,)).fetchone()[0]
            for (idx,) in conn.execute("SELECT indexrelid FROM pg_index WHERE indrelid = %s", (oid,)).fetchall():
                blocks += conn.execute("SELECT pg_prewarm(%s::regclass, 'buffer')", (idx,)).fetchone()[0]
    print(f"prewarmed {table}: {blocks * 8 / 1024:,.0f} MB in {time.perf_counter() - t:.1f} s")


def timed(fn, runs: int) -> list[float]:
    out = []
    for i in range(runs):
        t = time.perf_counter()
        fn(i)
        out.append((time.perf_counter() - t) * 1000)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--quick", action="store_true", help="200k positions, 500 vessels")
    ap.add_argument("--positions", type=int, default=10_000_000)
    ap.add_argument("--vessels", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=60)
    ap.add_argument("--reuse", action="store_true", help="keep the populated database from a previous run")
    ap.add_argument("--cold", action="store_true", help="no prewarming: first touches read from disk or the page cache")
    args = ap.parse_args()
    if args.quick:
        args.positions, args.vessels, args.runs = 200_000, 500, 30
    name = f"mh_bench_q{args.positions}"
    if args.reuse:
        from _common import ROOT  # noqa: F401 - sets sys.path
        from sqlalchemy.engine import make_url

        from maritime_hub.db.cluster import database_url

        url = (
            make_url(database_url())
            .set(database=name)
            .render_as_string(hide_password=False)
            .replace("postgresql+psycopg", "postgresql")
        )
    else:
        url = fresh_database(name)
        populate(url, args.positions, args.vessels)
    maintain(url)
    from maritime_hub.db.session import SESSION_OPTIONS

    # The same session settings as the app's engine.
    engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), connect_args={"options": SESSION_OPTIONS}
    )
    rng = random.Random(1)

    def rand_time(days: float) -> tuple[datetime, datetime]:
        s = START + timedelta(seconds=rng.uniform(0, (DAYS - days) * 86400))
        return s, s + timedelta(days=days)

    def rand_point() -> tuple[float, float]:
        return rng.uniform(BOX[1] + 0.5, BOX[3] - 0.5), rng.uniform(BOX[0] + 0.5, BOX[2] - 0.5)

    def rand_mmsi() -> int:
        return 412000000 + rng.randrange(args.vessels)

    results = {}
    with Session(engine) as s:

        def near(radius, days, table="ais_position"):
            def run(_):
                lat, lon = rand_point()
                analytics.near(s, lat, lon, radius, *rand_time(days), table=table)

            return run

        # The baseline table and the partitions do not fit in shared buffers together: each is
        # warmed just before its own queries.
        cases = {
            "near50_7d_single_table": ("ais_flat", near(50, 7, "ais_flat")),
            "near10_24h": ("ais_position", near(10, 1)),
            "near50_7d": (None, near(50, 7)),
            "track_7d": (None, lambda _: analytics.track(s, rand_mmsi(), *rand_time(7))),
            "cpa_24h": (None, lambda _: _cpa(s, rand_mmsi(), rand_mmsi(), *rand_time(1))),
            "gaps_box_7d": (None, lambda _: analytics.gaps(s, None, *rand_time(7), 6.0, _box(rng))),
        }
        for label, (warm, fn) in cases.items():
            if warm and not args.cold:
                prewarm(url, warm)
            # Ten untimed queries (other random places and times) first: the connection warms up
            # as a pooled connection of the app has (plans; PostGIS makes each coordinate
            # transformation once per connection, ~1-60 ms the first time).
            for i in range(WARMUP):
                fn(i)
            ms = timed(fn, args.runs)
            results[label] = (pct(ms, 50), pct(ms, 95))
            print(f"{label:24s} p50 {results[label][0]:8.2f} ms   p95 {results[label][1]:8.2f} ms")
    ratio = results["near50_7d_single_table"][0] / results["near50_7d"][0]
    print(f"near-50 nm/7 d: single table / weekly partitions = {ratio:.2f}x (p50)")
    figures = {f"{k}_p50": v[0] for k, v in results.items()} | {f"{k}_p95": v[1] for k, v in results.items()}
    print(summary_line(positions=args.positions, **figures, partition_speedup=ratio))


def _box(rng: random.Random) -> tuple[float, float, float, float]:
    x, y = rng.uniform(BOX[0], BOX[2] - 2), rng.uniform(BOX[1], BOX[3] - 2)
    return x, y, x + 2, y + 2


def _cpa(s, a, b, start, end):
    from maritime_hub.errors import NotFound

    try:
        analytics.cpa(s, a, b, start, end)
    except NotFound:
        pass


if __name__ == "__main__":
    main()
