"""Dispute cases: the case, its number counter, parties and their contact routes, vessels and crew
involved, evidence, the joint-panel members, and the timeline of state changes."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from geoalchemy2 import Geometry
from sqlalchemy import (
    ARRAY,
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maritime_hub.db.base import Base, TimestampMixin, utcnow
from mediation.cases.enums import (
    AgentAuthority,
    ContactKind,
    CourtProcedure,
    CrewClaimBasis,
    DisputeType,
    EvidenceKind,
    FilerKind,
    Grade,
    IntakeChannel,
    MemberRole,
    PartyKind,
    PartySide,
    ReferralKind,
    Route,
    RulingOutcome,
    State,
)


def _enum(e: type[enum.Enum], name: str) -> Enum:
    return Enum(e, name=name, native_enum=False, length=30, validate_strings=True)


class CaseNumberCounter(Base):
    """Last number issued per mediation organisation and year. Incremented with an upsert, whose row
    lock makes concurrent intakes wait for each other instead of issuing the same number."""

    __tablename__ = "case_number_counter"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Case(Base, TimestampMixin):
    __tablename__ = "mediation_case"
    __table_args__ = (
        UniqueConstraint("organisation_id", "year", "seq", name="uq_mediation_case_org_year_seq"),
        Index("ix_mediation_case_incident_position", "incident_position", postgresql_using="gist"),
        Index("ix_mediation_case_state", "state"),
        Index("ix_mediation_case_incident_at", "incident_at"),
        # The board's ILIKE '%…%' search (board.py; migration 0009): trigram GIN indexes.
        Index(
            "ix_mediation_case_number_trgm", "number", postgresql_using="gin", postgresql_ops={"number": "gin_trgm_ops"}
        ),
        Index(
            "ix_mediation_case_description_trgm",
            "description",
            postgresql_using="gin",
            postgresql_ops={"description": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # （2026）舟普海调字第0001号: organisation code, year, sequence within the year.
    number: Mapped[str] = mapped_column(String(80), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    state: Mapped[State] = mapped_column(_enum(State, "case_state"), default=State.REGISTERED)
    state_entered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # -- the dispute
    dispute_type: Mapped[DisputeType] = mapped_column(_enum(DisputeType, "dispute_type"))
    incident_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    incident_position = mapped_column(Geometry("POINT", srid=4326, spatial_index=False), nullable=True)
    sea_area: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    amount_claimed: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")

    # -- intake
    intake_channel: Mapped[IntakeChannel] = mapped_column(_enum(IntakeChannel, "intake_channel"))
    filer_kind: Mapped[FilerKind | None] = mapped_column(_enum(FilerKind, "filer_kind"))
    filer_name: Mapped[str | None] = mapped_column(String(120))
    filer_phone: Mapped[str | None] = mapped_column(String(40))
    referral_kind: Mapped[ReferralKind | None] = mapped_column(_enum(ReferralKind, "referral_kind"))
    referring_court_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    court_case_number: Mapped[str | None] = mapped_column(String(80))
    court_procedure: Mapped[CourtProcedure | None] = mapped_column(_enum(CourtProcedure, "court_procedure"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))

    # -- triage (set at TRIAGED)
    grade: Mapped[Grade | None] = mapped_column(_enum(Grade, "case_grade"))
    crew_claim_basis: Mapped[CrewClaimBasis | None] = mapped_column(_enum(CrewClaimBasis, "crew_claim_basis"))
    claim_arose_on: Mapped[date | None] = mapped_column(Date)
    foreign_element: Mapped[bool | None] = mapped_column(Boolean)
    foreign_reasons: Mapped[list | None] = mapped_column(JSONB)
    route: Mapped[Route | None] = mapped_column(_enum(Route, "case_route"))
    route_basis: Mapped[str | None] = mapped_column(String(200))
    triaged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # -- dispatch and mediation
    assigned_mediator_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="RESTRICT"), index=True)
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # mediation clock (ODR 24)

    # -- agreement (minimal; the full document comes later)
    agreement_effective_on: Mapped[date | None] = mapped_column(Date)
    agreement_terms: Mapped[str | None] = mapped_column(Text)

    # -- termination record (PML 26; ODR 21-22), carried into a referral
    failure_reason: Mapped[str | None] = mapped_column(Text)
    cost_raising_conduct: Mapped[str | None] = mapped_column(Text)
    undisputed_facts: Mapped[str | None] = mapped_column(Text)
    court_notes: Mapped[str | None] = mapped_column(Text)
    terminated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # -- judicial confirmation
    confirmation_court_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    confirmation_applied_on: Mapped[date | None] = mapped_column(Date)
    confirmation_oral: Mapped[bool | None] = mapped_column(Boolean)
    confirmation_docket_number: Mapped[str | None] = mapped_column(String(80))
    court_accepted_on: Mapped[date | None] = mapped_column(Date)
    ruling_outcome: Mapped[RulingOutcome | None] = mapped_column(_enum(RulingOutcome, "ruling_outcome"))
    ruling_number: Mapped[str | None] = mapped_column(String(80))
    ruled_on: Mapped[date | None] = mapped_column(Date)
    ruling_grounds: Mapped[list[str] | None] = mapped_column(ARRAY(String(40)))
    ruling_reason: Mapped[str | None] = mapped_column(Text)

    # -- endings
    refused_party_id: Mapped[int | None] = mapped_column(Integer)
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    litigation_court_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="RESTRICT"), index=True
    )
    arbitration_body: Mapped[str | None] = mapped_column(String(200))
    referral_record: Mapped[dict | None] = mapped_column(JSONB)
    referred_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    enforcement_filed_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    parties: Mapped[list[CaseParty]] = relationship(back_populates="case", lazy="raise", order_by="CaseParty.id")
    vessels: Mapped[list[CaseVessel]] = relationship(lazy="raise", order_by="CaseVessel.id")
    crew: Mapped[list[CaseCrew]] = relationship(lazy="raise", order_by="CaseCrew.id")
    evidence: Mapped[list[CaseEvidence]] = relationship(lazy="raise", order_by="CaseEvidence.id")
    members: Mapped[list[CaseMember]] = relationship(lazy="raise", order_by="CaseMember.id")
    timeline: Mapped[list[CaseTimeline]] = relationship(lazy="raise", order_by="CaseTimeline.id")


class CaseParty(Base, TimestampMixin):
    __tablename__ = "case_party"
    __table_args__ = (
        # The board's party/agent name search (board.py; migration 0009).
        Index("ix_case_party_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
        Index(
            "ix_case_party_agent_name_trgm",
            "agent_name",
            postgresql_using="gin",
            postgresql_ops={"agent_name": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    side: Mapped[PartySide] = mapped_column(_enum(PartySide, "party_side"))
    kind: Mapped[PartyKind] = mapped_column(_enum(PartyKind, "party_kind"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    # The display name; for a new person the only name there is.
    name: Mapped[str] = mapped_column(String(200))
    nationality: Mapped[str | None] = mapped_column(String(2))  # new persons only; others come from the registry
    id_number: Mapped[str | None] = mapped_column(String(40))
    agent_name: Mapped[str | None] = mapped_column(String(120))
    agent_authority: Mapped[AgentAuthority | None] = mapped_column(_enum(AgentAuthority, "agent_authority"))
    agent_phone: Mapped[str | None] = mapped_column(String(40))
    # The party's platform account: what lets a `party` user see this case.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), index=True)

    case: Mapped[Case] = relationship(back_populates="parties", lazy="raise")
    contacts: Mapped[list[CaseContact]] = relationship(lazy="raise", order_by="CaseContact.id")


class CaseContact(Base):
    """One way to reach a party. ``at_sea_on_vessel`` means: only through vessel X (radio, satellite, the owner)."""

    __tablename__ = "case_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("case_party.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ContactKind] = mapped_column(_enum(ContactKind, "contact_kind"))
    value: Mapped[str | None] = mapped_column(String(400))
    vessel_id: Mapped[int | None] = mapped_column(ForeignKey("vessel.id", ondelete="RESTRICT"))
    note: Mapped[str | None] = mapped_column(String(400))


class CaseVessel(Base):
    __tablename__ = "case_vessel"
    __table_args__ = (UniqueConstraint("case_id", "vessel_id", name="uq_case_vessel_case_vessel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    vessel_id: Mapped[int] = mapped_column(ForeignKey("vessel.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str | None] = mapped_column(String(120))


class CaseCrew(Base):
    __tablename__ = "case_crew"
    __table_args__ = (UniqueConstraint("case_id", "person_id", name="uq_case_crew_case_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    boarding_id: Mapped[int | None] = mapped_column(ForeignKey("boarding.id", ondelete="RESTRICT"))
    role: Mapped[str | None] = mapped_column(String(120))


class CaseEvidence(Base):
    """An uploaded file (kept by SHA-256, maritime_hub/files.py) or a link to frozen AIS evidence."""

    __tablename__ = "case_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    kind: Mapped[EvidenceKind] = mapped_column(_enum(EvidenceKind, "evidence_kind"))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_name: Mapped[str | None] = mapped_column(String(200))
    file_size: Mapped[int | None] = mapped_column(Integer)
    file_content_type: Mapped[str | None] = mapped_column(String(100))
    ais_evidence_id: Mapped[int | None] = mapped_column(ForeignKey("ais_evidence.id", ondelete="RESTRICT"))
    description: Mapped[str | None] = mapped_column(Text)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("case_party.id", ondelete="SET NULL"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseMember(Base):
    """Who works the case besides the assigned mediator: the 3+X joint panel of a major case, experts."""

    __tablename__ = "case_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    role: Mapped[MemberRole] = mapped_column(_enum(MemberRole, "member_role"))
    name: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CaseTimeline(Base):
    """One row per state change (the first one is the registration): time in state is the gap
    between consecutive rows."""

    __tablename__ = "case_timeline"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[State | None] = mapped_column(_enum(State, "case_state"))
    to_state: Mapped[State] = mapped_column(_enum(State, "case_state"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str | None] = mapped_column(String(120))
    payload: Mapped[dict | None] = mapped_column(JSONB)
