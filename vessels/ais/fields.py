"""Per-type field extraction from pyais messages into flat records.

Units and "not available" sentinels are normalised here (lat 91, lon 181, speed 102.3,
course 360, heading 511 become None; type 17's arc-minutes become degrees).
"""

from __future__ import annotations

from base64 import b64encode
from collections.abc import Callable, Iterable
from typing import Any

from pyais.bit_vector import SUPPORTS_FAST_PATH
from pyais.constants import NavigationStatus, ShipType
from pyais.messages import (
    MessageType1,
    MessageType2,
    MessageType3,
    MessageType4,
    MessageType5,
    MessageType9,
    MessageType11,
    MessageType17,
    MessageType18,
    MessageType19,
    MessageType21,
    MessageType24PartA,
    MessageType24PartB,
    MessageType24PartBAuxiliaryCraft,
    MessageType27,
    MessageType28,
)

Record = dict[str, Any]


# --- fields -----------------------------------------------------------------------------
# One dict literal per message shape: this runs for every message, and a literal is far
# cheaper than asdict() on the pyais object. Sentinels are compared inline for the same reason.

def _text(s: str | None) -> str | None:
    return (s.rstrip("@ ") or None) if s else None


def _base(m: Any) -> Record:
    return {"type": m.msg_type, "repeat": m.repeat, "mmsi": m.mmsi}


def _dims(m: Any) -> Record:
    return {"to_bow": m.to_bow, "to_stern": m.to_stern, "to_port": m.to_port, "to_starboard": m.to_starboard}


def _class_a(m: Any) -> Record:
    sp, co, hd, lat, lon = m.speed, m.course, m.heading, m.lat, m.lon
    return {"type": m.msg_type, "repeat": m.repeat, "mmsi": m.mmsi, "status": int(m.status),
            "speed": None if sp == 102.3 else sp, "course": None if co == 360.0 else co,
            "heading": None if hd == 511 else hd,
            "lat": None if lat == 91.0 else lat, "lon": None if lon == 181.0 else lon}


def _class_b(m: Any) -> Record:
    sp, co, hd, lat, lon = m.speed, m.course, m.heading, m.lat, m.lon
    return {"type": m.msg_type, "repeat": m.repeat, "mmsi": m.mmsi,
            "speed": None if sp == 102.3 else sp, "course": None if co == 360.0 else co,
            "heading": None if hd == 511 else hd,
            "lat": None if lat == 91.0 else lat, "lon": None if lon == 181.0 else lon}


def _sar(m: Any) -> Record:
    # Type 9 gives speed in whole knots, 1023 = not available.
    sp, co, lat, lon = m.speed, m.course, m.lat, m.lon
    return {"type": m.msg_type, "repeat": m.repeat, "mmsi": m.mmsi,
            "speed": None if sp == 1023 else sp, "course": None if co == 360.0 else co,
            "lat": None if lat == 91.0 else lat, "lon": None if lon == 181.0 else lon}


def _fix(m: Any) -> Record:
    lat, lon = m.lat, m.lon
    return {"type": m.msg_type, "repeat": m.repeat, "mmsi": m.mmsi,
            "lat": None if lat == 91.0 else lat, "lon": None if lon == 181.0 else lon}


def _dgnss_degrees(minutes: float, bits: int) -> float:
    # pyais 3.3.1 returns type 17 lon/lat in 1/10-minute steps read as *unsigned* fields;
    # the standard makes them two's complement, so west and south would come out wrong.
    tenths = round(minutes * 10)
    if tenths >= 1 << (bits - 1):
        tenths -= 1 << bits
    return round(tenths / 600, 6)


def _dgnss(m: Any) -> Record:
    lat, lon = _dgnss_degrees(m.lat, 17), _dgnss_degrees(m.lon, 18)
    return {"type": m.msg_type, "repeat": m.repeat, "mmsi": m.mmsi,
            "lat": None if lat == 91.0 else lat, "lon": None if lon == 181.0 else lon}


def _long_range(m: Any) -> Record:
    # Type 27: pyais already scales its 1/10-minute positions to degrees; speed is whole
    # knots (63 = n/a) and course whole degrees (511 = n/a), unlike types 1-3.
    sp, co, lat, lon = m.speed, m.course, m.lat, m.lon
    return {"type": m.msg_type, "repeat": m.repeat, "mmsi": m.mmsi, "status": int(m.status),
            "speed": None if sp == 63 else sp, "course": None if co == 511 else co,
            "lat": None if lat == 91.0 else lat, "lon": None if lon == 181.0 else lon}


def _static_a(m: Any) -> Record:
    # IMO 0, ship type 0 and draught 0 mean "not available" in ITU-R M.1371.
    return {"type": m.msg_type, "repeat": m.repeat, "mmsi": m.mmsi, "imo": m.imo or None,
            "callsign": _text(m.callsign), "shipname": _text(m.shipname),
            "shiptype": int(m.ship_type) or None, **_dims(m), "draught": m.draught or None,
            "destination": _text(m.destination)}


def _static_b_aux(m: Any) -> Record:
    # An auxiliary craft sends its mother ship's MMSI where others put their dimensions.
    return {"type": m.msg_type, "repeat": m.repeat, "mmsi": m.mmsi,
            "callsign": _text(m.callsign), "shiptype": int(m.ship_type) or None}


def _min_bits(cls: Any, names: Iterable[str]) -> int:
    # A payload that ends inside a field still decodes in pyais, to garbage; evidence must
    # carry every field we take from it. Offsets come from pyais's own decoding plan.
    ends = {name: offset + width for name, offset, width, *_ in cls.decoder_plan()}
    return max(ends[name] for name in names)


_POS = ("mmsi", "lon", "lat")
_DIMS = ("to_bow", "to_stern", "to_port", "to_starboard")
_MOTION = ("status", "speed", "course", "heading")
EXTRACT: dict[type, tuple[Callable[[Any], Record], int]] = {
    cls: (fn, _min_bits(cls, names)) for cls, fn, names in (
        (MessageType1, _class_a, _POS + _MOTION),
        (MessageType2, _class_a, _POS + _MOTION),
        (MessageType3, _class_a, _POS + _MOTION),
        (MessageType4, _fix, _POS),
        (MessageType11, _fix, _POS),
        (MessageType28, _fix, _POS),
        # The destination, last in the message, may be cut short: it is text, so keep it.
        (MessageType5, _static_a, ("imo", "callsign", "shipname", "ship_type", "draught") + _DIMS),
        (MessageType9, _sar, _POS + ("speed", "course")),
        (MessageType17, _dgnss, _POS),
        (MessageType18, _class_b, _POS + _MOTION[1:]),
        (MessageType19, lambda m: {**_class_b(m), "shipname": _text(m.shipname),
                                   "shiptype": int(m.ship_type) or None, **_dims(m)},
         _POS + _MOTION[1:] + ("shipname", "ship_type") + _DIMS),
        (MessageType21, lambda m: {**_fix(m), **_dims(m)}, _POS + _DIMS),
        (MessageType24PartA, lambda m: {**_base(m), "shipname": _text(m.shipname)}, ("mmsi", "shipname")),
        (MessageType24PartB, lambda m: {**_static_b_aux(m), **_dims(m)}, ("mmsi", "ship_type", "callsign") + _DIMS),
        (MessageType24PartBAuxiliaryCraft, _static_b_aux, ("mmsi", "ship_type", "callsign")),
        (MessageType27, _long_range, _POS + _MOTION[:3]),
    )
}
DEFAULT = (_base, 38)  # type, repeat and a complete MMSI


# --- fast path for the bulk of traffic ----------------------------------------------------
# Types 1-3 (class A) and 18 (class B) are ~75 % of a typical feed. For a complete 168-bit
# payload their fields are read straight from pyais's bit vector (the payload as one int,
# the same representation pyais's own fast path uses), with shifts taken from pyais's
# decoding plan and pyais's converters reproduced exactly (integer lat/lon rounding as in
# pyais.messages.to_lat_lon); no message object is built. Any other length goes the
# generic way. tests/vessels/test_ais_decode.py checks both ways agree on every capture.

def _shifts(cls: Any, *names: str, bits: int = 168) -> tuple[int, ...]:
    plan = {name: (offset, width) for name, offset, width, *_ in cls.decoder_plan()}
    return tuple(bits - plan[n][0] - plan[n][1] for n in names)


_STATUS = tuple(int(NavigationStatus.from_value(i)) for i in range(16))
_A_ST, _A_SP, _A_LON, _A_LAT, _A_CO, _A_HD = _shifts(MessageType1, "status", "speed", "lon", "lat", "course", "heading")
_B_SP, _B_LON, _B_LAT, _B_CO, _B_HD = _shifts(MessageType18, "speed", "lon", "lat", "course", "heading")
_4_LON, _4_LAT = _shifts(MessageType4, "lon", "lat")
assert _shifts(MessageType1, "mmsi") == _shifts(MessageType18, "mmsi") == _shifts(MessageType4, "mmsi") == (130,)

# A position tuple: (type, repeat, mmsi, status, speed, course, heading, lat, lon), None where
# the message has no such field or says "not available". Bulk ingest packs COPY rows straight
# from it (rows.pack_tuple); the record functions below turn it into the usual dict.
Position = tuple


def _degrees(v: int, lon_shift: int, lat_shift: int) -> tuple[float | None, float | None]:
    # Two's complement lon (28 bits) and lat (27 bits) in 1/10,000 minute, rounded as
    # pyais.messages.to_lat_lon does; 91° and 181° are the "not available" values.
    lon = (v >> lon_shift) & 0xFFFFFFF
    if lon & 0x8000000:
        lon -= 0x10000000
    lat = (v >> lat_shift) & 0x7FFFFFF
    if lat & 0x4000000:
        lat -= 0x8000000
    return (None if lat == 54600000 else ((10 * lat + 3) // 6) / 1e6,
            None if lon == 108600000 else ((10 * lon + 3) // 6) / 1e6)


def pos_class_a(v: int) -> Position:
    """Types 1-3 from the payload int of a 168-bit message."""
    lat, lon = _degrees(v, _A_LON, _A_LAT)
    sp, co, hd = (v >> _A_SP) & 1023, (v >> _A_CO) & 4095, (v >> _A_HD) & 511
    return (v >> 162, (v >> 160) & 3, (v >> 130) & 0x3FFFFFFF, _STATUS[(v >> _A_ST) & 15],
            None if sp == 1023 else sp / 10.0, None if co == 3600 else co / 10.0, None if hd == 511 else hd, lat, lon)


def pos_class_b(v: int) -> Position:
    """Type 18 from the payload int of a 168-bit message."""
    lat, lon = _degrees(v, _B_LON, _B_LAT)
    sp, co, hd = (v >> _B_SP) & 1023, (v >> _B_CO) & 4095, (v >> _B_HD) & 511
    return (18, (v >> 160) & 3, (v >> 130) & 0x3FFFFFFF, None,
            None if sp == 1023 else sp / 10.0, None if co == 3600 else co / 10.0, None if hd == 511 else hd, lat, lon)


def pos_base_station(v: int) -> Position:
    """Type 4 from the payload int of a 168-bit message."""
    lat, lon = _degrees(v, _4_LON, _4_LAT)
    return (4, (v >> 160) & 3, (v >> 130) & 0x3FFFFFFF, None, None, None, None, lat, lon)


def fast_class_a(v: int) -> Record:
    """Types 1-3 as a record (same as _class_a on pyais's message)."""
    t, rp, mmsi, st, sp, co, hd, lat, lon = pos_class_a(v)
    return {"type": t, "repeat": rp, "mmsi": mmsi, "status": st, "speed": sp, "course": co, "heading": hd,
            "lat": lat, "lon": lon}


def fast_class_b(v: int) -> Record:
    """Type 18 as a record (same as _class_b on pyais's message)."""
    t, rp, mmsi, _, sp, co, hd, lat, lon = pos_class_b(v)
    return {"type": t, "repeat": rp, "mmsi": mmsi, "speed": sp, "course": co, "heading": hd, "lat": lat, "lon": lon}


def fast_base_station(v: int) -> Record:
    """Type 4 as a record (same as _fix on pyais's message)."""
    t, rp, mmsi, *_, lat, lon = pos_base_station(v)
    return {"type": t, "repeat": rp, "mmsi": mmsi, "lat": lat, "lon": lon}


# Six-bit text as pyais's get_str reads it (value v -> chr(v + 64) below 32, else chr(v)), but
# a whole field at once: the field's bits go through base64 (in C) and one translate.
_B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_SIXBIT = bytes.maketrans(_B64, bytes(v + 64 if v < 32 else v for v in range(64)))


def _sixbit(field: int, chars: int) -> str | None:
    pad = -6 * chars % 24
    s = b64encode((field << pad).to_bytes((6 * chars + pad) // 8, "big"))[:chars].translate(_SIXBIT).decode()
    s = s.rstrip("@").strip()  # get_str
    return (s.rstrip("@ ") or None) if s else None  # _text


_SHIPTYPE = tuple(int(ShipType.from_value(i)) for i in range(256))
_5_BITS = 424
(_5_IMO, _5_CALL, _5_NAME, _5_TYPE, _5_BOW, _5_STERN, _5_PORT, _5_STAR, _5_DRAUGHT, _5_DEST) = _shifts(
    MessageType5, "imo", "callsign", "shipname", "ship_type", "to_bow", "to_stern", "to_port", "to_starboard",
    "draught", "destination", bits=_5_BITS)


def fast_static_a(v: int) -> Record:
    """Type 5 from the payload int of a complete 424-bit message (same record as _static_a)."""
    return {"type": 5, "repeat": (v >> (_5_BITS - 8)) & 3, "mmsi": (v >> (_5_BITS - 38)) & 0x3FFFFFFF,
            "imo": (v >> _5_IMO) & 0x3FFFFFFF or None,
            "callsign": _sixbit((v >> _5_CALL) & 0x3FFFFFFFFFF, 7),
            "shipname": _sixbit((v >> _5_NAME) & ((1 << 120) - 1), 20),
            "shiptype": _SHIPTYPE[(v >> _5_TYPE) & 255] or None,
            "to_bow": (v >> _5_BOW) & 511, "to_stern": (v >> _5_STERN) & 511,
            "to_port": (v >> _5_PORT) & 63, "to_starboard": (v >> _5_STAR) & 63,
            "draught": ((v >> _5_DRAUGHT) & 255) / 10.0 or None,
            "destination": _sixbit((v >> _5_DEST) & ((1 << 120) - 1), 20)}


# Types whose record is only type, repeat and MMSI and which pyais decodes with its generic,
# non-dispatching plan (so decoding cannot fail once the MMSI is complete): the fields are
# read straight from the payload, whatever its length (>= 38 bits).
BASE_ONLY = frozenset({7, 10, 12, 13, 14, 15, 20, 23}) if SUPPORTS_FAST_PATH else frozenset()


def fast_base(v: int, bits: int) -> Record:
    v >>= bits - 38
    return {"type": v >> 32, "repeat": (v >> 30) & 3, "mmsi": v & 0x3FFFFFFF}


# (ais_id, payload bits) -> extractor; empty where pyais keeps payloads as words (PyPy).
FAST: dict[tuple[int, int], Callable[[int], Record]] = {
    (1, 168): fast_class_a, (2, 168): fast_class_a, (3, 168): fast_class_a, (18, 168): fast_class_b,
    (4, 168): fast_base_station, (5, _5_BITS): fast_static_a,
} if SUPPORTS_FAST_PATH else {}
# (ais_id, payload bits) -> position tuple, for the messages bulk ingest packs without a record.
FAST_POSITION: dict[tuple[int, int], Callable[[int], Position]] = {
    (1, 168): pos_class_a, (2, 168): pos_class_a, (3, 168): pos_class_a, (18, 168): pos_class_b,
    (4, 168): pos_base_station,
} if SUPPORTS_FAST_PATH else {}
