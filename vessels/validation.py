"""Identifier checks for vessels. Library-backed where a library exists (python-stdnum, pycountry)."""

from __future__ import annotations

import re

import pycountry
from stdnum import imo as stdnum_imo
from stdnum.exceptions import ValidationError as StdnumError

CALL_SIGN = re.compile(r"^(?=.*[A-Z])[A-Z0-9]{3,7}$")
# The largest MMSI: nine digits (ITU-R M.585). AIS queries take any number up to it, as real
# transponders send invalid ones too (ais.md); check_mmsi is the registry's stricter rule.
MMSI_MAX = 999_999_999


def check_mmsi(value: str) -> str:
    """A ship-station MMSI: 9 digits, first digit 2-7 (the MID's first digit, ITU-R M.585)."""
    v = value.strip()
    if not re.fullmatch(r"\d{9}", v):
        raise ValueError("MMSI must be exactly 9 digits")
    if v[0] not in "234567":
        raise ValueError("MMSI of a ship station starts with 2-7 (a maritime identification digit)")
    return v


def check_imo(value: str) -> str:
    """IMO ship number: 7 digits, last digit = sum of digits x weights 7..2, mod 10."""
    v = value.strip().upper().removeprefix("IMO").strip()
    if not re.fullmatch(r"\d{7}", v):
        raise ValueError("IMO number must be 7 digits")
    try:
        return stdnum_imo.validate(v)
    except StdnumError:
        raise ValueError("IMO number check digit is wrong (weights 7..2)") from None


def check_call_sign(value: str) -> str:
    v = value.strip().upper()
    if not CALL_SIGN.fullmatch(v):
        raise ValueError("call sign must be 3-7 letters or digits, with at least one letter")
    return v


def check_country(value: str) -> str:
    v = value.strip().upper()
    if len(v) != 2 or pycountry.countries.get(alpha_2=v) is None:
        raise ValueError("must be an ISO 3166-1 alpha-2 country code, e.g. CN, ID, PH")
    return v
