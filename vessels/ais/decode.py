"""Streaming AIS decoder: NMEA 0183 lines in, flat records out, bad input quarantined.

pyais's assembler does the NMEA work (tag blocks, $PGHP wrappers, multipart messages). This
module adds what ingest needs on top of it: physical line numbers, a receive time for every
message, units and "not available" sentinels normalised, checksums actually enforced, and an
account of every input line, because the pyais stream silently drops what it cannot use.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from os import PathLike
from typing import Any, BinaryIO

from pyais.exceptions import MissingPayloadException, UnknownMessageException
from pyais.messages import AISSentence, NMEASentenceFactory
from pyais.stream import IterMessages

from vessels.ais.fields import BASE_ONLY, DEFAULT, EXTRACT, FAST, Record, fast_base

Clock = Callable[[], datetime]

# A multipart fragment may wait this many lines for the rest of its message before it is
# reported as lost. Generous, because satellite feeds interleave fragments widely.
FRAGMENT_WINDOW = 1000
# Quarantine keeps the raw text, but a binary file fed in by mistake must not fill memory.
MAX_RAW = 2048


@dataclass(slots=True)
class Quarantine:
    line_no: int
    raw: str
    reason: str
    detail: str | None = None


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
        return {"lines": self.lines, "decoded": self.decoded, "quarantined": self.quarantined_total,
                "quarantined_by_reason": dict(sorted(self.quarantined.items())),
                "by_type": dict(sorted(self.by_type.items())),
                "skipped": dict(sorted(self.skipped.items())), "notes": dict(sorted(self.notes.items()))}


# --- checksums --------------------------------------------------------------------------
# pyais's stream never checks sentence checksums (and its is_valid misreads lines with
# receiver metadata after '*hh'), yet a corrupted payload decodes to a plausible position.
# XOR-folding the sentence as one big int is faster than functools.reduce over the bytes.

_HEX = {(a + b).encode(): int(a + b, 16) for a in "0123456789abcdefABCDEF" for b in "0123456789abcdefABCDEF"}
_M512 = (1 << 512) - 1


def _xor(data: bytes) -> int:
    """XOR of all bytes (the NMEA checksum).

    After folding to at most 64 bytes, x ^= x >> 8k for k = 32, 16, ..., 1 leaves in the lowest
    byte the XOR of bytes 0..63, each exactly once; the bits above it need no masking."""
    x = int.from_bytes(data, "little")
    while x >> 512:
        x = (x & _M512) ^ (x >> 512)
    x ^= x >> 256
    x ^= x >> 128
    x ^= x >> 64
    x ^= x >> 32
    x ^= x >> 16
    x ^= x >> 8
    return x & 0xFF


def _checksum_ok(sentence: bytes) -> bool:
    if len(sentence) < 4 or sentence[-3] != 42:  # no '*hh' at all
        return False
    return _xor(sentence[1:-3]) == _HEX.get(sentence[-2:])


# --- lines ------------------------------------------------------------------------------

_VDX = (b"VDM", b"VDO")


def _cap(raw: bytes) -> str:
    return raw[:MAX_RAW].decode("latin-1")


def _strip_metadata(line: bytes) -> bytes:
    """Cut receiver metadata after '*hh' (old USCG style); pyais would take the last field
    for the checksum, get the fill bits wrong and flag the sentence invalid."""
    start = line.find(b"\\", 1) + 1 if line[0] == 92 else 0
    star = line.rfind(b"*", start)
    if star < 0 or len(line) <= star + 3 or line[star + 3] != 44:
        return line
    return line[:star + 3]


def _is_fragment(line: bytes) -> bool:
    sentence = line[line.find(b"\\", 1) + 1:] if line[0] == 92 else line
    f = sentence.split(b",", 2)
    return len(f) > 2 and f[1] != b"1"


def _lost(n: int, line: bytes) -> Quarantine:
    """Explain a line pyais took but never returned (rare path, so parse it once more)."""
    try:
        s = NMEASentenceFactory.produce(_strip_metadata(line))
    except Exception as e:  # pyais raises several kinds for malformed sentences
        return Quarantine(n, _cap(line), "invalid_sentence", _why(e))
    if isinstance(s, AISSentence) and s.frag_cnt > 1:
        reason = "incomplete_multipart" if s.frag_num == 1 else "orphan_fragment"
        return Quarantine(n, _cap(line), reason, f"fragment {s.frag_num} of {s.frag_cnt}")
    return Quarantine(n, _cap(line), "invalid_sentence", "rejected by the NMEA stream")


def _why(e: Exception) -> str:
    return f"{e.__class__.__name__}: {e}"[:200]


_TYPE_0 = _why(UnknownMessageException("message type 0"))


def _q(bad: Counter[str], n: int, raw: bytes, reason: str, detail: str | None = None) -> Quarantine:
    bad[reason] += 1
    return Quarantine(n, _cap(raw), reason, detail)


class _LineStream(IterMessages):
    """pyais's assembler fed from our own line loop, which knows the physical line number
    and keeps every AIS line until a returned message accounts for it."""

    def __init__(self, lines: Iterable[bytes]) -> None:
        # One iterator shared by every pass, so a stream restarted after an error resumes.
        super().__init__(iter(lines))
        self.line_no = 0
        self.prev = 0  # the last AIS line handed to pyais
        self.cands: dict[int, bytes] = {}  # AIS lines not yet part of a returned message
        # Their line numbers in arrival order (some already taken): the oldest waiting line is
        # found here in O(1), where next(iter(cands)) would walk the dict's deleted entries.
        self.order: deque[int] = deque()
        self.pending: list[Quarantine] = []
        self.skipped: Counter[str] = Counter()
        self.meta_line, self.meta_time = 0, 0.0

    def _iter_messages(self) -> Iterator[bytes]:
        # Replaces pyais's own line filter. It runs for every line, so it stays lean.
        cands, skipped, order = self.cands, self.skipped, self.order
        n = self.line_no
        for line in self.messages:
            n += 1
            line = line.strip()
            if not line:
                skipped["blank"] += 1
                continue
            c = line[0]
            if c == 33 or c == 92 or (c == 36 and line[3:6] in _VDX):  # '!', backslash, '$xxVDM'
                sentence = line if line[-3:-2] == b"*" else self._metadata(line, n)
                if cands:
                    self._settle(n)
                elif order:
                    order.clear()
                self.line_no = self.prev = n
                cands[n] = line
                order.append(n)
                yield sentence
            elif c == 36:
                if line[1:5] == b"PGHP":
                    self.line_no = n
                    yield line
                else:
                    skipped["other_nmea"] += 1
            elif c == 35:
                skipped["comment"] += 1
            else:
                self.pending.append(Quarantine(n, _cap(line), "junk", "not an NMEA sentence"))
        self.line_no = n  # not in a finally: a dead pass closed late must not rewind it

    def _metadata(self, line: bytes, n: int) -> bytes:
        sentence = _strip_metadata(line)
        if sentence is not line:
            # USCG metadata ends with the receiver's Unix time, a real receive time. Only ten
            # digits (2001-2286): shorter ones seen in the wild are cut off.
            last = line.rpartition(b",")[2]
            if len(last.partition(b".")[0]) == 10:
                try:
                    self.meta_line, self.meta_time = n, float(last)
                except ValueError:
                    pass
        return sentence

    def _settle(self, n: int) -> None:
        cands, prev = self.cands, self.prev
        line = cands.get(prev)
        if line is not None and not _is_fragment(line):
            # pyais returns a single sentence at once, so one still waiting was rejected.
            del cands[prev]
            self.pending.append(_lost(prev, line))
        limit = n - FRAGMENT_WINDOW
        order = self.order
        while order:
            k = order[0]
            if k in cands:
                if k >= limit:
                    break
                self.pending.append(_lost(k, cands.pop(k)))
            order.popleft()


def _take_fragments(cands: dict[int, bytes], raw: bytes, n: int) -> bytes:
    """The input lines of a multipart message (pyais joins its sentences with '\\n')."""
    parts = raw.split(b"\n")
    lines = [cands.pop(n, parts[-1])]
    for part in reversed(parts[:-1]):
        for k in reversed(cands):
            if part in cands[k]:
                lines.append(cands.pop(k))
                break
        else:
            lines.append(part)
    return b"\n".join(reversed(lines))


def _drain(pending: list[Quarantine], bad: Counter[str]) -> list[Quarantine]:
    out = sorted(pending, key=lambda q: q.line_no)
    pending.clear()
    bad.update(q.reason for q in out)
    return out


def _tag_time(raw: bytes, notes: Counter[str]) -> datetime | None:
    """The receive time in a tag block's `c:` (raw: the block between the backslashes).

    Same result as pyais's TagBlock.init() + receiver_timestamp without building its fields:
    a block that is not ASCII, has no single '*hh' or a wrong checksum is untrusted; the last
    `c:` field wins.
    """
    payload, star, check = raw.partition(b"*")
    try:
        if not star or b"*" in check or not raw.isascii() or _xor(payload) != int(check, 16):
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
    c = payload[i + 2:] if j < 0 else payload[i + 2:j]
    if not c:
        return None
    try:
        t = float(c)
        return datetime.fromtimestamp(t / 1000 if t > 1e11 else t, UTC)  # some feeds send ms
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


def decode_lines(lines: Iterable[bytes], *, now: datetime | Clock | None = None,
                 summary: Summary | None = None, verify_checksum: bool = True) -> Iterator[Record | Quarantine]:
    """Decode NMEA lines (bytes, line endings optional) into records, in input order.

    Yields a dict per decoded message and a Quarantine per bad input; bad input never
    raises. Receive time: the tag block's c:, else the $PGHP time, else a trailing USCG Unix
    time, else `now` (a datetime or a clock; default: the wall clock at decode time).
    """
    return _decode(lines, None, _clock(now), summary, verify_checksum)


def decode_file(path: str | PathLike[str], *, now: datetime | Clock | None = None,
                summary: Summary | None = None, verify_checksum: bool = True) -> Iterator[Record | Quarantine]:
    """decode_lines over a file. The file is opened now, so an unreadable one raises
    OSError here rather than at the first next()."""
    clock = _clock(now)
    f = open(path, "rb")  # noqa: SIM115 - the generator closes it
    return _decode(f, f, clock, summary, verify_checksum)


def _decode(lines: Iterable[bytes], fobj: BinaryIO | None, clock: Clock,
            summary: Summary | None, verify: bool) -> Iterator[Record | Quarantine]:
    s = summary if summary is not None else Summary()
    stream = _LineStream(lines)
    cands, pending, by_type, bad = stream.cands, stream.pending, s.by_type, s.quarantined
    extract, default, fast = EXTRACT.get, DEFAULT, FAST.get
    base_only = BASE_ONLY
    try:
        while True:
            try:
                for msg in stream:
                    n = stream.line_no  # pyais yields as soon as a message's last line is in
                    if msg.frag_cnt == 1:
                        raw = cands.pop(n, msg.raw)
                        ok = not verify or _checksum_ok(msg.raw)
                    else:
                        raw = _take_fragments(cands, msg.raw, n)
                        ok = not verify or all(map(_checksum_ok, msg.raw.split(b"\n")))
                    if pending:
                        yield from _drain(pending, bad)
                    if not ok:
                        yield _q(bad, n, raw, "bad_checksum")
                        continue
                    bv = msg.bv
                    ais_id, bits = msg.ais_id, bv._length
                    fast_fn = fast((ais_id, bits))
                    if fast_fn is not None:
                        # Types 1-5/18, complete: straight from the bit vector (fields.FAST).
                        rec = fast_fn(bv._value)
                    elif ais_id in base_only and bits >= 38:
                        rec = fast_base(bv._value, bits)
                    elif ais_id == 0 and msg.payload:
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
                            yield _q(bad, n, raw, "decode_error", _why(e))
                            continue
                    ts = None
                    if msg.tag_block is not None:
                        ts = _tag_time(msg.tag_block.raw, s.notes)
                    if ts is None:
                        w = msg.wrapper_msg
                        if w is not None:
                            t = w.timestamp  # naive UTC; replace(tzinfo=) is 4x slower than this
                            ts = datetime(t.year, t.month, t.day, t.hour, t.minute, t.second, t.microsecond, UTC)
                        elif stream.meta_line == n:
                            ts = datetime.fromtimestamp(stream.meta_time, UTC)
                        else:
                            ts = clock()
                    rec["timestamp"] = ts
                    rec["line_no"] = n
                    rec["raw"] = raw.decode("latin-1")
                    by_type[rec["type"]] += 1
                    yield rec
            except Exception as e:
                # pyais itself raised, which ends its generator: note the line and go on with
                # a fresh pass (fragments it was holding are reported as lost at the end).
                yield _q(bad, stream.line_no, cands.pop(stream.line_no, b""), "stream_error", _why(e))
                continue
            break
        # End of input: whatever still waits for its other fragments will never get them.
        pending.extend(_lost(k, line) for k, line in cands.items())
        cands.clear()
        if pending:
            yield from _drain(pending, bad)
    finally:
        s.lines += stream.line_no
        s.skipped.update(stream.skipped)
        if fobj is not None:
            fobj.close()
