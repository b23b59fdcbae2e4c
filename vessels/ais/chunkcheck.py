"""Checksums and tag-block times of a whole chunk of lines at once, for bulk ingest.

Per line, Python would fold two XORs (sentence and tag block) and parse the tag block's c:;
here numpy does it for a 1 MB chunk at once, for the lines of the usual shapes, and leaves
every other line to the per-line code in sentences.py and decode.py, which give the same
verdicts (tests/vessels/test_ais_line_checks.py, line for line). docs/performance.md has the
figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Whole chunks at once, for bulk ingest: per line, bits 0-1 judge its sentence's checksum and
# bits 2-3 its tag block's; 0 means "not judged here" (an unusual shape: checked per line).
SENTENCE_OK, SENTENCE_BAD, TAG_OK, TAG_BAD = 1, 2, 4, 8
_HEXVAL = np.full(256, -1, np.int16)
for _i, _c in enumerate(b"0123456789ABCDEF"):
    _HEXVAL[_c] = _HEXVAL[bytes([_c]).lower()[0]] = _i


@dataclass(slots=True)
class LineChecks:
    """What line_checks found, by line (index: line number - 1)."""

    verdicts: list[int]  # SENTENCE_* | TAG_*, 0 where not judged
    times: list[int]  # the tag block's c: in µs since the Unix epoch where read here, else -1


def _hex2(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Two hex digits as a byte, -1 where either is not a hex digit (a lone -1 in the low digit
    must not pass as 16 * high - 1: "*2 " is no checksum)."""
    h, low = _HEXVAL[hi], _HEXVAL[lo]
    return np.where((h >= 0) & (low >= 0), h * 16 + low, -1)


def line_checks(data: bytes) -> LineChecks:
    """Checksum verdicts and tag-block times for the lines of data.split(b"\n"), all at once.

    Judged are lines of the usual shapes `!…*hh` and `\\tag*hh\\!…*hh` (an optional \r
    at the end): the same verdicts as checksum_ok on the sentence pyais cuts from the line,
    and as decode._tag_us on its tag block. XORs come from one running XOR over the chunk
    (the XOR of a[i:j] is X[j] ^ X[i]); per line, Python then reads a list item instead of
    folding two XORs of its own (docs/performance.md). Times are read where a good tag block
    ends in `c:` and 10 digits (seconds) or 13 (milliseconds), as most feeds write it."""
    size = len(data)
    # Eight zero bytes of padding keep every index below in bounds for short or empty input.
    a = np.frombuffer(data + bytes(8), np.uint8)
    x = np.zeros(len(a) + 1, np.uint8)
    np.bitwise_xor.accumulate(a, out=x[1:])
    nl = np.flatnonzero(a[:size] == 10)
    start = np.concatenate(([0], nl + 1))
    end = np.concatenate((nl, [size]))
    end -= (end > start) & (a[np.maximum(end - 1, 0)] == 13)  # a \r before the \n
    ok_len = end - start >= 8  # shorter lines go the per-line way
    s, e = np.where(ok_len, start, 0), np.where(ok_len, end, 8)  # safe indices; masked below
    first = a[s]
    # The tag block ends at the next backslash; the sentence starts right after it.
    backslashes = np.flatnonzero(a == 92)
    k = np.searchsorted(backslashes, s + 1)
    b = backslashes[np.minimum(k, len(backslashes) - 1)] if len(backslashes) else s
    tagged = (first == 92) & (k < len(backslashes)) & (b < e - 4)
    b = np.where(tagged, b, s + 4)
    ss = np.where(tagged, b + 1, s)
    hv = _hex2(a[e - 2], a[e - 1])
    shaped = ok_len & (a[e - 3] == 42) & (a[ss] == 33) & ((first == 33) | tagged)
    sentence = np.where(shaped, np.where((hv >= 0) & ((x[e - 3] ^ x[ss + 1]) == hv), SENTENCE_OK, SENTENCE_BAD), 0)
    # The tag block a[s+1:b]: judged when it is `…*hh` with that one '*' and ASCII only.
    thv = _hex2(a[b - 2], a[b - 1])
    # ... with that '*' the block's first (b-2 and b-1 are hex digits, so also its only one) ...
    stars = np.flatnonzero(a == 42)
    first_star = stars[np.minimum(np.searchsorted(stars, s + 1), len(stars) - 1)] if len(stars) else s
    # ... and no byte above 127 in it.
    high = np.flatnonzero(a >= 128)
    if len(high):
        k_high = np.searchsorted(high, s + 1)
        ascii_tag = (k_high == len(high)) | (high[np.minimum(k_high, len(high) - 1)] >= b)
    else:
        ascii_tag = True
    tag_shaped = shaped & tagged & (b >= s + 4) & (thv >= 0) & (first_star == b - 3) & ascii_tag
    tag = np.where(tag_shaped, np.where((x[b - 3] ^ x[s + 1]) == thv, TAG_OK, TAG_BAD), 0)
    times = np.full(len(start), -1, np.int64)
    good = tag == TAG_OK
    if good.any():
        for width in (10, 13):
            d0 = b - 3 - width  # the first digit; before it "c:", before that "," or the backslash
            digits = a[np.maximum(d0, 0)[:, None] + np.arange(width)].astype(np.int64) - 48
            ok = (
                good
                & (d0 - 3 >= s)
                & (digits >= 0).all(1)
                & (digits <= 9).all(1)
                & (a[np.maximum(d0 - 2, 0)] == 99)
                & (a[np.maximum(d0 - 1, 0)] == 58)
                & ((a[np.maximum(d0 - 3, 0)] == 44) | (d0 - 3 == s))
            )
            value = digits @ (10 ** np.arange(width - 1, -1, -1, dtype=np.int64))
            # As decode._tag_us: up to 1e11 seconds, above that milliseconds.
            times = np.where(ok, np.where(value <= 100_000_000_000, value * 1_000_000, value * 1000), times)
    return LineChecks((sentence | tag).tolist(), times.tolist())
