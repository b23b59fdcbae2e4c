"""Vessel registry. Registry-verified fields and AIS-reported fields live side by side:
AIS never overwrites what the registry verified (ais.md, Storage)."""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, DateTime, Enum, ForeignKey, Index, Integer, Numeric, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maritime_hub.db.base import Base, TimestampMixin
from maritime_hub.orgs.models import Organisation


class VesselType(str, enum.Enum):
    trawler = "trawler"  # 拖网渔船
    purse_seiner = "purse_seiner"  # 围网渔船
    longliner = "longliner"  # 延绳钓渔船
    squid_jigger = "squid_jigger"  # 鱿钓渔船
    gillnetter = "gillnetter"  # 刺网渔船
    carrier_reefer = "carrier_reefer"  # 运输/冷藏船
    support_vessel = "support_vessel"  # 补给/辅助船
    other = "other"


class VesselStatus(str, enum.Enum):
    active = "active"
    laid_up = "laid_up"
    scrapped = "scrapped"


def _enum(e: type[enum.Enum], name: str) -> Enum:
    return Enum(e, name=name, native_enum=False, length=30, validate_strings=True)


class Vessel(Base, TimestampMixin):
    __tablename__ = "vessel"
    __table_args__ = (
        # Duplicate identifiers are refused only among active vessels: a scrapped hull's
        # MMSI is reissued in practice.
        Index("uq_vessel_mmsi_active", "mmsi", unique=True, postgresql_where=text("status = 'active'")),
        Index(
            "uq_vessel_imo_active", "imo", unique=True, postgresql_where=text("status = 'active' AND imo IS NOT NULL")
        ),
        Index("ix_vessel_name_zh_trgm", "name_zh", postgresql_using="gin", postgresql_ops={"name_zh": "gin_trgm_ops"}),
        Index("ix_vessel_name_en_trgm", "name_en", postgresql_using="gin", postgresql_ops={"name_en": "gin_trgm_ops"}),
        Index("ix_vessel_mmsi", "mmsi"),
        Index("ix_vessel_call_sign", "call_sign"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name_zh: Mapped[str | None] = mapped_column(String(120))
    name_en: Mapped[str | None] = mapped_column(String(120))
    mmsi: Mapped[str | None] = mapped_column(String(9))
    imo: Mapped[str | None] = mapped_column(String(7))
    call_sign: Mapped[str | None] = mapped_column(String(10))
    flag_state: Mapped[str] = mapped_column(String(2), default="CN")
    port_of_registry: Mapped[str | None] = mapped_column(String(80))
    registration_number: Mapped[str | None] = mapped_column(String(60))
    fishing_licence_number: Mapped[str | None] = mapped_column(String(60))
    vessel_type: Mapped[VesselType] = mapped_column(_enum(VesselType, "vessel_type"), default=VesselType.other)
    distant_water: Mapped[bool] = mapped_column(Boolean, default=False)
    length_overall_m: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    gross_tonnage: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    engine_power_kw: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    build_year: Mapped[int | None] = mapped_column(Integer)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    approved_crew_size: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[VesselStatus] = mapped_column(_enum(VesselStatus, "vessel_status"), default=VesselStatus.active)
    # False for a vessel first seen on AIS and not (yet) in the registry.
    registered: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str | None] = mapped_column(Text)

    # AIS-reported (types 5, 19, 24): kept beside the registry's values, never over them.
    ais_name: Mapped[str | None] = mapped_column(String(40))
    ais_call_sign: Mapped[str | None] = mapped_column(String(10))
    ais_imo: Mapped[str | None] = mapped_column(String(10))
    ais_ship_type: Mapped[int | None] = mapped_column(Integer)
    ais_to_bow: Mapped[int | None] = mapped_column(Integer)
    ais_to_stern: Mapped[int | None] = mapped_column(Integer)
    ais_to_port: Mapped[int | None] = mapped_column(Integer)
    ais_to_starboard: Mapped[int | None] = mapped_column(Integer)
    ais_draught: Mapped[Decimal | None] = mapped_column(Numeric(5, 1))
    ais_destination: Mapped[str | None] = mapped_column(String(40))
    ais_last_seen: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    owner: Mapped[Organisation | None] = relationship(foreign_keys=[owner_id], lazy="raise")
    operator: Mapped[Organisation | None] = relationship(foreign_keys=[operator_id], lazy="raise")

    @property
    def display_name(self) -> str:
        return self.name_zh or self.name_en or self.ais_name or (f"MMSI {self.mmsi}" if self.mmsi else f"#{self.id}")
