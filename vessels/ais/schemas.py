from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class Position(BaseModel):
    lon: float
    lat: float


class NearVessel(BaseModel):
    mmsi: int
    ts: datetime
    lon: float
    lat: float
    sog: float | None
    cog: float | None
    distance_m: float
    vessel_id: int | None = None
    vessel_name: str | None = None


class AisVessel(BaseModel):
    """The vessel record behind an MMSI; vessel_id is null when the registry has none."""

    mmsi: int
    vessel_id: int | None
    name: str | None
    registered: bool | None
    ais_name: str | None
    ais_ship_type: int | None


class Cpa(BaseModel):
    mmsi_a: int
    mmsi_b: int
    distance_m: float
    time: datetime
    position_a: Position
    position_b: Position
    positions_used: dict[str, int]


class Gap(BaseModel):
    mmsi: int
    start: datetime
    end: datetime
    hours: float
    start_position: Position
    end_position: Position
    distance_nm: float
    implied_speed_kn: float | None
    suspected_disabling: bool


class Encounter(BaseModel):
    mmsi_a: int
    mmsi_b: int
    start: datetime
    end: datetime
    hours: float
    median_distance_m: float
    median_speed_kn: float
    position: Position


class QuarantinedLine(BaseModel):
    id: int
    source: str
    file_sha256: str | None
    line_no: int | None
    raw: str
    reason: str
    received_at: datetime


class QuarantinePage(BaseModel):
    items: list[QuarantinedLine]
    total: int
    by_reason: dict[str, int]


class EvidenceCreate(BaseModel):
    kind: str
    mmsis: list[int]
    start: datetime
    end: datetime
    min_hours: float = 6.0


class Evidence(BaseModel):
    id: int
    kind: str
    params: dict
    result: dict
    sources: list
    sha256: str
    created_at: datetime
    created_by: int | None
    intact: bool = True
