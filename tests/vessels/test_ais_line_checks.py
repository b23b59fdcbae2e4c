"""Checksums judged for a whole chunk at once (sentences.line_checks) must give the verdicts the
per-line code gives, line for line: bulk ingest trusts them instead of checking each line."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vessels.ais.chunkcheck import SENTENCE_BAD, SENTENCE_OK, TAG_BAD, TAG_OK, line_checks
from vessels.ais.decode import _tag_us, decode_lines
from vessels.ais.sentences import checksum_ok, xor

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "ais"
CAPTURES = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in {".txt", ".nmea", ".ais", ".aivdm"})
NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def _tag_valid(tag: bytes) -> bool:
    """decode._tag_us's test of a tag block, spelled out."""
    payload, star, check = tag.partition(b"*")
    try:
        return bool(star) and b"*" not in check and tag.isascii() and xor(payload) == int(check, 16)
    except ValueError:
        return False


def _reference(line: bytes) -> tuple[bool, bool | None, bytes | None]:
    """(sentence checksum good, tag block good or None, the tag block) as the reader and
    pyais cut the line."""
    raw = line.strip()
    tag = None
    if raw[:1] == b"\\":
        end = raw[1:].find(b"\\") + 1
        tag, raw = raw[1:end], raw[end + 1 :]
    return checksum_ok(raw), None if tag is None else _tag_valid(tag), tag


def _agree(data: bytes) -> tuple[int, int]:
    """Assert every verdict and time given matches the per-line code; returns how many lines
    got a verdict and how many a time."""
    checks = line_checks(data)
    lines = data.split(b"\n")
    assert len(checks.verdicts) == len(checks.times) == len(lines)
    judged = timed = 0
    for line, v, t in zip(lines, checks.verdicts, checks.times, strict=False):
        sentence_ok, tag_ok, tag = _reference(line)
        if v & 3:
            judged += 1
            assert (v & 3) == (SENTENCE_OK if sentence_ok else SENTENCE_BAD), line
        if v & 12:
            assert tag_ok is not None, line
            assert (v & 12) == (TAG_OK if tag_ok else TAG_BAD), line
        if t >= 0:
            timed += 1
            assert v & 12 == TAG_OK, line
            assert t == _tag_us(tag, Counter()), line
    return judged, timed


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_captures_get_the_per_line_verdicts(path):
    data = path.read_bytes()
    judged, _ = _agree(data)
    if path.name == "stream_example.txt":
        ais = sum(line.startswith(b"!") for line in data.split(b"\n"))
        assert judged > 0.95 * ais  # the usual shape is judged in bulk


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_decoding_with_bulk_verdicts_gives_the_same_output(path):
    lines = path.read_bytes().split(b"\n")
    plain = list(decode_lines(lines, now=NOW, rows_for=3))
    with_checks = list(decode_lines(lines, now=NOW, rows_for=3, checks=line_checks(path.read_bytes())))
    assert plain == with_checks


def _with_checksum(body: bytes) -> bytes:
    return body + b"*%02X" % xor(body)


SENTENCE = st.sampled_from(
    [b"!AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0", b"!AIVDM,1,1,,B,,0", b"!ABVDO,1,1,,A,1", b"!"]
)
TAG = st.sampled_from(
    [
        b"s:r1,c:1700000000",
        b"c:1671533231123",
        b"g:1-2-3,c:5",
        b"",
        b"c:\xff",
        b"s:a*b",
        b"s:r1,c:0000099999999",
        b"c:99999999999",
        b"s:xc:1700000000",
        b"c:1,c:1700000000",
        b"c:1700000000,s:r1",
        b"s:r1,c:17000000000000",
        b"c:170000000a",
    ]
)


def _sentence(body: bytes) -> bytes:
    """A sentence with its right checksum (the XOR after the leading '!')."""
    return body + b"*%02X" % xor(body[1:])


@st.composite
def lines(draw):
    sentence = draw(SENTENCE)
    line = _sentence(sentence) if draw(st.booleans()) else sentence + b"*" + draw(st.binary(max_size=3))
    if draw(st.booleans()):
        tag = draw(TAG)
        tag = _with_checksum(tag) if draw(st.booleans()) else tag + draw(st.binary(max_size=4))
        line = b"\\" + tag + b"\\" + line
    for _ in range(draw(st.integers(0, 2))):  # flip, drop or insert bytes anywhere
        i = draw(st.integers(0, len(line)))
        op = draw(st.sampled_from(["flip", "drop", "insert"]))
        byte = draw(st.sampled_from([b"*", b"\\", b"!", b",", b"\r", b" ", b"\x80", b"A", b"0"]))
        if op == "flip" and i < len(line):
            line = line[:i] + byte + line[i + 1 :]
        elif op == "drop":
            line = line[:i] + line[i + 1 :]
        else:
            line = line[:i] + byte + line[i:]
    return line + draw(st.sampled_from([b"", b"\r", b" ", b"\r\r"]))


@settings(max_examples=500, deadline=None)
@given(st.lists(lines(), max_size=6), st.booleans())
def test_mutated_lines_get_the_per_line_verdicts(batch, trailing_newline):
    _agree(b"\n".join(batch) + (b"\n" if trailing_newline else b""))


def test_tag_blocks_that_only_look_usual_are_judged_as_the_per_line_code_does():
    body = _sentence(b"!AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0")
    tags = [b"s:r1,c:1700000000", b"s:a*b", b"c:\xff1700000000", b"*", b"s:r1*c:1700000000"]
    data = b"\n".join(b"\\" + _with_checksum(t) + b"\\" + body for t in tags)
    # The first is the usual shape (judged, good); a second '*' or a byte above 127 makes
    # the per-line code distrust the block: bulk must then not call it good.
    assert [v & 12 for v in line_checks(data).verdicts] == [TAG_OK, 0, 0, 0, 0]
    assert all(v & 3 == SENTENCE_OK for v in line_checks(data).verdicts)
    _agree(data)


def test_times_of_the_usual_tag_blocks_are_read_in_bulk():
    tags = [b"s:r1,c:1700000000", b"c:1671533231123", b"s:r1,c:0000099999999", b"g:1-2-3,c:1700000000,s:x"]
    data = b"\n".join(b"\\" + _with_checksum(t) + b"\\" + _sentence(b"!AIVDM,1,1,,A,1,0") for t in tags)
    assert line_checks(data).times == [1_700_000_000_000_000, 1_671_533_231_123_000, 99_999_999_000_000, -1]
    assert _agree(data) == (4, 3)


def test_a_checksum_with_one_hex_digit_is_bad():
    """Found by the property test: "*2 " read as 16 * 2 - 1 = 31 and a line whose XOR was 31
    passed as good. Either digit not hex makes the checksum bad."""
    line = b"!ABVDO**,1,,A,1*2 "
    assert xor(line[1:-3]) == 31  # the case that slipped through
    assert line_checks(line).verdicts[0] & 3 == SENTENCE_BAD
