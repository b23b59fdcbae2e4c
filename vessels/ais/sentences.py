"""NMEA lines in, complete AIS sentences out: pyais parses, this module keeps the account.

pyais's NMEASentenceFactory parses every sentence (tag blocks, $PGHP wrappers, fields, the
payload's bit vector) and AISSentence.assemble_from_iterable joins multipart messages; the
slot rules for fragments are pyais's own stream rules. This reader is the loop around them,
in place of pyais's stream classes, because ingest needs what they do not give: the physical
line number of every message, checksums actually enforced, and an account of every input
line — pyais's streams silently drop what they cannot use. Being one loop instead of two
chained generators also takes a layer off the per-line cost of bulk ingest (performance.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from pyais.exceptions import InvalidNMEAMessageException, UnknownMessageException
from pyais.messages import AISSentence, GatehouseSentence, NMEASentenceFactory

from vessels.ais.chunkcheck import SENTENCE_OK, LineChecks

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


# --- checksums --------------------------------------------------------------------------
# pyais's stream never checks sentence checksums (and its is_valid misreads lines with
# receiver metadata after '*hh'), yet a corrupted payload decodes to a plausible position.
# XOR-folding the sentence as one big int is faster than functools.reduce over the bytes.

HEX = {(a + b).encode(): int(a + b, 16) for a in "0123456789abcdefABCDEF" for b in "0123456789abcdefABCDEF"}
_M512 = (1 << 512) - 1


def xor(data: bytes) -> int:
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


def checksum_ok(sentence: bytes) -> bool:
    if len(sentence) < 4 or sentence[-3] != 42:  # no '*hh' at all
        return False
    return xor(sentence[1:-3]) == HEX.get(sentence[-2:])


# --- lines ------------------------------------------------------------------------------

_VDX = (b"VDM", b"VDO")


def cap(raw: bytes) -> str:
    return raw[:MAX_RAW].decode("latin-1")


def why(e: Exception) -> str:
    return f"{e.__class__.__name__}: {e}"[:200]


def strip_metadata(line: bytes) -> bytes:
    """Cut receiver metadata after '*hh' (old USCG style); pyais would take the last field
    for the checksum, get the fill bits wrong and flag the sentence invalid."""
    start = line.find(b"\\", 1) + 1 if line[0] == 92 else 0
    star = line.rfind(b"*", start)
    if star < 0 or len(line) <= star + 3 or line[star + 3] != 44:
        return line
    return line[: star + 3]


def _lost(n: int, line: bytes, s: AISSentence, tag: bytes | None = None) -> Quarantine:
    reason = "incomplete_multipart" if s.frag_num == 1 else "orphan_fragment"
    return Quarantine(n, cap(line), reason, f"fragment {s.frag_num} of {s.frag_cnt}")


Fragment = tuple[int, bytes, AISSentence, bytes | None]  # (line number, input line, parsed sentence, tag block)
# A complete message: (its last line's number, its input line(s), pyais's sentence, checksums
# good, the raw tag block of its first line or None).
Message = tuple[int, bytes, AISSentence, bool, bytes | None]
_STARTS = (b"!", b"$")


class SentenceReader:
    """Iterate to get a Message per complete AIS message. Lines that carry no message are counted in
    `skipped`, or put as Quarantine in `pending`, for the caller to hand on in line order."""

    def __init__(self, lines: Iterable[bytes], verify: bool = True, checks: LineChecks | None = None) -> None:
        self.lines, self.verify = lines, verify
        # line_checks() of the lines, when the caller has them (bulk ingest).
        self.checks = checks if verify else None
        self.line_no = 0
        self.pending: list[Quarantine] = []
        self.skipped: Counter[str] = Counter()
        # A trailing USCG receive time (Unix seconds) and the line it was on.
        self.meta_line, self.meta_time = 0, 0.0
        # Fragments of multipart messages still waiting, by pyais's stream slot.
        self.slots: dict[tuple, list[Fragment]] = {}
        self.expire_at = 0  # the first line number at which some waiting fragment is too old

    # Complexity allowed: the sentence loop is inlined for speed: one pass, no per-line calls (bench/ais_ingest.py).
    def __iter__(self) -> Iterator[Message]:  # noqa: C901
        produce, verify, pending, skipped = NMEASentenceFactory.produce, self.verify, self.pending, self.skipped
        slots, checks = self.slots, None if self.checks is None else self.checks.verdicts
        wrapper: GatehouseSentence | None = None
        n = 0
        try:
            for line in self.lines:
                n += 1
                line = line.strip()
                if not line:
                    skipped["blank"] += 1
                    continue
                c = line[0]
                tag = None
                if c == 33 or c == 92 or (c == 36 and line[3:6] in _VDX):  # '!', backslash, '$xxVDM'
                    sentence = line if line[-3:-2] == b"*" else self._metadata(line, n)
                    wrapper_line = False
                    if c == 92:
                        # The tag block is cut off here as pyais's _pre_process cuts it, and pyais
                        # parses the sentence: decode reads the block's c: itself, so pyais's
                        # TagBlock object is not needed. Unusual shapes go to pyais whole.
                        end = sentence.find(b"\\", 1)
                        if end > 0 and sentence[end + 1 : end + 2] in _STARTS:
                            tag, sentence = sentence[1:end], sentence[end + 1 :]
                elif c == 36:
                    if line[1:5] != b"PGHP":
                        skipped["other_nmea"] += 1
                        continue
                    sentence, wrapper_line = line, True
                elif c == 35:
                    skipped["comment"] += 1
                    continue
                else:
                    pending.append(Quarantine(n, cap(line), "junk", "not an NMEA sentence"))
                    continue
                if slots and n >= self.expire_at:
                    self._expire(n)
                try:
                    s = produce(sentence)
                except (InvalidNMEAMessageException, UnknownMessageException) as e:
                    if not wrapper_line:  # as in pyais's stream, a malformed $PGHP is just no wrapper
                        pending.append(Quarantine(n, cap(line), "invalid_sentence", why(e)))
                    continue
                except Exception as e:  # noqa: BLE001 - pyais failing on one line must not stop the rest
                    pending.append(Quarantine(n, cap(line), "stream_error", why(e)))
                    continue
                if not isinstance(s, AISSentence):  # a $PGHP wrapper: it belongs to the next message
                    wrapper = cast(GatehouseSentence, s)  # produce() makes no third kind
                    continue
                if tag is None and s.tag_block is not None:
                    tag = s.tag_block.raw
                if s.frag_cnt == 1 and not s.seq_id:  # pyais's is_single, inline
                    if wrapper is not None:
                        s.wrapper_msg, wrapper = wrapper, None
                    self.line_no = n
                    if checks is not None and (verdict := checks[n - 1] & 3):
                        yield n, line, s, verdict == SENTENCE_OK, tag
                    else:
                        yield n, line, s, not verify or checksum_ok(s.raw), tag
                    continue
                done = self._fragment(n, line, s, tag)
                if done is not None:
                    if wrapper is not None:
                        done[2].wrapper_msg, wrapper = wrapper, None
                    self.line_no = n
                    yield done
        finally:
            self.line_no = n
        # End of input: whatever still waits for its other fragments will never get them.
        self._expire(n + FRAGMENT_WINDOW + 1)

    def _metadata(self, line: bytes, n: int) -> bytes:
        sentence = strip_metadata(line)
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

    def _fragment(self, n: int, line: bytes, s: AISSentence, tag: bytes | None) -> Message | None:
        """pyais's multipart rules: a first fragment opens (or restarts) its slot, the next
        ones must follow strictly in order; anything else is lost at once."""
        slot = (-1 if s.seq_id is None else s.seq_id, s.channel, s.talker_id, s.type, s.frag_cnt)
        parts = self.slots.get(slot)
        if s.frag_num == 1:
            if parts:
                self.pending.extend(_lost(*p) for p in parts)  # restarted: the old start is lost
            parts = self.slots[slot] = []
            self.expire_at = (
                min(self.expire_at, n + FRAGMENT_WINDOW + 1) if len(self.slots) > 1 else n + FRAGMENT_WINDOW + 1
            )
        elif parts is None or s.frag_num != len(parts) + 1:
            self.pending.append(_lost(n, line, s))
            return None
        parts.append((n, line, s, tag))
        if len(parts) < s.frag_cnt:
            return None
        del self.slots[slot]
        sentences = [p[2] for p in parts]
        ok = True
        for x in sentences:  # before assembly joins them
            # Told to pyais too (its public setter), which would otherwise compute it again.
            x.is_valid = good = checksum_ok(x.raw)
            ok = ok and good
        ok = ok or not self.verify
        raw = b"\n".join(p[1] for p in parts)
        try:
            msg = AISSentence.assemble_from_iterable(sentences)
        except Exception as e:  # noqa: BLE001 - as for one line: quarantine, go on
            self.pending.append(Quarantine(n, cap(raw), "stream_error", why(e)))
            return None
        return n, raw, msg, ok, parts[0][3]  # pyais's assembled message keeps the first tag block

    def _expire(self, n: int) -> None:
        """Report fragments that waited more than FRAGMENT_WINDOW lines (all, at the end)."""
        limit = n - FRAGMENT_WINDOW
        nxt = None
        for slot, parts in list(self.slots.items()):
            if parts[0][0] < limit:
                self.pending.extend(_lost(*p) for p in parts)
                del self.slots[slot]
            elif nxt is None or parts[0][0] < nxt:
                nxt = parts[0][0]
        self.expire_at = (nxt if nxt is not None else n) + FRAGMENT_WINDOW + 1
