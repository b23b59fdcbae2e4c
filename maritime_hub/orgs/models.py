"""Organisations: mediation committees and centres, fishery bureaus, maritime courts,
vessel-owning companies and manning agencies. Kernel-level because every domain links to them."""

from __future__ import annotations

import enum

from sqlalchemy import Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from maritime_hub.db.base import Base, TimestampMixin


class OrgKind(str, enum.Enum):
    mediation_committee = "mediation_committee"  # 人民调解委员会
    mediation_centre = "mediation_centre"  # 调解中心 / 融治理中心
    fishery_bureau = "fishery_bureau"  # 海洋与渔业局
    maritime_court = "maritime_court"  # 海事法院
    company = "company"  # 渔业公司 / 船东
    manning_agency = "manning_agency"  # 外派/劳务中介
    other = "other"


class Organisation(Base, TimestampMixin):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[OrgKind] = mapped_column(Enum(OrgKind, name="org_kind", native_enum=False, length=40))
    # Court code (浙72) or the abbreviation used in case numbers (舟普海调).
    code: Mapped[str | None] = mapped_column(String(40))
    country: Mapped[str] = mapped_column(String(2), default="CN")
    address: Mapped[str | None] = mapped_column(Text)
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
