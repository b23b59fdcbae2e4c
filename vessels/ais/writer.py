"""One database writer per ingest process: position rows by binary COPY, with quarantine rows,
static-data merges and the progress mark in the same transaction, so a killed ingest resumes
exactly where its last commit left it.

The unique key (mmsi, ts, lon, lat) deduplicates, and most batches meet no stored row and
hold no duplicate, so each batch is tried the cheapest way first, each in a savepoint:
  1. COPY straight into ais_position, rows sorted by key (the indexes are then walked in
     order): ~3 µs less server CPU per row than going through a staging table;
  2. on UniqueViolation, COPY into a staging table and INSERT … SELECT DISTINCT ON the key
     (duplicates inside the batch removed; of two the first in the file is kept);
  3. on UniqueViolation again (rows already stored: a re-ingest, a resumed chunk, a second
     receiver, a concurrent worker), INSERT … ON CONFLICT DO NOTHING, whose speculative
     insertion costs ~3.5-5 µs per row (docs/performance.md).
After a batch needed step 2 or 3, the next CAREFUL_BATCHES batches start there directly."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import psycopg
from psycopg.errors import UniqueViolation

from vessels.ais.live import CHANNEL, notify_payloads
from vessels.ais.partitions import ensure_partitions, week_of_day
from vessels.ais.rows import DAY_US, HEADER, TRAILER, from_us, to_us
from vessels.ais.static import merge_static

STAGE_DDL = """
CREATE TEMP TABLE IF NOT EXISTS ais_stage (
    mmsi integer, ts timestamptz, lon double precision, lat double precision, geom geometry(Point, 4326),
    sog real, cog real, heading smallint, nav_status smallint, msg_type smallint, source_id integer
) ON COMMIT DELETE ROWS
"""
# In key order: each batch then walks the unique btree (and the GiST) locally instead of at
# random, ~15 % less server CPU per row (performance.md). ctid (= COPY order) breaks ties, so
# of two rows with the same key the first in the file is kept, as in arrival order.
INSERT = "INSERT INTO ais_position SELECT * FROM ais_stage ORDER BY mmsi, ts, lon, lat, ctid ON CONFLICT DO NOTHING"
PLAIN_INSERT = (
    "INSERT INTO ais_position SELECT DISTINCT ON (mmsi, ts, lon, lat) * FROM ais_stage "
    "ORDER BY mmsi, ts, lon, lat, ctid"
)
DIRECT_COPY = (
    "COPY ais_position (mmsi, ts, lon, lat, geom, sog, cog, heading, nav_status, msg_type, source_id) "
    "FROM STDIN (FORMAT BINARY)"
)
STAGE_COPY = "COPY ais_stage FROM STDIN (FORMAT BINARY)"
# After a batch met duplicates, the next ones likely will too (the rest of a re-sent file).
CAREFUL_BATCHES = 20


@dataclass
class Batch:
    rows: list[bytes] = field(default_factory=list)
    weeks: set[datetime] = field(default_factory=set)
    quarantine: list[tuple] = field(default_factory=list)  # (line_no, raw, reason)
    static: dict[int, dict] = field(default_factory=dict)  # latest static record per MMSI
    live: list[dict] = field(default_factory=list)  # position records to publish (live feeds only)
    messages: int = 0
    last_us: int | None = None  # latest receive time, µs since the Unix epoch
    day: int = -1  # UTC day (since 1970) whose week is already in `weeks`: one week_of_day per day

    def add_row(self, row: bytes, ts_us: int) -> None:
        self.rows.append(row)
        if (day := ts_us // DAY_US) != self.day:
            self.day = day
            self.weeks.add(week_of_day(day))

    # Progress mark: where a resumed ingest starts (file ingest only).
    offset: int | None = None
    line: int | None = None


@dataclass
class Totals:
    positions: int = 0
    duplicates: int = 0
    quarantined: int = 0
    vessels_created: int = 0


class Writer:
    def __init__(
        self,
        url: str,
        source_id: int,
        file_sha256: str | None = None,
        progress_id: int | None = None,
        publish: bool = False,
    ):
        self.publish = publish
        self.conn = psycopg.connect(url)
        self.source_id = source_id
        self.file_sha256 = file_sha256
        self.progress_id = progress_id
        self.known_weeks: set[datetime] = set()
        self.totals = Totals()
        # Where the next batch starts (1, 2 or 3 in the module's list) and for how many batches.
        self.step, self.careful = 1, 0
        with self.conn.cursor() as cur:
            cur.execute(STAGE_DDL)
        self.conn.commit()

    def start_chunk(self, source_id: int, file_sha256: str | None, progress_id: int | None) -> None:
        """Reuse this connection (and its staging table) for the next chunk of a file ingest."""
        self.source_id, self.file_sha256, self.progress_id = source_id, file_sha256, progress_id
        self.totals = Totals()

    def close(self) -> None:
        self.conn.close()

    def _partitions(self, weeks: set[datetime]) -> None:
        # Created in their own short transaction: CREATE TABLE ... PARTITION OF locks the
        # parent, and holding that inside the data transaction could deadlock two workers.
        if weeks - self.known_weeks:
            # (A transaction, so the advisory lock is held until the partitions exist.)
            with psycopg.connect(self.conn.info.dsn) as side, side.transaction(), side.cursor() as cur:
                ensure_partitions(cur, weeks, self.known_weeks)

    def write(self, batch: Batch) -> None:
        self._partitions(batch.weeks)
        with self.conn.transaction(), self.conn.cursor() as cur:
            inserted = 0
            if batch.rows:
                inserted = self._insert(cur, batch.rows)
            if batch.quarantine:
                cur.executemany(
                    "INSERT INTO ais_quarantine (source_id, file_sha256, line_no, raw, reason) VALUES (%s, %s, %s, %s, %s) "
                    "ON CONFLICT DO NOTHING",
                    [
                        (self.source_id, self.file_sha256, n, raw.replace("\x00", ""), reason)
                        for n, raw, reason in batch.quarantine
                    ],
                )
            created = merge_static(cur, batch.static) if batch.static else 0
            cur.execute(
                "UPDATE ais_source SET messages = messages + %s, positions = positions + %s, quarantined = quarantined + %s, "
                "last_message_at = GREATEST(last_message_at, %s) WHERE id = %s",
                (
                    batch.messages,
                    inserted,
                    len(batch.quarantine),
                    None if batch.last_us is None else from_us(batch.last_us),
                    self.source_id,
                ),
            )
            if self.publish and batch.live:
                # Delivered to the web processes at commit (LISTEN/NOTIFY), never for rolled-back rows.
                for payload in notify_payloads(batch.live):
                    cur.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
            if self.progress_id is not None and batch.offset is not None:
                cur.execute(
                    "UPDATE ais_ingest_progress SET committed_offset = %s, committed_line = %s, updated_at = now() WHERE id = %s",
                    (batch.offset, batch.line, self.progress_id),
                )
        self.totals.positions += inserted
        self.totals.duplicates += len(batch.rows) - inserted
        self.totals.quarantined += len(batch.quarantine)
        self.totals.vessels_created += created

    def _insert(self, cur: psycopg.Cursor, rows: list[bytes]) -> int:
        """Store the batch's rows the cheapest way that works (module docstring); returns how
        many were new."""
        if self.careful > 0:
            self.careful -= 1
        else:
            self.step = 1
        if self.step == 1:
            try:
                with self.conn.transaction():  # a savepoint inside the batch's transaction
                    # Sorted bytes sort by mmsi, then ts (both big-endian at the row's start).
                    _copy(cur, DIRECT_COPY, sorted(rows))
                return len(rows)
            except UniqueViolation:
                self.step, self.careful = 2, CAREFUL_BATCHES
        _copy(cur, STAGE_COPY, rows)  # file order: DISTINCT ON keeps the first of equal keys
        if self.step == 2:
            try:
                with self.conn.transaction():
                    cur.execute(PLAIN_INSERT)
                return cur.rowcount
            except UniqueViolation:
                self.step, self.careful = 3, CAREFUL_BATCHES
        cur.execute(INSERT)
        return cur.rowcount

    def finish_chunk(self) -> None:
        if self.progress_id is not None:
            with self.conn.transaction(), self.conn.cursor() as cur:
                cur.execute(
                    "UPDATE ais_ingest_progress SET done = true, updated_at = now() WHERE id = %s", (self.progress_id,)
                )


def _copy(cur: psycopg.Cursor, sql: str, rows: list[bytes]) -> None:
    with cur.copy(sql) as copy:
        copy.write(HEADER)
        copy.write(b"".join(rows))
        copy.write(TRAILER)


def add_record(batch: Batch, rec: dict, packed: bytes | None, live: bool = False) -> None:
    """Account one decoded record in the batch (position row and/or static data)."""
    batch.messages += 1
    ts = to_us(rec["timestamp"])
    if batch.last_us is None or ts > batch.last_us:
        batch.last_us = ts
    if packed is not None:
        batch.add_row(packed, ts)
        if live:
            batch.live.append(rec)
    t = rec["type"]
    if t in (5, 19, 24) and rec.get("mmsi"):
        prev = batch.static.get(rec["mmsi"])
        merged = dict(prev) if prev else {}
        # Type 24 comes in halves (A: name, B: call sign, type, dimensions): keep both.
        merged.update({k: v for k, v in rec.items() if v is not None})
        batch.static[rec["mmsi"]] = merged
