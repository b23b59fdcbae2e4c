"""Identity and plausibility checks for crew. The resident ID check (GB 11643 checksum and birth date) is
python-stdnum's. Messages are templates (``N_``, or a ``Msg`` with parameters): the API and the pages
show them in the reader's language."""

from __future__ import annotations

import re
from datetime import date

from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from crew.models import DocumentType
from maritime_hub.messages import N_, Msg

PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")


def check_resident_id(number: str, date_of_birth: date | None) -> str:
    """GB 11643-1999: 18 characters, ISO 7064 MOD 11-2 check character, embedded birth date."""
    v = number.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", v):
        raise ValueError(N_("resident ID must be 17 digits followed by a digit or X (GB 11643)"))
    # Not ric.validate(): it also rejects a region code that did not exist in the birth
    # year, yet IDs issued later carry the issuing county's current code (330903 普陀区
    # dates from 1987, and its residents born before then hold 330903 IDs).
    if ric.calc_check_digit(v) != v[-1]:
        raise ValueError(N_("resident ID check character is wrong (GB 11643 MOD 11-2)"))
    try:
        encoded = ric.get_birth_date(v)
    except StdnumError:
        raise ValueError(N_("resident ID encodes an impossible birth date (characters 7-14)")) from None
    if date_of_birth is not None and encoded != date_of_birth:
        raise ValueError(
            Msg(
                N_("resident ID encodes birth date {encoded}, but date_of_birth is {date_of_birth}"),
                encoded=encoded,
                date_of_birth=date_of_birth,
            )
        )
    return v


def check_document(doc_type: DocumentType, number: str, date_of_birth: date | None) -> str:
    if doc_type == DocumentType.resident_id:
        return check_resident_id(number, date_of_birth)
    v = number.strip().upper().replace(" ", "")
    if not PASSPORT.fullmatch(v):
        raise ValueError(N_("document number must be 5-20 letters or digits"))
    return v


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


# A birth date before this is a typing mistake in a registry of working fishers (1090 for 1990).
EARLIEST_BIRTH = date(1900, 1, 1)
# C188 Art 9: a fisher is at least 16; the 渔业普通船员证书 is issued from 16 (渔业船员管理办法).
MIN_CERTIFICATE_AGE = 16


def check_birth_date(value: date) -> date:
    if value > date.today():
        raise ValueError(N_("the date of birth cannot be in the future"))
    if value < EARLIEST_BIRTH:
        raise ValueError(N_("a date of birth before 1900 cannot be right; check the year"))
    return value


def certificate_age_problem(date_of_birth: date | None, issue_date: date | None) -> Msg | None:
    """A certificate issued before its holder was 16 (or before the holder was born) is a wrong date
    or the wrong person: C188 Art 9 sets 16 as a fisher's minimum age."""
    if date_of_birth is None or issue_date is None:
        return None
    if issue_date < date_of_birth:
        return Msg(
            N_("the certificate is dated {issued}, before its holder was born ({born})"),
            issued=issue_date,
            born=date_of_birth,
        )
    age = age_on(date_of_birth, issue_date)
    if age >= MIN_CERTIFICATE_AGE:
        return None
    return Msg(
        N_(
            "the certificate is dated {issued}, when its holder (born {born}) was {age}: a fisher's certificate "
            "is issued from the age of 16 (C188 Art 9)"
        ),
        issued=issue_date,
        born=date_of_birth,
        age=age,
    )
