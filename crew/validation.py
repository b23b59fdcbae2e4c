"""Identity checks for crew. The resident ID check (GB 11643 checksum and birth date) is python-stdnum's."""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from crew.models import DocumentType

PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


def check_resident_id(number: str, date_of_birth: date | None) -> str:
    """GB 11643-1999: 18 characters, ISO 7064 MOD 11-2 check character, embedded birth date."""
    v = number.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", v):
        raise ValueError("resident ID must be 17 digits followed by a digit or X (GB 11643)")
    # Not ric.validate(): it also rejects a region code that did not exist in the birth
    # year, yet IDs issued later carry the issuing county's current code (330903 普陀区
    # dates from 1987, and its residents born before then hold 330903 IDs).
    if ric.calc_check_digit(v) != v[-1]:
        raise ValueError("resident ID check character is wrong (GB 11643 MOD 11-2)")
    try:
        encoded = ric.get_birth_date(v)
    except StdnumError:
        raise ValueError("resident ID encodes an impossible birth date (characters 7-14)") from None
    if date_of_birth is not None and encoded != date_of_birth:
        raise ValueError(f"resident ID encodes birth date {encoded}, but date_of_birth is {date_of_birth}")
    return v


def check_document(doc_type: DocumentType, number: str, date_of_birth: date | None) -> str:
    if doc_type == DocumentType.resident_id:
        return check_resident_id(number, date_of_birth)
    v = number.strip().upper().replace(" ", "")
    if not PASSPORT.fullmatch(v):
        raise ValueError("document number must be 5-20 letters or digits")
    return v


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
