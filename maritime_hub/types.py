"""Input types bounded by what the database can hold (docs/architecture.md "Inputs are bounded by
their types"): an id fits its column, text has no NUL, a number fits its precision, a date is
plausible. A value outside them is a 422 naming the field, never a database error and a 500.

Use them in schemas and in endpoint and page parameters::

    def get_vessel(vessel_id: Id, ...)
    owner_id: Id | None = None
    class VesselCreate(Schema): ...   # no str field of a Schema holds a NUL
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, field_validator

from maritime_hub.messages import N_

INT4_MAX = 2**31 - 1
INT8_MAX = 2**63 - 1
# Every stored date and time lies in these years: older or later is a typing mistake (0001-01-01,
# 2999-01-01), and years outside 1..9999 break the shift to Asia/Shanghai.
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)

# Primary and foreign keys of `integer` columns (most tables) and of `bigint` ones (audit events,
# quarantined AIS lines).
Id = Annotated[int, Field(ge=1, le=INT4_MAX)]
BigId = Annotated[int, Field(ge=1, le=INT8_MAX)]
# Row offsets and page numbers of listings: an offset beyond any table is still a valid empty page.
Offset = Annotated[int, Field(ge=0, le=INT4_MAX)]
PageNo = Annotated[int, Field(ge=1, le=1_000_000)]


NUL_MESSAGE = N_("text must not contain a NUL character (\\u0000)")
DATE_MESSAGE = N_("give a date between 1900-01-01 and 2100-12-31")
FUTURE_MESSAGE = N_("this date cannot be in the future")
MONTH_MESSAGE = N_("give a month as YYYY-MM between 1900-01 and 2100-12")


def no_nul(value: Any) -> Any:
    """PostgreSQL text cannot hold U+0000; no form or client has a reason to send it."""
    if isinstance(value, str) and "\x00" in value:
        raise ValueError(NUL_MESSAGE)
    return value


def _no_nul_inside(value: Any) -> Any:
    if isinstance(value, str):
        return no_nul(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            _no_nul_inside(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _no_nul_inside(key)
            _no_nul_inside(item)
    return value


class Schema(BaseModel):
    """The base of every request and response schema: no text field, at any depth, holds a NUL.
    Nested schemas check their own fields."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return _no_nul_inside(value)


def _in_years(value: date) -> date:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValueError(DATE_MESSAGE)
    return value


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError(FUTURE_MESSAGE)
    return value


Day = Annotated[date, AfterValidator(_in_years)]
# A birth date: plausible and not after today.
PastDay = Annotated[date, AfterValidator(_in_years), AfterValidator(_not_future)]
Instant = Annotated[datetime, AfterValidator(_in_years)]

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month(value: Any) -> Any:
    if isinstance(value, str):
        m = _MONTH.match(value)
        if not m or not 1 <= int(m.group(2)) <= 12 or not EARLIEST.year <= int(m.group(1)) <= LATEST.year:
            raise ValueError(MONTH_MESSAGE)
    return value


# A calendar month "2026-11" (subsidy reports, statistics).
Month = Annotated[str, BeforeValidator(_month), Field(pattern=r"^\d{4}-\d{2}$", examples=["2026-11"])]


def Measure(max_digits: int, decimal_places: int = 2) -> Any:
    """The bounds of a positive measurement (length, tonnage, power) that fits `numeric(max_digits,
    decimal_places)`: `Annotated[Decimal, Measure(7, 2)]` (an alias a type checker can read)."""
    return Field(gt=0, max_digits=max_digits, decimal_places=decimal_places, allow_inf_nan=False)
