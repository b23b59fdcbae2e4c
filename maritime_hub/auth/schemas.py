from __future__ import annotations

from pydantic import ConfigDict, Field, field_validator

from maritime_hub.auth.models import Role
from maritime_hub.types import Id, Schema


class UserCreate(Schema):
    username: str = Field(min_length=2, max_length=80, pattern=r"^[A-Za-z0-9_.@-]+$")
    display_name: str | None = Field(default=None, max_length=120)
    password: str = Field(min_length=8, max_length=256)
    roles: list[Role] = Field(min_length=1)
    organisation_id: Id | None = None
    locale: str = "zh_CN"
    email: str | None = None
    phone: str | None = None

    @field_validator("locale")
    @classmethod
    def _locale(cls, v: str) -> str:
        if v not in ("zh_CN", "en"):
            raise ValueError("locale must be zh_CN or en")
        return v


class User(Schema):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    organisation_id: int | None
    roles: list[str]
    locale: str
    active: bool


class Me(User):
    organisation_name: str | None = None


class LoginRequest(Schema):
    username: str = Field(min_length=1, max_length=80)
    password: str = Field(min_length=1, max_length=256)


class TokenCreated(Schema):
    token: str
    prefix: str
    note: str = "Shown once; only its SHA-256 is stored."
