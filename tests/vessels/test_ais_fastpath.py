"""The decoder's fast paths (fields.FAST, the tag-block time, one-struct COPY rows, rows packed
without a record for bulk ingest) must give exactly what the generic pyais path gives: they
exist only for ingest speed (performance.md)."""

from __future__ import annotations

import struct
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyais.bit_vector import bit_vector
from pyais.messages import MSG_CLASS, TagBlock

import vessels.ais.decode as decode_mod
from vessels.ais.decode import Quarantine, decode_file, decode_lines
from vessels.ais.fastpath import BASE_ONLY, FAST, FAST_POSITION, fast_base
from vessels.ais.fields import DEFAULT, EXTRACT
from vessels.ais.partitions import week_of_day, week_start
from vessels.ais.rows import from_us, pack_position, pack_tuple, to_us

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "ais"
NOW = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
_B64 = "0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVW`abcdefghijklmnopqrstuvw"


def _payload(value: int, bits: int) -> bytes:
    """The armoured payload of a `bits`-bit message (pads to whole characters with fill bits)."""
    chars = -(-bits // 6)
    v = value << (chars * 6 - bits)
    return "".join(_B64[(v >> (6 * (chars - 1 - i))) & 63] for i in range(chars)).encode()


def _generic(ais_id: int, bv) -> dict:
    msg = MSG_CLASS[ais_id].from_vector(bv)
    fn, _ = EXTRACT.get(msg.__class__, DEFAULT)
    return fn(msg)


def _sample(keys):
    # Type 21 is registered for each of its 89 lengths; a few stand for them all.
    return sorted(k for k in keys if k[0] != 21 or k[1] in (272, 273, 278, 300, 360))


@pytest.mark.parametrize(("ais_id", "bits"), _sample(FAST))
@settings(max_examples=300, deadline=None)
@given(rest=st.integers(min_value=0))
def test_fast_extractors_equal_pyais(ais_id, bits, rest):
    value = (ais_id << (bits - 6)) | (rest % (1 << (bits - 6)))
    fill = -bits % 6
    bv = bit_vector(_payload(value, bits), fill)
    assert len(bv) == bits and bv._value == value
    fast = FAST[(ais_id, bits)](value)
    try:
        msg = MSG_CLASS[ais_id].from_vector(bv)
    except Exception:  # noqa: BLE001 - pyais refuses it (type 24 part 2 or 3): no fast record either
        assert fast is None
        return
    fn, min_bits = EXTRACT.get(msg.__class__, DEFAULT)
    if fast is None:  # left to the generic path, which must find it cut short (part B in 160 bits)
        assert bits < min_bits
    else:
        assert fast == fn(msg)


@pytest.mark.parametrize("ais_id", sorted(BASE_ONLY))
@settings(max_examples=300, deadline=None)
@given(bits=st.integers(min_value=38, max_value=1008), rest=st.integers(min_value=0))
def test_base_only_types_equal_pyais(ais_id, bits, rest):
    value = (ais_id << (bits - 6)) | (rest % (1 << (bits - 6)))
    bv = bit_vector(_payload(value, bits), -bits % 6)
    assert fast_base(value, bits) == _generic(ais_id, bv)


@pytest.mark.parametrize("ais_id", [1, 2, 3, 18])
def test_fast_sentinels_and_extremes(ais_id):
    # lat 91 / lon 181 (in 1/10,000 min), speed 1023, course 3600, heading 511, and negative extremes
    plan = {n: (o, w) for n, o, w, *_ in MSG_CLASS[ais_id].decoder_plan()}

    def put(v, name, x):
        o, w = plan[name]
        return v | ((x & ((1 << w) - 1)) << (168 - o - w))

    for lat, lon, sp, co, hd in [
        (54600000, 108600000, 1023, 3600, 511),
        (-(1 << 26), -(1 << 27), 0, 0, 0),
        ((1 << 26) - 1, (1 << 27) - 1, 1022, 3599, 359),
        (0, 0, 1, 1, 1),
    ]:
        v = ais_id << 162
        for name, x in (
            ("lat", lat),
            ("lon", lon),
            ("speed", sp),
            ("course", co),
            ("heading", hd),
            ("mmsi", 412345678),
        ):
            v = put(v, name, x)
        assert FAST[(ais_id, 168)](v) == _generic(ais_id, bit_vector(_payload(v, 168), 0))


def _records(path: Path) -> list:
    out = []
    for r in decode_file(path, now=NOW):
        out.append((r.line_no, r.raw, r.reason, r.detail) if isinstance(r, Quarantine) else r)
    return out


CAPTURES = sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in {".txt", ".nmea", ".ais", ".aivdm"})


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_captures_decode_the_same_without_fast_paths(path, monkeypatch):
    fast = _records(path)
    monkeypatch.setattr(decode_mod, "FAST", {})
    assert fast == _records(path)


def _pyais_tag_time(raw: bytes, notes: Counter) -> datetime | None:
    """The old implementation: pyais's TagBlock parsed in full."""
    tb = TagBlock(raw)
    tb.init()
    if not tb.is_valid:
        notes["tag_block_bad_checksum"] += 1
        return None
    c = tb.receiver_timestamp
    if not c:
        return None
    try:
        t = float(c)
        return datetime.fromtimestamp(t / 1000 if t > 1e11 else t, UTC)
    except (ValueError, OverflowError, OSError):
        notes["tag_block_bad_time"] += 1
        return None


def _with_checksum(body: bytes) -> bytes:
    x = 0
    for b in body:
        x ^= b
    return body + b"*%02X" % x


TAG_PARTS = st.lists(
    st.sampled_from(
        [
            b"c:1671533231",
            b"c:1671533231123",
            b"s:2573535",
            b"c:",
            b"c:x1",
            b"xc:5",
            b"g:1-2-73874",
            b"g:bad",
            b"c:1e400",
            b"n:3",
            b"c:12:34",
            b"",
            b"\xff",
            b"c:-5",
            b"c: 17 ",
            b"*",
            b"c:1_700_000_000",
        ]
    ),
    max_size=5,
)


@settings(max_examples=400, deadline=None)
@given(parts=TAG_PARTS, good=st.booleans(), noise=st.binary(max_size=3))
def test_tag_time_equals_pyais_tagblock(parts, good, noise):
    body = b",".join(parts)
    raw = _with_checksum(body) if good else body + b"*" + noise
    a, b = Counter(), Counter()
    reference = _pyais_tag_time(raw, b)
    assert decode_mod._tag_us(raw, a) == (None if reference is None else to_us(reference))
    assert a == b


@settings(max_examples=300, deadline=None)
@given(seconds=st.integers(0, 10**11), ms=st.integers(10**11 + 1, 253_402_300_799_999))
def test_tag_time_integers_are_exact(seconds, ms):
    for c, us in ((seconds, seconds * 1_000_000), (ms, ms * 1000)):
        raw = _with_checksum(b"s:x,c:%d" % c)
        assert decode_mod._tag_us(raw, Counter()) == us
        assert from_us(us) == datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=us)
    notes = Counter()
    assert decode_mod._tag_us(_with_checksum(b"c:253402300800000"), notes) is None  # year 10000
    assert notes == {"tag_block_bad_time": 1}


@settings(max_examples=300, deadline=None)
@given(day=st.integers(-20_000, 2_000_000))
def test_week_of_day_equals_week_start(day):
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(days=day, hours=23)
    assert week_of_day(day) == week_start(moment)


def _reference_row(r: dict, source_id: int) -> bytes:
    null = struct.pack("!i", -1)
    ts = (r["timestamp"] - datetime(2000, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    return b"".join(
        (
            struct.pack("!hiiiqididi", 11, 4, r["mmsi"], 8, ts, 8, r["lon"], 8, r["lat"], 25),
            struct.pack(">BIIdd", 0, 0x20000001, 4326, r["lon"], r["lat"]),  # EWKB, big-endian (XDR)
            null if r["speed"] is None else struct.pack("!if", 4, r["speed"]),
            null if r["course"] is None else struct.pack("!if", 4, r["course"]),
            null if r["heading"] is None else struct.pack("!ih", 2, r["heading"]),
            null if r.get("status") is None else struct.pack("!ih", 2, r["status"]),
            struct.pack("!ihii", 2, r["type"], 4, source_id),
        )
    )


@settings(max_examples=300, deadline=None)
@given(
    speed=st.one_of(st.none(), st.floats(0, 102.2)),
    course=st.one_of(st.none(), st.floats(0, 359.9)),
    heading=st.one_of(st.none(), st.integers(0, 359)),
    status=st.one_of(st.none(), st.integers(0, 15)),
)
def test_packed_rows_match_the_reference_layout(speed, course, heading, status):
    r = {
        "type": 1,
        "mmsi": 412345678,
        "lon": 122.5,
        "lat": -31.25,
        "speed": speed,
        "course": course,
        "heading": heading,
        "timestamp": datetime(2026, 11, 23, 8, 0, 1, 123457, tzinfo=UTC),
    }
    if status is not None:
        r["status"] = status
    assert pack_position(r, 7) == _reference_row(r, 7)


@pytest.mark.parametrize("key", _sample(FAST_POSITION))
@settings(max_examples=300, deadline=None)
@given(rest=st.integers(min_value=0), ts=st.integers(0, 4_102_444_800_000_000))
def test_rows_packed_without_a_record_equal_the_record_path(key, rest, ts):
    ais_id, bits = key
    value = (ais_id << (bits - 6)) | (rest % (1 << (bits - 6)))
    record = {**FAST[key](value), "timestamp": from_us(ts)}
    assert pack_tuple(FAST_POSITION[key](value), ts, 7) == pack_position(record, 7)


@pytest.mark.parametrize("path", CAPTURES, ids=lambda p: p.name)
def test_captures_give_the_same_rows_with_and_without_records(path):
    lines = path.read_bytes().split(b"\n")
    plain = list(decode_lines(lines, now=NOW))
    packed = list(decode_lines(lines, now=NOW, rows_for=7))
    assert len(plain) == len(packed)
    n_packed = 0
    for a, b in zip(plain, packed, strict=False):
        if b.__class__ is tuple:  # (line_no, µs, row)
            n_packed += 1
            assert a["type"] in (1, 2, 3, 4, 9, 18, 21, 27)
            assert b == (a["line_no"], to_us(a["timestamp"]), pack_position(a, 7))
        else:
            assert a == b
    if "stream_example" in path.name:
        assert n_packed > 3000
