from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import Field

from maritime_hub.types import Instant, Schema


class Position(Schema):
    lon: float
    lat: float


class NearVessel(Schema):
    mmsi: int
    ts: datetime
    lon: float
    lat: float
    sog: float | None
    cog: float | None
    distance_m: float
    vessel_id: int | None = None
    vessel_name: str | None = None


class AisVessel(Schema):
    """The vessel record behind an MMSI; vessel_id is null when the registry has none."""

    mmsi: int
    vessel_id: int | None
    name: str | None
    registered: bool | None
    ais_name: str | None
    ais_ship_type: int | None


class Cpa(Schema):
    mmsi_a: int
    mmsi_b: int
    distance_m: float
    time: datetime
    position_a: Position
    position_b: Position
    positions_used: dict[str, int]


class Gap(Schema):
    mmsi: int
    start: datetime
    end: datetime
    hours: float
    start_position: Position
    end_position: Position
    distance_nm: float
    implied_speed_kn: float | None
    suspected_disabling: bool


class Encounter(Schema):
    mmsi_a: int
    mmsi_b: int
    start: datetime
    end: datetime
    hours: float
    median_distance_m: float
    median_speed_kn: float
    position: Position


class QuarantinedLine(Schema):
    id: int
    source: str
    file_sha256: str | None
    line_no: int | None
    raw: str
    reason: str
    received_at: datetime


class QuarantinePage(Schema):
    items: list[QuarantinedLine]
    total: int
    by_reason: dict[str, int]


class EvidenceCreate(Schema):
    kind: str
    mmsis: list[Annotated[int, Field(ge=0, le=999_999_999)]] = Field(max_length=50)
    start: Instant
    end: Instant
    min_hours: float = Field(6.0, gt=0, le=720, allow_inf_nan=False)


class Evidence(Schema):
    id: int
    kind: str
    params: dict
    result: dict
    sources: list
    sha256: str
    created_at: datetime
    created_by: int | None
    intact: bool = True
