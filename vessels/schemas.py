from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, ConfigDict, Field, model_validator

from maritime_hub.errors import field_error
from maritime_hub.messages import N_
from maritime_hub.types import Id, Measure, Schema
from vessels.models import VesselStatus, VesselType
from vessels.validation import check_build_year, check_call_sign, check_country, check_imo, check_mmsi

Mmsi = Annotated[str, AfterValidator(check_mmsi)]
Imo = Annotated[str, AfterValidator(check_imo)]
CallSign = Annotated[str, AfterValidator(check_call_sign)]
Country = Annotated[str, AfterValidator(check_country)]
# 1900 to this year: a later one is a typing mistake (a hull under construction is registered when built).
BuildYear = Annotated[int, Field(ge=1900, le=2100), AfterValidator(check_build_year)]
# Each fits its column: numeric(7, 2) for the length, numeric(10, 2) for tonnage and power.
Length = Annotated[Decimal, Measure(7, 2)]
Size = Annotated[Decimal, Measure(10, 2)]


class _VesselFields(Schema):
    name_zh: str | None = Field(default=None, max_length=120, description="中文船名, e.g. 浙普远98")
    name_en: str | None = Field(default=None, max_length=120, description="Latin-script name")
    mmsi: Mmsi | None = None
    imo: Imo | None = None
    call_sign: CallSign | None = None
    flag_state: Country | None = None
    port_of_registry: str | None = Field(default=None, max_length=80)
    registration_number: str | None = Field(default=None, max_length=60)
    fishing_licence_number: str | None = Field(default=None, max_length=60)
    vessel_type: VesselType | None = None
    distant_water: bool | None = None
    length_overall_m: Length | None = None
    gross_tonnage: Size | None = None
    engine_power_kw: Size | None = None
    build_year: BuildYear | None = None
    owner_id: Id | None = Field(default=None, gt=0)
    operator_id: Id | None = Field(default=None, gt=0)
    approved_crew_size: int | None = Field(default=None, gt=0, le=2000)
    status: VesselStatus | None = None
    notes: str | None = None


class VesselCreate(_VesselFields):
    flag_state: Country = "CN"
    vessel_type: VesselType = VesselType.other
    distant_water: bool = False
    status: VesselStatus = VesselStatus.active

    @model_validator(mode="after")
    def _named(self):
        if not (self.name_zh or self.name_en):
            raise field_error("name_zh", N_("give the vessel a Chinese or a Latin-script name (name_zh or name_en)"))
        return self


class VesselUpdate(_VesselFields):
    """Only the fields sent are changed."""


class AisDifference(Schema):
    field: str
    registry: str | None
    ais: str | None


class Vessel(Schema):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name_zh: str | None
    name_en: str | None
    display_name: str
    mmsi: str | None
    imo: str | None
    call_sign: str | None
    flag_state: str
    port_of_registry: str | None
    registration_number: str | None
    fishing_licence_number: str | None
    vessel_type: VesselType
    distant_water: bool
    length_overall_m: Decimal | None
    gross_tonnage: Decimal | None
    engine_power_kw: Decimal | None
    build_year: int | None
    owner_id: int | None
    operator_id: int | None
    approved_crew_size: int | None
    status: VesselStatus
    registered: bool
    notes: str | None
    ais_name: str | None
    ais_call_sign: str | None
    ais_imo: str | None
    ais_ship_type: int | None
    ais_to_bow: int | None
    ais_to_stern: int | None
    ais_to_port: int | None
    ais_to_starboard: int | None
    ais_draught: Decimal | None
    ais_destination: str | None
    ais_last_seen: datetime | None
    created_at: datetime
    updated_at: datetime


class VesselDetail(Vessel):
    owner_name: str | None = None
    operator_name: str | None = None
    ais_differences: list[AisDifference] = []
    # The latest stored AIS position's time: ais_last_seen changes only with static messages.
    ais_last_position_at: datetime | None = None


class VesselPage(Schema):
    items: list[Vessel]
    total: int
    page: int
    page_size: int
