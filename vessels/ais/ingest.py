"""Bulk ingest of AIS files into PostGIS: decode (pyais) → binary COPY, in parallel chunks.

A file is cut into chunks of CHUNK_BYTES at safe line boundaries (a line that starts a new
message), each decoded by one worker process feeding its own writer; with two cores, two
decoding processes are the measured limit (ais.md). Every batch commit also records the
chunk's progress, so an ingest killed with SIGKILL and run again starts after the last
commit, and the unique key (mmsi, ts, lon, lat) absorbs any overlap: the rows end up those
of one clean run.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.util as mp_util
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from vessels.ais.chunks import Chunk, plan_chunks, read_lines, sha256_file
from vessels.ais.decode import Quarantine, Summary, decode_lines
from vessels.ais.rows import POSITION_TYPES, pack_position
from vessels.ais.writer import Batch, Totals, Writer, add_record

# Small enough that two workers finish together (a 17 MB file makes 17 chunks), large
# enough that a chunk's connection and staging table cost nothing in comparison.
CHUNK_BYTES = 1024 * 1024
# Rows per transaction: fewer round trips and statements per row than 5,000 (performance.md).
BATCH_ROWS = 10000


@dataclass
class IngestResult:
    files: int = 0
    summary: Summary = field(default_factory=Summary)
    totals: Totals = field(default_factory=Totals)
    seconds: float = 0.0
    skipped_chunks: int = 0
    already_ingested: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.summary.decoded / self.seconds if self.seconds else 0.0


class _Background:
    """Writes batches on a thread so decoding goes on while PostgreSQL works on the last
    batch (the database round trip is I/O for this process). Order is kept: one writer."""

    def __init__(self, writer: Writer, progress: Callable[[int], None] | None, start: int):
        self.writer, self.progress, self.reported = writer, progress, start
        self.queue: queue.Queue[Batch | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while (batch := self.queue.get()) is not None:
            if self.error is not None:
                continue
            try:
                self.writer.write(batch)
                if self.progress and batch.offset is not None:
                    self.progress(batch.offset - self.reported)
                    self.reported = batch.offset
            except BaseException as exc:  # noqa: BLE001 - re-raised in the decoding thread
                self.error = exc

    def put(self, batch: Batch) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put(batch)

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error


def run_chunk(
    url: str,
    path: str,
    sha: str,
    source_id: int,
    chunk: Chunk,
    now: datetime,
    progress: Callable[[int], None] | None = None,
    writer: Writer | None = None,
) -> tuple[Summary, Totals]:
    """Decode one chunk and write it in batches; returns what it saw and stored. A writer
    passed in (a worker's connection, reused across chunks) is left open."""
    p = Path(path)
    summary = Summary()
    own = writer is None
    if writer is None:
        writer = Writer(url, source_id, sha, chunk.progress_id)
    else:
        writer.start_chunk(source_id, sha, chunk.progress_id)
    bg = _Background(writer, progress, chunk.resume_offset)
    offsets: list[int] = []
    base = chunk.resume_line
    batch = Batch()
    rows, last, newest = batch.rows, 0, -1 << 63
    positions, pack, add = POSITION_TYPES, pack_position, add_record
    lines, checks = read_lines(p, chunk.resume_offset, chunk.end, offsets)
    try:
        for item in decode_lines(lines, now=now, summary=summary, rows_for=source_id, checks=checks):
            if isinstance(item, tuple):  # most messages: a position packed by the decoder (decode.Packed)
                n, ts, row = item
                batch.messages += 1
                if ts > newest:
                    newest = ts
                if row is not None:
                    batch.add_row(row, ts)
            elif isinstance(item, Quarantine):
                batch.quarantine.append((base + item.line_no, item.raw, item.reason))
                n = item.line_no
            else:
                add(batch, item, pack(item, source_id) if item["type"] in positions else None)
                n = item["line_no"]
            if n > last:  # noqa: PLR1730 - items come in line order, but a lost fragment is reported late
                last = n
            if len(rows) >= BATCH_ROWS:
                _close(batch, newest)
                batch.line, batch.offset = base + last, offsets[last - 1]
                bg.put(batch)
                batch = Batch()
                rows, newest = batch.rows, -1 << 63
        # End of chunk: everything read is accounted, so the mark is the chunk's end.
        _close(batch, newest)
        batch.offset, batch.line = chunk.end, base + len(offsets)
        bg.put(batch)
        bg.close()
        writer.finish_chunk()
        return summary, writer.totals
    finally:
        if bg.thread.is_alive():
            bg.queue.put(None)
            bg.thread.join()
        if own:
            writer.close()


def _close(batch: Batch, newest: int) -> None:
    """Fold the newest time of the batch's packed positions into its last_us."""
    if newest > (batch.last_us if batch.last_us is not None else -1 << 63):
        batch.last_us = newest


_progress_queue = None
_writers: dict[str, Writer] = {}  # per worker process: one connection for all its chunks


def _init_worker(queue) -> None:
    global _progress_queue
    _progress_queue = queue


def _chunk_worker(args: tuple) -> tuple[Summary, Totals]:
    url, path, sha, source_id, chunk, now = args
    q = _progress_queue
    writer = _writers.get(url)
    if writer is None:
        writer = _writers[url] = Writer(url, source_id)
        # Closed when the worker exits normally (pool.close() + join()).
        mp_util.Finalize(writer, writer.close, exitpriority=10)
    try:
        return run_chunk(
            url, path, sha, source_id, chunk, now, progress=q.put if q is not None else None, writer=writer
        )
    except BaseException:
        _writers.pop(url, None)
        writer.close()
        raise


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _returned(row: tuple[Any, ...] | None) -> tuple[Any, ...]:
    """The row of an INSERT … ON CONFLICT DO UPDATE … RETURNING, which always gives one back."""
    if row is None:
        raise RuntimeError("INSERT … RETURNING gave no row")
    return row


def ensure_source(url: str, name: str, kind: str = "file") -> int:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "INSERT INTO ais_source (name, kind) VALUES (%s, %s) ON CONFLICT (name) DO UPDATE SET kind = EXCLUDED.kind RETURNING id",
            (name, kind),
        ).fetchone()
        return _returned(row)[0]


def prepare_chunks(url: str, path: Path, sha: str, source_id: int, chunk_bytes: int) -> tuple[list[Chunk], int]:
    """Chunks still to do, with their progress rows (created on first sight), and how many
    were already done."""
    out, done_before = [], 0
    with psycopg.connect(url, autocommit=True) as conn:
        for i, (start, end, first_line) in enumerate(plan_chunks(path, chunk_bytes)):
            row = conn.execute(
                "INSERT INTO ais_ingest_progress (source_id, file_sha256, file_name, chunk_start, chunk_end, committed_offset, committed_line, done) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, false) ON CONFLICT (source_id, file_sha256, chunk_start) DO UPDATE SET updated_at = now() "
                "RETURNING id, committed_offset, committed_line, done",
                (source_id, sha, str(path)[:400], start, end, start, first_line),
            ).fetchone()
            pid, offset, line, done = _returned(row)
            if done:
                done_before += 1
            else:
                out.append(Chunk(i, start, end, offset, line, pid))
    return out, done_before


def ingested_as(url: str, sha: str, source_id: int) -> str | None:
    """Another source under which every chunk of this very file is stored, if any: the same bytes
    under a new name are the same observations, and a file without receive times would otherwise
    be stored again at a new "time read"."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT s.name FROM ais_ingest_progress p JOIN ais_source s ON s.id = p.source_id "
            "WHERE p.file_sha256 = %s AND p.source_id <> %s GROUP BY s.name HAVING bool_and(p.done) LIMIT 1",
            (sha, source_id),
        ).fetchone()
    return row[0] if row else None


def ingest_files(
    url: str,
    paths: list[Path],
    source: str | None = None,
    workers: int | None = None,
    chunk_bytes: int = CHUNK_BYTES,
    on_progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> IngestResult:
    """Ingest files; safe to run again on the same files (adds nothing) or after a crash (resumes)."""
    import time

    url = libpq_url(url)
    workers = workers or min(2, os.cpu_count() or 1)
    result = IngestResult()
    t0 = time.perf_counter()
    jobs = []
    for path in paths:
        sha = sha256_file(path)
        source_id = ensure_source(url, source or path.name)
        result.files += 1
        elsewhere = ingested_as(url, sha, source_id)
        if elsewhere is not None:
            result.already_ingested.append(f"{path} (source {elsewhere})")
            continue
        chunks, done_before = prepare_chunks(url, path, sha, source_id, chunk_bytes)
        result.skipped_chunks += done_before
        if not chunks:
            result.already_ingested.append(str(path))
        if on_total:
            on_total(sum(c.end - c.resume_offset for c in chunks))
        jobs += [(url, str(path), sha, source_id, c) for c in chunks]
    # Files without receive times get "the time the line was read": one instant per run.
    now = datetime.now(UTC)
    if len(jobs) <= 1 or workers == 1:
        outs = [run_chunk(*job, now, on_progress) for job in jobs]
    else:
        # fork, not spawn: workers start in milliseconds instead of re-importing everything,
        # and the parent holds no database connection at this point.
        ctx = mp.get_context("fork")
        queue = ctx.SimpleQueue() if on_progress else None
        with ctx.Pool(min(workers, len(jobs)), initializer=_init_worker, initargs=(queue,)) as pool:
            pending = pool.map_async(_chunk_worker, [(*job, now) for job in jobs], chunksize=1)
            while not pending.ready():
                pending.wait(0.2)
                while queue is not None and on_progress is not None and not queue.empty():
                    on_progress(queue.get())
            outs = pending.get()
            pool.close()  # let workers exit normally, closing their connections
            pool.join()
        while queue is not None and on_progress is not None and not queue.empty():
            on_progress(queue.get())
    for summary, totals in outs:
        result.summary.merge(summary)
        for f in ("positions", "duplicates", "quarantined", "vessels_created"):
            setattr(result.totals, f, getattr(result.totals, f) + getattr(totals, f))
    result.seconds = time.perf_counter() - t0
    return result
