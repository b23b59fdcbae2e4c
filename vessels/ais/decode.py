"""Streaming AIS decoder: NMEA 0183 lines in, flat records out, bad input quarantined.

pyais does the NMEA work (sentences, tag blocks, $PGHP wrappers, multipart messages, the
payload's bits), driven by sentences.SentenceReader, which accounts for every input line.
This module adds what ingest needs on top of it: a receive time for every message, units and
"not available" sentinels normalised, and for bulk ingest COPY rows packed straight from the
bit vector.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from os import PathLike
from typing import Any, BinaryIO, cast, overload

from pyais.exceptions import MissingPayloadException, UnknownMessageException

from vessels.ais.chunkcheck import TAG_BAD, TAG_OK, LineChecks
from vessels.ais.fastpath import BASE_ONLY, FAST, FAST_POSITION, fast_base
from vessels.ais.fields import DEFAULT, EXTRACT, Record
from vessels.ais.rows import ONE_US, from_us, pack_tuple, to_us
from vessels.ais.sentences import Quarantine, SentenceReader, cap, why, xor

__all__ = ["Packed", "Quarantine", "Summary", "decode_file", "decode_lines"]

Clock = Callable[[], datetime]
# What decode_lines(rows_for=...) yields for a position packed without a record:
# (line_no, receive time in µs since the Unix epoch, COPY row or None when it has no usable position).
Packed = tuple[int, int, bytes | None]
_NAIVE_EPOCH = datetime(1970, 1, 1)


@dataclass
class Summary:
    lines: int = 0
    by_type: Counter[int] = field(default_factory=Counter)
    quarantined: Counter[str] = field(default_factory=Counter)
    # Lines that are fine but carry no AIS: blank, comment, other NMEA sentences.
    skipped: Counter[str] = field(default_factory=Counter)
    # Accepted messages with a caveat, e.g. a tag block whose time could not be trusted.
    notes: Counter[str] = field(default_factory=Counter)

    @property
    def decoded(self) -> int:
        return sum(self.by_type.values())

    @property
    def quarantined_total(self) -> int:
        return sum(self.quarantined.values())

    def merge(self, other: Summary) -> Summary:
        self.lines += other.lines
        for name in ("by_type", "quarantined", "skipped", "notes"):
            getattr(self, name).update(getattr(other, name))
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "decoded": self.decoded,
            "quarantined": self.quarantined_total,
            "quarantined_by_reason": dict(sorted(self.quarantined.items())),
            "by_type": dict(sorted(self.by_type.items())),
            "skipped": dict(sorted(self.skipped.items())),
            "notes": dict(sorted(self.notes.items())),
        }


_TYPE_0 = why(UnknownMessageException("message type 0"))


def _q(bad: Counter[str], n: int, raw: bytes, reason: str, detail: str | None = None) -> Quarantine:
    bad[reason] += 1
    return Quarantine(n, cap(raw), reason, detail)


def _drain(pending: list[Quarantine], bad: Counter[str]) -> list[Quarantine]:
    out = sorted(pending, key=lambda q: q.line_no)
    pending.clear()
    bad.update(q.reason for q in out)
    return out


# c: in whole seconds up to here, in milliseconds above (some feeds send ms), as before.
_MS_ABOVE = 100_000_000_000
_MAX_MS = 253_402_300_800_000  # 10000-01-01: datetime's end


def _tag_us(raw: bytes, notes: Counter[str], verdict: int = 0) -> int | None:
    """The receive time in a tag block's `c:` (raw: the block between the backslashes), in
    microseconds since the Unix epoch.

    Same time as pyais's TagBlock.init() + receiver_timestamp read by datetime.fromtimestamp,
    without building its fields or a datetime: a block that is not ASCII, has no single '*hh'
    or a wrong checksum is untrusted; the last `c:` field wins. verdict: the block's
    chunkcheck.line_checks() bits when known (TAG_OK: `…*hh` with a good checksum).
    """
    if verdict == TAG_OK:
        payload = raw[:-3]
    else:
        payload, star, check = raw.partition(b"*")
        try:
            if verdict == TAG_BAD or not star or b"*" in check or not raw.isascii() or xor(payload) != int(check, 16):
                raise ValueError
        except ValueError:
            notes["tag_block_bad_checksum"] += 1  # so its c: cannot be trusted either
            return None
    i = payload.rfind(b"c:")
    while i > 0 and payload[i - 1] != 44:  # not at a field start: "xc:..." is no c: field
        i = payload.rfind(b"c:", 0, i)
    if i < 0:
        return None
    j = payload.find(b",", i)
    c = payload[i + 2 :] if j < 0 else payload[i + 2 : j]
    if not c:
        return None
    if c.isdigit():  # the usual whole seconds or milliseconds: integer arithmetic, exact
        t = int(c)
        if t <= _MS_ABOVE:
            return t * 1_000_000
        if t < _MAX_MS:
            return t * 1000
        notes["tag_block_bad_time"] += 1
        return None
    try:  # anything else float() takes ("17.5", " 17 ", "-5", "1e3"), as fromtimestamp reads it
        f = float(c)
        return to_us(datetime.fromtimestamp(f / 1000 if f > 1e11 else f, UTC))
    except (ValueError, OverflowError, OSError):
        notes["tag_block_bad_time"] += 1
        return None


def _clock(now: datetime | Clock | None) -> Clock:
    if now is None:
        return lambda: datetime.now(UTC)
    if isinstance(now, datetime):
        if now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        return lambda: now
    return now


@overload
def decode_lines(
    lines: Iterable[bytes],
    *,
    now: datetime | Clock | None = ...,
    summary: Summary | None = ...,
    verify_checksum: bool = ...,
    rows_for: None = None,
    checks: LineChecks | None = ...,
) -> Iterator[Record | Quarantine]: ...
@overload
def decode_lines(
    lines: Iterable[bytes],
    *,
    now: datetime | Clock | None = ...,
    summary: Summary | None = ...,
    verify_checksum: bool = ...,
    rows_for: int,
    checks: LineChecks | None = ...,
) -> Iterator[Record | Quarantine | Packed]: ...
def decode_lines(
    lines: Iterable[bytes],
    *,
    now: datetime | Clock | None = None,
    summary: Summary | None = None,
    verify_checksum: bool = True,
    rows_for: int | None = None,
    checks: LineChecks | None = None,
) -> Iterator[Record | Quarantine | Packed]:
    """Decode NMEA lines (bytes, line endings optional) into records, in input order.

    Yields a dict per decoded message and a Quarantine per bad input; bad input never
    raises. Receive time: the tag block's c:, else the $PGHP time, else a trailing USCG Unix
    time, else `now` (a datetime or a clock; default: the wall clock at decode time).

    rows_for=SOURCE_ID (bulk ingest): the complete position reports of types 1-4, 9, 18, 21 and
    27 (fastpath.FAST_POSITION), most of any feed, come as Packed (line_no, receive time in µs, COPY row or None) instead of a
    dict, packed for that source straight from the bit vector. checks: chunkcheck.line_checks()
    of the lines, which spares the per-line checksums.
    """
    return _decode(lines, None, _clock(now), summary, verify_checksum, rows_for, checks)


def decode_file(
    path: str | PathLike[str],
    *,
    now: datetime | Clock | None = None,
    summary: Summary | None = None,
    verify_checksum: bool = True,
) -> Iterator[Record | Quarantine]:
    """decode_lines over a file. The file is opened now, so an unreadable one raises
    OSError here rather than at the first next()."""
    clock = _clock(now)
    f = open(path, "rb")  # noqa: SIM115 - the generator closes it
    # No source id, so nothing comes packed: records and quarantined lines only.
    return cast(Iterator[Record | Quarantine], _decode(f, f, clock, summary, verify_checksum, None, None))


# Complexity allowed: the decoder's per-message branch is inlined for speed (bench/ais_ingest.py measures it against pyais alone).
def _decode(  # noqa: C901
    lines: Iterable[bytes],
    fobj: BinaryIO | None,
    clock: Clock,
    summary: Summary | None,
    verify: bool,
    source_id: int | None,
    checks: LineChecks | None,
) -> Iterator[Record | Quarantine | Packed]:
    s = summary if summary is not None else Summary()
    reader = SentenceReader(lines, verify, checks)
    verdicts, times = (None, None) if reader.checks is None else (reader.checks.verdicts, reader.checks.times)
    pending, by_type, bad, notes = reader.pending, s.by_type, s.quarantined, s.notes
    extract, default, fast = EXTRACT.get, DEFAULT, FAST.get
    no_position: dict[tuple[int, int], Callable[[int], tuple]] = {}
    position = (FAST_POSITION if source_id is not None else no_position).get
    sid = -1 if source_id is None else source_id  # only packed when source_id is given (position finds nothing else)
    base_only, pack = BASE_ONLY, pack_tuple

    def when(tag: bytes | None, msg: Any, n: int) -> int:
        """Receive time (µs) of a message whose tag-block time line_checks did not read."""
        if tag is not None:
            verdict = verdicts[n - 1] & 12 if verdicts is not None and msg.frag_cnt == 1 else 0
            ts = _tag_us(tag, notes, verdict)
            if ts is not None:
                return ts
        return _other_time(msg, reader, n, clock)

    try:
        for n, raw, msg, ok, tag in reader:
            if pending:
                yield from _drain(pending, bad)
            if not ok:
                yield _q(bad, n, raw, "bad_checksum")
                continue
            bv = msg.bv
            key = (msg.ais_id, bv._length)
            pos_fn = position(key)
            if pos_fn is not None:
                # Bulk ingest of a usual position report: a COPY row, no record.
                if times is None or msg.frag_cnt != 1 or (ts := times[n - 1]) < 0:  # else read with the chunk
                    ts = when(tag, msg, n)
                p = pos_fn(bv._value)
                by_type[p[0]] += 1
                yield (n, ts, pack(p, ts, sid))
                continue
            fast_fn = fast(key)
            if fast_fn is not None and (rec := fast_fn(bv._value)) is not None:
                pass  # the usual types and lengths: straight from the bit vector (fastpath.FAST)
            elif key[0] in base_only and key[1] >= 38:
                rec = fast_base(bv._value, key[1])
            elif key[0] == 0 and msg.payload:
                # pyais would decode the nonexistent id 0 as a type 1; not worth the decode.
                yield _q(bad, n, raw, "decode_error", _TYPE_0)
                continue
            else:
                try:
                    d = msg.decode()
                    fn, min_bits = extract(d.__class__, default)
                    # len(bv) is a Python call; a payload with bits to spare needs none
                    if len(msg.payload) * 6 - 5 < min_bits and len(bv) < min_bits:
                        yield _q(bad, n, raw, "truncated", f"type {d.msg_type}: {len(bv)} bits < {min_bits}")
                        continue
                    rec = fn(d)
                except MissingPayloadException:
                    yield _q(bad, n, raw, "empty_payload")
                    continue
                except Exception as e:  # any pyais decode failure is bad input, not a crash
                    yield _q(bad, n, raw, "decode_error", why(e))
                    continue
            if times is None or msg.frag_cnt != 1 or (ts := times[n - 1]) < 0:
                ts = when(tag, msg, n)
            rec["timestamp"] = from_us(ts)
            rec["line_no"] = n
            rec["raw"] = raw.decode("latin-1")
            by_type[rec["type"]] += 1
            yield rec
        if pending:  # fragments that never got the rest of their message, junk at the end
            yield from _drain(pending, bad)
    finally:
        s.lines += reader.line_no
        s.skipped.update(reader.skipped)
        if fobj is not None:
            fobj.close()


def _other_time(msg: Any, reader: SentenceReader, n: int, clock: Clock) -> int:
    """Receive time (µs) of a message without a trusted tag-block c:: the $PGHP wrapper's time,
    a trailing USCG Unix time on its line, else the clock."""
    w = msg.wrapper_msg
    if w is not None:
        return (w.timestamp - _NAIVE_EPOCH) // ONE_US  # a naive UTC datetime
    if reader.meta_line == n:
        return to_us(datetime.fromtimestamp(reader.meta_time, UTC))
    return to_us(clock())
