"""Identifier checks for vessels. Library-backed where a library exists (python-stdnum, pycountry,
pyais's table of Maritime Identification Digits). Messages are templates (``N_``): a pydantic error
or a ``ValidationFailed`` carrying one is shown in the reader's language."""

from __future__ import annotations

import re
from datetime import date

import pycountry
from babel import Locale
from pyais.constants import COUNTRY_MAPPING
from stdnum import imo as stdnum_imo
from stdnum.exceptions import ValidationError as StdnumError

from maritime_hub.messages import N_, ByLocale, Joined, Msg

CALL_SIGN = re.compile(r"^(?=.*[A-Z])[A-Z0-9]{3,7}$")
# The largest MMSI: nine digits (ITU-R M.585). AIS queries take any number up to it, as real
# transponders send invalid ones too (ais.md); check_mmsi is the registry's stricter rule.
MMSI_MAX = 999_999_999
# The smallest as a number: a coast station's 00MIDXXXX with the lowest MID (201) is 002010000.
MMSI_MIN = 2_010_000

# Maritime Identification Digits → ISO 3166-1 alpha-2, from ITU's MID table as pyais keeps it
# (ITU-R M.585 Annex 1 and the MARS list). Codes of pyais that are not ISO 3166 are corrected:
# 740 is the Falkland Islands (pyais "UK"), 608 Ascension Island, part of SH (pyais "IO"), and Adélie Land,
# Crozet and Kerguelen (501, 618, 635; pyais "AQ") are the French Southern Territories, TF.
# Hong Kong (477, HK) and Macao (453, MO) keep their own ship registers and flags, apart from CN's 412-414.
MID_COUNTRY: dict[int, str] = {mid: iso for mid, (iso, _name) in COUNTRY_MAPPING.items()} | {
    740: "FK",
    608: "SH",
    501: "TF",
    618: "TF",
    635: "TF",
}
FLAG_MIDS: dict[str, tuple[int, ...]] = {}
for _mid, _iso in sorted(MID_COUNTRY.items()):
    FLAG_MIDS.setdefault(_iso, ())
    FLAG_MIDS[_iso] += (_mid,)


def check_mmsi(value: str) -> str:
    """A ship-station MMSI: 9 digits, first digit 2-7 (the MID's first digit, ITU-R M.585)."""
    v = value.strip()
    if not re.fullmatch(r"\d{9}", v):
        raise ValueError(N_("MMSI must be exactly 9 digits"))
    if v[0] not in "234567":
        raise ValueError(N_("MMSI of a ship station starts with 2-7 (a maritime identification digit)"))
    return v


def country_name(code: str) -> ByLocale:
    """A country's name in the reader's language (Babel's CLDR names), with its code."""
    en = Locale.parse("en").territories.get(code, code)
    zh = Locale.parse("zh_CN").territories.get(code, code)
    return ByLocale(f"{en} ({code})", zh_CN=f"{zh}（{code}）")


def mid_mismatch(mmsi: str | None, flag_state: str | None) -> Msg | None:
    """ITU-R M.585: a ship station's MMSI is MID + six digits, and the MID is one allocated to the
    administration (flag state) that licenses the station. None when they agree, or when the flag
    has no MID in the table (nothing to compare against)."""
    if not mmsi or not flag_state or flag_state not in FLAG_MIDS or not re.fullmatch(r"[2-7]\d{8}", mmsi):
        return None
    mid = int(mmsi[:3])
    mids = FLAG_MIDS[flag_state]
    if mid in mids:
        return None
    owner = MID_COUNTRY.get(mid)
    params = dict(mmsi=mmsi, mid=mid, flag=country_name(flag_state), mids=Joined(map(str, mids), "/", "/"))
    if owner is None:
        return Msg(
            N_(
                "MMSI {mmsi} begins with {mid}, which is not a MID allocated by ITU; an MMSI of a vessel flagged "
                "{flag} begins with {mids} (ITU-R M.585)"
            ),
            **params,
        )
    return Msg(
        N_(
            "MMSI {mmsi} begins with MID {mid}, which belongs to {country}; an MMSI of a vessel flagged {flag} "
            "begins with {mids} (ITU-R M.585): check the MMSI or the flag state"
        ),
        country=country_name(owner),
        **params,
    )


def check_build_year(year: int) -> int:
    if year > date.today().year:
        raise ValueError(
            Msg(N_("build year {year} is later than this year ({this_year})"), year=year, this_year=date.today().year)
        )
    return year


def check_imo(value: str) -> str:
    """IMO ship number: 7 digits, last digit = sum of digits x weights 7..2, mod 10."""
    v = value.strip().upper().removeprefix("IMO").strip()
    if not re.fullmatch(r"\d{7}", v):
        raise ValueError(N_("IMO number must be 7 digits"))
    try:
        return stdnum_imo.validate(v)
    except StdnumError:
        raise ValueError(N_("IMO number check digit is wrong (weights 7..2)")) from None


def check_call_sign(value: str) -> str:
    v = value.strip().upper()
    if not CALL_SIGN.fullmatch(v):
        raise ValueError(N_("call sign must be 3-7 letters or digits, with at least one letter"))
    return v


def check_country(value: str) -> str:
    v = value.strip().upper()
    if len(v) != 2 or pycountry.countries.get(alpha_2=v) is None:
        raise ValueError(N_("must be an ISO 3166-1 alpha-2 country code, e.g. CN, ID, PH"))
    return v
