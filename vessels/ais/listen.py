"""Live feeds: TCP or UDP NMEA sources (and replays of files), decoded with the same pyais
pipeline as files, written in small batches (≤ 1 s) and published to the live map.

A reader thread owns the socket and reconnects with backoff; the decoding loop pulls lines
from a queue and flushes on a timer, so a quiet feed still commits what it has.
"""

from __future__ import annotations

import logging
import queue
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator

from vessels.ais.decode import Quarantine, Summary, decode_lines
from vessels.ais.ingest import ensure_source, libpq_url
from vessels.ais.replay import tag_block
from vessels.ais.rows import POSITION_TYPES, pack_position
from vessels.ais.writer import Batch, Writer, add_record

log = logging.getLogger(__name__)
FLUSH_SECONDS = 0.1  # live feeds: commit and publish every 100 ms (the hub adds ≤ 250 ms)
MAX_ROWS = 5000
BACKOFF = (0.5, 1, 2, 5, 10, 30)


class LiveIngest:
    def __init__(self, url: str, source: str, kind: str, flush_seconds: float = FLUSH_SECONDS):
        url = libpq_url(url)
        self.source_id = ensure_source(url, source, kind)
        self.writer = Writer(url, self.source_id, publish=True)
        self.flush_seconds = flush_seconds
        self.lines: queue.Queue[bytes] = queue.Queue(maxsize=100_000)
        self.stop = threading.Event()
        self.summary = Summary()
        self.batch = Batch()
        self.flushes = 0

    def _flush(self) -> None:
        if self.batch.messages or self.batch.quarantine:
            self.writer.write(self.batch)
            self.flushes += 1
            self.batch = Batch()

    def _line_source(self) -> Iterator[bytes]:
        last = time.monotonic()
        while not self.stop.is_set():
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                line = None
            if time.monotonic() - last >= self.flush_seconds:
                self._flush()
                last = time.monotonic()
            if line is not None:
                yield line

    def run(self) -> None:
        """Decode and write until stop() (blocking; run the readers in threads)."""
        try:
            for item in decode_lines(self._line_source(), summary=self.summary):
                if isinstance(item, Quarantine):
                    self.batch.quarantine.append((None, item.raw, item.reason))
                    continue
                packed = pack_position(item, self.source_id) if item["type"] in POSITION_TYPES else None
                add_record(self.batch, item, packed, live=True)
                if len(self.batch.rows) >= MAX_ROWS:
                    self._flush()
            self._flush()
        finally:
            self.writer.close()

    def feed(self, line: bytes) -> None:
        self.lines.put(line)


def _backoff(attempt: int) -> float:
    base = BACKOFF[min(attempt, len(BACKOFF) - 1)]
    return base * (0.8 + 0.4 * random.random())  # jitter: many receivers must not reconnect in step


def tcp_reader(host: str, port: int, feed: Callable[[bytes], None], stop: threading.Event) -> None:
    attempt = 0
    while not stop.is_set():
        try:
            with socket.create_connection((host, port), timeout=10) as s:
                s.settimeout(1.0)
                attempt = 0
                log.info("connected to %s:%s", host, port)
                buf = b""
                while not stop.is_set():
                    try:
                        data = s.recv(65536)
                    except TimeoutError:
                        continue
                    if not data:
                        raise ConnectionError("feed closed the connection")
                    buf += data
                    *complete, buf = buf.split(b"\n")
                    for line in complete:
                        feed(line + b"\n")
        except OSError as exc:
            delay = _backoff(attempt)
            attempt += 1
            log.warning("feed %s:%s: %s; reconnecting in %.1f s", host, port, exc, delay)
            stop.wait(delay)


def udp_reader(port: int, feed: Callable[[bytes], None], stop: threading.Event, host: str = "0.0.0.0") -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, port))
        s.settimeout(1.0)
        while not stop.is_set():
            try:
                data, _ = s.recvfrom(65536)
            except TimeoutError:
                continue
            for line in data.splitlines():
                feed(line + b"\n")


def replay_reader(
    lines: list[bytes],
    rate: float,
    loop: bool,
    feed: Callable[[bytes], None],
    stop: threading.Event,
    stamp: bool = True,
) -> None:
    """Feed lines at `rate` per second. With `stamp`, each gets a tag block stamped now (a demo or
    load feed of bare sentences); without, the lines go as they are in the capture, so those with
    a time of their own (tag block `c:`, `$PGHP`) keep it (ais.md: replayed files keep their
    original times) and the rest get the time they are read, as from a live receiver."""

    start = time.monotonic()
    i = 0
    while not stop.is_set():
        for line in lines:
            if stop.is_set():
                return
            due = start + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            feed((tag_block(int(time.time())) + line if stamp else line) + b"\n")
            i += 1
        if not loop:
            return
