"""Fast paths: the fields of the usual messages read straight from pyais's bit vector.

Types 1-3 (class A) and 18 (class B) are ~75 % of a typical feed. For a complete payload of
the usual length their fields are read straight from pyais's bit vector (the payload as one
int, the same representation pyais's own fast path uses), with shifts taken from pyais's
decoding plan and pyais's converters reproduced exactly (integer lat/lon rounding as in
pyais.messages.to_lat_lon); no message object is built. Any other length goes the generic
way (fields.EXTRACT on pyais's decode). tests/vessels/test_ais_fastpath.py checks each fast
path against pyais's generic decode with hypothesis, sentinels and extremes, and every
capture decodes the same with the fast paths switched off.
"""

from __future__ import annotations

from base64 import b64encode
from collections.abc import Callable
from typing import Any

from pyais.bit_vector import SUPPORTS_FAST_PATH
from pyais.constants import NavigationStatus, ShipType
from pyais.messages import (
    MessageType1,
    MessageType4,
    MessageType5,
    MessageType9,
    MessageType18,
    MessageType21,
    MessageType24PartA,
    MessageType24PartB,
    MessageType27,
)
from pyais.util import is_auxiliary_craft

from vessels.ais.fields import Record


def _shifts(cls: Any, *names: str, bits: int = 168) -> tuple[int, ...]:
    plan = {name: (offset, width) for name, offset, width, *_ in cls.decoder_plan()}
    return tuple(bits - plan[n][0] - plan[n][1] for n in names)


_STATUS = tuple(int(NavigationStatus(i)) for i in range(16))  # what from_value gives for an int
_A_ST, _A_SP, _A_LON, _A_LAT, _A_CO, _A_HD = _shifts(MessageType1, "status", "speed", "lon", "lat", "course", "heading")
_B_SP, _B_LON, _B_LAT, _B_CO, _B_HD = _shifts(MessageType18, "speed", "lon", "lat", "course", "heading")
_4_LON, _4_LAT = _shifts(MessageType4, "lon", "lat")
_9_SP, _9_LON, _9_LAT, _9_CO = _shifts(MessageType9, "speed", "lon", "lat", "course")
assert _shifts(MessageType1, "mmsi") == _shifts(MessageType18, "mmsi") == _shifts(MessageType4, "mmsi") == (130,)
assert _shifts(MessageType9, "mmsi") == (130,)

# A position tuple: (type, repeat, mmsi, status, speed, course, heading, lat, lon), None where
# the message has no such field or says "not available". Bulk ingest packs COPY rows straight
# from it (rows.pack_tuple); the record functions below turn it into the usual dict.
Position = tuple


# Coordinate units: (lon mask, sign bit, span, lat mask, sign bit, span, k, 90° and 180° in these units).
# 1/10,000 minute in 28/27 bits (most types), 1/10 minute in 18/17 bits (type 27).
_TEN_THOUSANDTH_MINUTE = (0xFFFFFFF, 0x8000000, 0x10000000, 0x7FFFFFF, 0x4000000, 0x8000000, 10, 54000000, 108000000)
_TENTH_MINUTE = (0x3FFFF, 0x20000, 0x40000, 0x1FFFF, 0x10000, 0x20000, 10000, 54000, 108000)


def _degrees(
    v: int, lon_shift: int, lat_shift: int, units: tuple = _TEN_THOUSANDTH_MINUTE
) -> tuple[float | None, float | None]:
    # Two's complement lon and lat, rounded to 1e-6 degree as pyais.messages.to_lat_lon and
    # to_lat_lon_600 do with integers (degrees * 1e6 = value * k / 6, to the nearest). Beyond
    # ±90° / ±180° is no position: 91° and 181° are "not available", and the fields' bits reach
    # further (a corrupt or test message), which must not become a point on the map.
    lon_mask, lon_sign, lon_span, lat_mask, lat_sign, lat_span, k, max_lat, max_lon = units
    lon = (v >> lon_shift) & lon_mask
    if lon & lon_sign:
        lon -= lon_span
    lat = (v >> lat_shift) & lat_mask
    if lat & lat_sign:
        lat -= lat_span
    return (
        ((k * lat + 3) // 6) / 1e6 if -max_lat <= lat <= max_lat else None,
        ((k * lon + 3) // 6) / 1e6 if -max_lon <= lon <= max_lon else None,
    )


def pos_class_a(v: int) -> Position:
    """Types 1-3 from the payload int of a 168-bit message."""
    lat, lon = _degrees(v, _A_LON, _A_LAT)
    sp, co, hd = (v >> _A_SP) & 1023, (v >> _A_CO) & 4095, (v >> _A_HD) & 511
    return (
        v >> 162,
        (v >> 160) & 3,
        (v >> 130) & 0x3FFFFFFF,
        _STATUS[(v >> _A_ST) & 15],
        None if sp == 1023 else sp / 10.0,
        None if co == 3600 else co / 10.0,
        None if hd == 511 else hd,
        lat,
        lon,
    )


def pos_class_b(v: int) -> Position:
    """Type 18 from the payload int of a 168-bit message."""
    lat, lon = _degrees(v, _B_LON, _B_LAT)
    sp, co, hd = (v >> _B_SP) & 1023, (v >> _B_CO) & 4095, (v >> _B_HD) & 511
    return (
        18,
        (v >> 160) & 3,
        (v >> 130) & 0x3FFFFFFF,
        None,
        None if sp == 1023 else sp / 10.0,
        None if co == 3600 else co / 10.0,
        None if hd == 511 else hd,
        lat,
        lon,
    )


def pos_base_station(v: int) -> Position:
    """Type 4 (or 11, the same layout) from the payload int of a 168-bit message."""
    lat, lon = _degrees(v, _4_LON, _4_LAT)
    return (v >> 162, (v >> 160) & 3, (v >> 130) & 0x3FFFFFFF, None, None, None, None, lat, lon)


def pos_sar(v: int) -> Position:
    """Type 9 (SAR aircraft) from the payload int of a 168-bit message: speed in whole knots."""
    lat, lon = _degrees(v, _9_LON, _9_LAT)
    sp, co = (v >> _9_SP) & 1023, (v >> _9_CO) & 4095
    return (
        9,
        (v >> 160) & 3,
        (v >> 130) & 0x3FFFFFFF,
        None,
        None if sp == 1023 else sp,
        None if co == 3600 else co / 10.0,
        None,
        lat,
        lon,
    )


_27_BITS = 96
_27_ST, _27_LON, _27_LAT, _27_SP, _27_CO = _shifts(
    MessageType27, "status", "lon", "lat", "speed", "course", bits=_27_BITS
)


def pos_long_range(v: int) -> Position:
    """Type 27 from the payload int of a 96-bit message: lon/lat in 1/10 minute (pyais's
    to_lat_lon_600), speed in whole knots (63 = n/a), course in whole degrees (511 = n/a)."""
    lat, lon = _degrees(v, _27_LON, _27_LAT, _TENTH_MINUTE)
    sp, co = (v >> _27_SP) & 63, (v >> _27_CO) & 511
    return (
        27,
        (v >> 88) & 3,
        (v >> 58) & 0x3FFFFFFF,
        _STATUS[(v >> _27_ST) & 15],
        None if sp == 63 else sp,
        None if co == 511 else co,
        None,
        lat,
        lon,
    )


_21_BITS = 272  # without the optional name extension, which the record does not use
_21_LON, _21_LAT, _21_BOW, _21_STERN, _21_PORT, _21_STAR = _shifts(
    MessageType21, "lon", "lat", "to_bow", "to_stern", "to_port", "to_starboard", bits=_21_BITS
)


def pos_aid(v: int) -> Position:
    """Type 21 (aid to navigation) from the first 272 bits of its payload int."""
    lat, lon = _degrees(v, _21_LON, _21_LAT)
    return (21, (v >> 264) & 3, (v >> 234) & 0x3FFFFFFF, None, None, None, None, lat, lon)


def fast_class_a(v: int) -> Record:
    """Types 1-3 as a record (same as _class_a on pyais's message)."""
    t, rp, mmsi, st, sp, co, hd, lat, lon = pos_class_a(v)
    return {
        "type": t,
        "repeat": rp,
        "mmsi": mmsi,
        "status": st,
        "speed": sp,
        "course": co,
        "heading": hd,
        "lat": lat,
        "lon": lon,
    }


def fast_class_b(v: int) -> Record:
    """Type 18 as a record (same as _class_b on pyais's message)."""
    t, rp, mmsi, _, sp, co, hd, lat, lon = pos_class_b(v)
    return {"type": t, "repeat": rp, "mmsi": mmsi, "speed": sp, "course": co, "heading": hd, "lat": lat, "lon": lon}


def fast_base_station(v: int) -> Record:
    """Type 4 or 11 as a record (same as _fix on pyais's message)."""
    t, rp, mmsi, *_, lat, lon = pos_base_station(v)
    return {"type": t, "repeat": rp, "mmsi": mmsi, "lat": lat, "lon": lon}


def fast_sar(v: int) -> Record:
    """Type 9 as a record (same as _sar on pyais's message)."""
    t, rp, mmsi, _, sp, co, _, lat, lon = pos_sar(v)
    return {"type": t, "repeat": rp, "mmsi": mmsi, "speed": sp, "course": co, "lat": lat, "lon": lon}


def fast_long_range(v: int) -> Record:
    """Type 27 as a record (same as _long_range on pyais's message)."""
    t, rp, mmsi, st, sp, co, _, lat, lon = pos_long_range(v)
    return {"type": t, "repeat": rp, "mmsi": mmsi, "status": st, "speed": sp, "course": co, "lat": lat, "lon": lon}


def fast_aid(v: int) -> Record:
    """Type 21 as a record (same as fields' type-21 extractor on pyais's message)."""
    t, rp, mmsi, *_, lat, lon = pos_aid(v)
    return {
        "type": t,
        "repeat": rp,
        "mmsi": mmsi,
        "lat": lat,
        "lon": lon,
        "to_bow": (v >> _21_BOW) & 511,
        "to_stern": (v >> _21_STERN) & 511,
        "to_port": (v >> _21_PORT) & 63,
        "to_starboard": (v >> _21_STAR) & 63,
    }


# Six-bit text as pyais's get_str reads it (value v -> chr(v + 64) below 32, else chr(v)), but
# a whole field at once: the field's bits go through base64 (in C) and one translate.
_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_SIXBIT = bytes.maketrans(_B64, bytes(v + 64 if v < 32 else v for v in range(64)))


def _sixbit(field: int, chars: int) -> str | None:
    pad = -6 * chars % 24
    s = b64encode((field << pad).to_bytes((6 * chars + pad) // 8, "big"))[:chars].translate(_SIXBIT).decode()
    s = s.rstrip("@").strip()  # get_str
    return (s.rstrip("@ ") or None) if s else None  # _text


_SHIPTYPE = tuple(int(ShipType(i)) for i in range(256))  # what from_value gives for an int
_5_BITS = 424
(_5_IMO, _5_CALL, _5_NAME, _5_TYPE, _5_BOW, _5_STERN, _5_PORT, _5_STAR, _5_DRAUGHT, _5_DEST) = _shifts(
    MessageType5,
    "imo",
    "callsign",
    "shipname",
    "ship_type",
    "to_bow",
    "to_stern",
    "to_port",
    "to_starboard",
    "draught",
    "destination",
    bits=_5_BITS,
)


def fast_static_a(v: int) -> Record:
    """Type 5 from the payload int of a complete 424-bit message (same record as _static_a)."""
    return {
        "type": 5,
        "repeat": (v >> (_5_BITS - 8)) & 3,
        "mmsi": (v >> (_5_BITS - 38)) & 0x3FFFFFFF,
        "imo": (v >> _5_IMO) & 0x3FFFFFFF or None,
        "callsign": _sixbit((v >> _5_CALL) & 0x3FFFFFFFFFF, 7),
        "shipname": _sixbit((v >> _5_NAME) & ((1 << 120) - 1), 20),
        "shiptype": _SHIPTYPE[(v >> _5_TYPE) & 255] or None,
        "to_bow": (v >> _5_BOW) & 511,
        "to_stern": (v >> _5_STERN) & 511,
        "to_port": (v >> _5_PORT) & 63,
        "to_starboard": (v >> _5_STAR) & 63,
        "draught": ((v >> _5_DRAUGHT) & 255) / 10.0 or None,
        "destination": _sixbit((v >> _5_DEST) & ((1 << 120) - 1), 20),
    }


(_24_NAME,) = _shifts(MessageType24PartA, "shipname")
_24_TYPE, _24_CALL, _24_BOW, _24_STERN, _24_PORT, _24_STAR = _shifts(
    MessageType24PartB, "ship_type", "callsign", "to_bow", "to_stern", "to_port", "to_starboard"
)


def fast_static_b(v: int, complete: bool = True) -> Record | None:
    """Type 24 from the payload int of a 168-bit message (part A: the name; part B: call
    sign, ship type and dimensions, or the mother ship for an auxiliary craft). None for what
    the generic path must judge: part numbers 2 and 3, which pyais refuses, and a part B cut
    short (complete=False: a 160-bit payload, shifted to 168 bits)."""
    rp, mmsi, part = (v >> 160) & 3, (v >> 130) & 0x3FFFFFFF, (v >> 128) & 3
    if part == 0:
        return {"type": 24, "repeat": rp, "mmsi": mmsi, "shipname": _sixbit((v >> _24_NAME) & ((1 << 120) - 1), 20)}
    if part != 1 or not complete:
        return None
    rec = {
        "type": 24,
        "repeat": rp,
        "mmsi": mmsi,
        "callsign": _sixbit((v >> _24_CALL) & 0x3FFFFFFFFFF, 7),
        "shiptype": (v >> _24_TYPE) & 255 or None,
    }
    if not is_auxiliary_craft(mmsi):
        rec.update(
            to_bow=(v >> _24_BOW) & 511,
            to_stern=(v >> _24_STERN) & 511,
            to_port=(v >> _24_PORT) & 63,
            to_starboard=(v >> _24_STAR) & 63,
        )
    return rec


# Types whose record is only type, repeat and MMSI and which pyais decodes with its generic,
# non-dispatching plan (so decoding cannot fail once the MMSI is complete): the fields are
# read straight from the payload, whatever its length (>= 38 bits).
BASE_ONLY = frozenset({7, 10, 12, 13, 14, 15, 20, 23}) if SUPPORTS_FAST_PATH else frozenset()


def fast_base(v: int, bits: int) -> Record:
    v >>= bits - 38
    return {"type": v >> 32, "repeat": (v >> 30) & 3, "mmsi": v & 0x3FFFFFFF}


def _first(fn: Callable[[int], Any], bits: int, keep: int) -> Callable[[int], Any]:
    """fn on the first `keep` bits of a `bits`-bit payload int."""
    if bits == keep:
        return fn
    return lambda v: fn(v >> (bits - keep))


# (ais_id, payload bits) -> extractor (None: use the generic path after all); empty where
# pyais keeps payloads as words (PyPy). Type 21 carries an optional name extension of up to
# 88 bits; type 24 part A is sent with or without its 8 spare bits.
FAST: dict[tuple[int, int], Callable[[int], Record | None]] = (
    {
        (1, 168): fast_class_a,
        (2, 168): fast_class_a,
        (3, 168): fast_class_a,
        (18, 168): fast_class_b,
        (4, 168): fast_base_station,
        (11, 168): fast_base_station,
        (5, _5_BITS): fast_static_a,
        (9, 168): fast_sar,
        (27, _27_BITS): fast_long_range,
        (24, 168): fast_static_b,
        (24, 160): lambda v: fast_static_b(v << 8, complete=False),
        **{(21, b): _first(fast_aid, b, _21_BITS) for b in range(_21_BITS, _21_BITS + 89)},
    }
    if SUPPORTS_FAST_PATH
    else {}
)
# (ais_id, payload bits) -> position tuple, for the messages bulk ingest packs without a record.
FAST_POSITION: dict[tuple[int, int], Callable[[int], Position]] = (
    {
        (1, 168): pos_class_a,
        (2, 168): pos_class_a,
        (3, 168): pos_class_a,
        (18, 168): pos_class_b,
        (4, 168): pos_base_station,
        (9, 168): pos_sar,
        (27, _27_BITS): pos_long_range,
        **{(21, b): _first(pos_aid, b, _21_BITS) for b in range(_21_BITS, _21_BITS + 89)},
    }
    if SUPPORTS_FAST_PATH
    else {}
)
