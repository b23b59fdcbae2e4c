"""API shapes of mediator dispatch."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import ConfigDict, Field, field_validator, model_validator

from maritime_hub.types import Day, Id, Schema
from mediation.cases.enums import DisputeType
from mediation.dispatch.models import AttemptOutcome, MediatorKind


def _codes(v: list[str]) -> list[str]:
    out = []
    for code in v:
        c = code.strip().lower()
        if not (2 <= len(c) <= 3 and c.isalpha()):
            raise ValueError(f"{code!r} is not an ISO 639 language code (e.g. zh, en, id)")
        out.append(c)
    return sorted(set(out))


class ProfileUpdate(Schema):
    kind: MediatorKind | None = None
    languages: list[str] | None = None
    home_ports: list[str] | None = None
    sea_areas: list[str] | None = None
    specialties: list[DisputeType] | None = None
    available: bool | None = None
    unavailable_until: Day | None = None
    max_load: int | None = Field(default=None, ge=0, le=100)
    organisation_id: Id | None = Field(default=None, gt=0)

    _langs = field_validator("languages")(lambda v: None if v is None else _codes(v))


class ProfileCreate(ProfileUpdate):
    user_id: Id = Field(gt=0)
    kind: MediatorKind
    languages: list[str] = Field(default_factory=lambda: ["zh"])


class ConflictCreate(Schema):
    organisation_id: Id | None = Field(default=None, gt=0)
    person_id: Id | None = Field(default=None, gt=0)
    relation: str = Field(min_length=1, max_length=200, description="e.g. 同一公司, 亲属 (relative of a party)")

    @model_validator(mode="after")
    def _target(self):
        if self.organisation_id is None and self.person_id is None:
            raise ValueError("name the organisation_id or the person_id the mediator is tied to")
        return self


class RatingCreate(Schema):
    score: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=2000)


class AssignRequest(Schema):
    mediator_user_id: Id = Field(gt=0)


class DeclineRequest(Schema):
    reason: str = Field(min_length=1, max_length=2000, description="why the mediator declines (recorded)")

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("give the reason for declining")
        return v.strip()


class ConflictOut(Schema):
    model_config = ConfigDict(from_attributes=True)
    id: int
    organisation_id: int | None
    person_id: int | None
    relation: str


class MediatorOut(Schema):
    model_config = ConfigDict(from_attributes=True)
    user_id: int
    name: str = ""
    kind: MediatorKind
    languages: list[str]
    home_ports: list[str]
    sea_areas: list[str]
    specialties: list[str]
    available: bool
    unavailable_until: date | None
    max_load: int
    organisation_id: int | None
    load: int = 0
    rating: float | None = None
    ratings: int = 0


class ReasonOut(Schema):
    model_config = ConfigDict(from_attributes=True)
    component: str
    points: float
    zh: str
    en: str


class CandidateOut(Schema):
    model_config = ConfigDict(from_attributes=True)
    rank: int | None
    user_id: int
    name: str
    kind: str
    score: float
    load: int
    max_load: int
    rating: float | None
    excluded: bool
    reasons: list[ReasonOut]
    exclusions: list[ReasonOut]


class AttemptOut(Schema):
    model_config = ConfigDict(from_attributes=True)
    id: int
    case_id: int
    mediator_user_id: int
    assigned_at: datetime
    answered_at: datetime | None
    outcome: AttemptOutcome | None
    reason: str | None
    needs_coordinator: bool


class DeclineOut(Schema):
    attempt: AttemptOut
    proposed: CandidateOut | None = Field(description="the best-ranked eligible candidate now (选单), if any")


class SubsidyRow(Schema):
    mediator_user_id: int
    name: str
    month: str
    by_grade: dict[str, int]
    cases: int
    amount_cny: Decimal


class ChoiceRequest(Schema):
    mediator_user_id: Id = Field(gt=0)


class ChoiceOut(Schema):
    party_id: int
    party_name: str
    side: str
    mediator_user_id: int
    mediator_name: str
    chosen_at: datetime


class ChoiceCandidateOut(Schema):
    """What a party sees of the roster: no internal scores, only what helps to choose."""

    user_id: int
    name: str
    kind: str
    rating: float | None
    reasons: list[ReasonOut]


class ChoicesOut(Schema):
    open: bool = Field(description="whether the parties may still choose (before dispatch)")
    choices: list[ChoiceOut]
    agreed_mediator_user_id: int | None = Field(description="set when every party of the case chose the same mediator")
    dispatched: bool = Field(description="true when this choice dispatched the case to the agreed mediator")
    candidates: list[ChoiceCandidateOut]
