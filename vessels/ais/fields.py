"""Per-type field extraction from pyais messages into flat records.

Units and "not available" sentinels are normalised here (lat 91, lon 181, speed 102.3,
course 360, heading 511 become None; type 17's arc-minutes become degrees). A latitude beyond
±90° or longitude beyond ±180° is no position either (None), whatever the bits say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

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
    return {
        "type": m.msg_type,
        "repeat": m.repeat,
        "mmsi": m.mmsi,
        "status": int(m.status),
        "speed": None if sp == 102.3 else sp,
        "course": None if co == 360.0 else co,
        "heading": None if hd == 511 else hd,
        "lat": lat if -90.0 <= lat <= 90.0 else None,
        "lon": lon if -180.0 <= lon <= 180.0 else None,
    }


def _class_b(m: Any) -> Record:
    sp, co, hd, lat, lon = m.speed, m.course, m.heading, m.lat, m.lon
    return {
        "type": m.msg_type,
        "repeat": m.repeat,
        "mmsi": m.mmsi,
        "speed": None if sp == 102.3 else sp,
        "course": None if co == 360.0 else co,
        "heading": None if hd == 511 else hd,
        "lat": lat if -90.0 <= lat <= 90.0 else None,
        "lon": lon if -180.0 <= lon <= 180.0 else None,
    }


def _sar(m: Any) -> Record:
    # Type 9 gives speed in whole knots, 1023 = not available.
    sp, co, lat, lon = m.speed, m.course, m.lat, m.lon
    return {
        "type": m.msg_type,
        "repeat": m.repeat,
        "mmsi": m.mmsi,
        "speed": None if sp == 1023 else sp,
        "course": None if co == 360.0 else co,
        "lat": lat if -90.0 <= lat <= 90.0 else None,
        "lon": lon if -180.0 <= lon <= 180.0 else None,
    }


def _fix(m: Any) -> Record:
    lat, lon = m.lat, m.lon
    return {
        "type": m.msg_type,
        "repeat": m.repeat,
        "mmsi": m.mmsi,
        "lat": lat if -90.0 <= lat <= 90.0 else None,
        "lon": lon if -180.0 <= lon <= 180.0 else None,
    }


def _dgnss_degrees(minutes: float, bits: int) -> float:
    # pyais 3.3.1 returns type 17 lon/lat in 1/10-minute steps read as *unsigned* fields;
    # the standard makes them two's complement, so west and south would come out wrong.
    tenths = round(minutes * 10)
    if tenths >= 1 << (bits - 1):
        tenths -= 1 << bits
    return round(tenths / 600, 6)


def _dgnss(m: Any) -> Record:
    lat, lon = _dgnss_degrees(m.lat, 17), _dgnss_degrees(m.lon, 18)
    return {
        "type": m.msg_type,
        "repeat": m.repeat,
        "mmsi": m.mmsi,
        "lat": lat if -90.0 <= lat <= 90.0 else None,
        "lon": lon if -180.0 <= lon <= 180.0 else None,
    }


def _long_range(m: Any) -> Record:
    # Type 27: pyais already scales its 1/10-minute positions to degrees; speed is whole
    # knots (63 = n/a) and course whole degrees (511 = n/a), unlike types 1-3.
    sp, co, lat, lon = m.speed, m.course, m.lat, m.lon
    return {
        "type": m.msg_type,
        "repeat": m.repeat,
        "mmsi": m.mmsi,
        "status": int(m.status),
        "speed": None if sp == 63 else sp,
        "course": None if co == 511 else co,
        "lat": lat if -90.0 <= lat <= 90.0 else None,
        "lon": lon if -180.0 <= lon <= 180.0 else None,
    }


def _static_a(m: Any) -> Record:
    # IMO 0, ship type 0 and draught 0 mean "not available" in ITU-R M.1371.
    return {
        "type": m.msg_type,
        "repeat": m.repeat,
        "mmsi": m.mmsi,
        "imo": m.imo or None,
        "callsign": _text(m.callsign),
        "shipname": _text(m.shipname),
        "shiptype": int(m.ship_type) or None,
        **_dims(m),
        "draught": m.draught or None,
        "destination": _text(m.destination),
    }


def _static_b_aux(m: Any) -> Record:
    # An auxiliary craft sends its mother ship's MMSI where others put their dimensions.
    return {
        "type": m.msg_type,
        "repeat": m.repeat,
        "mmsi": m.mmsi,
        "callsign": _text(m.callsign),
        "shiptype": int(m.ship_type) or None,
    }


def _min_bits(cls: Any, names: Iterable[str]) -> int:
    # A payload that ends inside a field still decodes in pyais, to garbage; evidence must
    # carry every field we take from it. Offsets come from pyais's own decoding plan.
    ends = {name: offset + width for name, offset, width, *_ in cls.decoder_plan()}
    return max(ends[name] for name in names)


_POS = ("mmsi", "lon", "lat")
_DIMS = ("to_bow", "to_stern", "to_port", "to_starboard")
_MOTION = ("status", "speed", "course", "heading")
EXTRACT: dict[type, tuple[Callable[[Any], Record], int]] = {
    cls: (fn, _min_bits(cls, names))
    for cls, fn, names in (
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
        (
            MessageType19,
            lambda m: {**_class_b(m), "shipname": _text(m.shipname), "shiptype": int(m.ship_type) or None, **_dims(m)},
            _POS + _MOTION[1:] + ("shipname", "ship_type") + _DIMS,
        ),
        (MessageType21, lambda m: {**_fix(m), **_dims(m)}, _POS + _DIMS),
        (MessageType24PartA, lambda m: {**_base(m), "shipname": _text(m.shipname)}, ("mmsi", "shipname")),
        (MessageType24PartB, lambda m: {**_static_b_aux(m), **_dims(m)}, ("mmsi", "ship_type", "callsign") + _DIMS),
        (MessageType24PartBAuxiliaryCraft, _static_b_aux, ("mmsi", "ship_type", "callsign")),
        (MessageType27, _long_range, _POS + _MOTION[:3]),
    )
}
DEFAULT = (_base, 38)  # type, repeat and a complete MMSI
