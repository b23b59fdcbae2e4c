from __future__ import annotations

from pydantic import ConfigDict, Field

from maritime_hub.orgs.models import OrgKind
from maritime_hub.types import Id, Schema


class OrganisationCreate(Schema):
    name: str = Field(min_length=2, max_length=200)
    name_en: str | None = Field(default=None, max_length=200)
    kind: OrgKind
    code: str | None = Field(default=None, max_length=40)
    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$")
    address: str | None = None
    legal_representative: str | None = None
    phone: str | None = None
    parent_id: Id | None = None


class Organisation(OrganisationCreate):
    model_config = ConfigDict(from_attributes=True)
    id: int
