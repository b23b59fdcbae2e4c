"""Mediator dispatch (选单 → 派单 → 接单): mediator profiles, party ratings, declared conflicts of
interest, and one row per dispatch attempt (who was asked, when, and how they answered)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from maritime_hub.db.base import Base, TimestampMixin, utcnow


class MediatorKind(str, enum.Enum):
    sea_elder = "sea_elder"  # 海上老娘舅
    invited = "invited"  # 特邀调解员
    gold_medal = "gold_medal"  # 金牌调解员


class AttemptOutcome(str, enum.Enum):
    accepted = "accepted"
    declined = "declined"
    timed_out = "timed_out"
    reassigned = "reassigned"  # the coordinator chose someone else before an answer


def _enum(e: type[enum.Enum], name: str) -> Enum:
    return Enum(e, name=name, native_enum=False, length=30, validate_strings=True)


class MediatorProfile(Base, TimestampMixin):
    """One per user with the mediator role."""

    __tablename__ = "mediator_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), unique=True)
    kind: Mapped[MediatorKind] = mapped_column(_enum(MediatorKind, "mediator_kind"))
    languages: Mapped[list[str]] = mapped_column(ARRAY(String(8)), default=list)  # ISO 639-1
    home_ports: Mapped[list[str]] = mapped_column(ARRAY(String(80)), default=list)
    sea_areas: Mapped[list[str]] = mapped_column(ARRAY(String(120)), default=list)
    specialties: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)  # dispute types
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    unavailable_until: Mapped[date | None] = mapped_column(Date)
    max_load: Mapped[int] = mapped_column(Integer, default=5)
    # The organisation the mediator works for or belongs to (same company as a party = conflict).
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)


class MediatorRating(Base):
    __tablename__ = "mediator_rating"
    __table_args__ = (
        UniqueConstraint("case_id", "party_user_id", name="uq_mediator_rating_case_party_user"),
        CheckConstraint("score BETWEEN 1 AND 5", name="ck_mediator_rating_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    mediator_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    party_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ConflictOfInterest(Base):
    """A declared tie between a mediator and an organisation or a person (relative, employer, ...)."""

    __tablename__ = "mediator_conflict"
    __table_args__ = (
        CheckConstraint("organisation_id IS NOT NULL OR person_id IS NOT NULL", name="ck_mediator_conflict_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mediator_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    relation: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DispatchAttempt(Base):
    """One 派单: open while ``outcome`` is empty; the ODR 12 clock runs from ``assigned_at``."""

    __tablename__ = "dispatch_attempt"
    # The open attempts the ODR 12 timeout sweep looks at.
    __table_args__ = (Index("ix_dispatch_attempt_open", "assigned_at", postgresql_where=text("outcome IS NULL")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    mediator_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"), index=True)
    assigned_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outcome: Mapped[AttemptOutcome | None] = mapped_column(_enum(AttemptOutcome, "attempt_outcome"))
    reason: Mapped[str | None] = mapped_column(Text)
    # Set when a timeout found no one to reassign to: the coordinator must choose.
    needs_coordinator: Mapped[bool] = mapped_column(Boolean, default=False)


class MediatorChoice(Base):
    """派单 by the parties: a party's choice of mediator from the roster (ODR Rules 12: the parties
    choose within the period; otherwise the organisation appoints). One standing choice per party."""

    __tablename__ = "mediator_choice"
    __table_args__ = (UniqueConstraint("case_party_id", name="uq_mediator_choice_case_party_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    case_party_id: Mapped[int] = mapped_column(ForeignKey("case_party.id", ondelete="CASCADE"))
    mediator_user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"))
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    chosen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
