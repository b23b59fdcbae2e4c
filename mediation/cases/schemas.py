"""API shapes of dispute cases. Transition payloads are in payloads.py."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, SkipValidation, field_validator, model_validator

from maritime_hub.types import Day, Id, Instant, Schema
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
)
from mediation.cases.states import State
from mediation.deadlines import LOCAL_TZ, local_date
from vessels.validation import check_country

Country = Annotated[str, AfterValidator(check_country)]


class Position(Schema):
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)


class ContactCreate(Schema):
    kind: ContactKind
    value: str | None = Field(default=None, max_length=400)
    vessel_id: Id | None = Field(default=None, gt=0, description="at_sea_on_vessel: the vessel the party is aboard")
    note: str | None = Field(default=None, max_length=400)

    @model_validator(mode="after")
    def _route(self):
        if self.kind == ContactKind.at_sea_on_vessel and self.vessel_id is None:
            raise ValueError("an at-sea contact route names the vessel (vessel_id)")
        if self.kind != ContactKind.at_sea_on_vessel and not (self.value or "").strip():
            raise ValueError(f"a {self.kind.value} contact needs a value")
        return self


class PartyCreate(Schema):
    side: PartySide
    person_id: Id | None = Field(default=None, gt=0, description="a person in the crew registry")
    organisation_id: Id | None = Field(default=None, gt=0)
    name: str | None = Field(
        default=None, min_length=1, max_length=200, description="a person in no registry (free text)"
    )
    nationality: Country | None = Field(default=None, description="for a free-text person; default CN")
    id_number: str | None = Field(default=None, max_length=40)
    agent_name: str | None = Field(default=None, max_length=120)
    agent_authority: AgentAuthority | None = None
    agent_phone: str | None = Field(default=None, max_length=40)
    user_id: Id | None = Field(default=None, gt=0, description="the party's platform account (role party)")
    contacts: list[ContactCreate] = []

    @model_validator(mode="after")
    def _one_identity(self):
        given = [f for f in ("person_id", "organisation_id", "name") if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of person_id (crew registry), organisation_id, or name (a person in no registry)"
            )
        if self.agent_authority is not None and not self.agent_name:
            raise ValueError("agent_authority needs agent_name")
        return self


class PartyUpdate(Schema):
    """Only the fields sent are changed."""

    user_id: Id | None = Field(default=None, gt=0)
    agent_name: str | None = Field(default=None, max_length=120)
    agent_authority: AgentAuthority | None = None
    agent_phone: str | None = Field(default=None, max_length=40)


class CaseVesselCreate(Schema):
    vessel_id: Id = Field(gt=0)
    role: str | None = Field(default=None, max_length=120, description="e.g. 肇事船, 受损船")


class CaseCrewCreate(Schema):
    person_id: Id = Field(gt=0)
    boarding_id: Id | None = Field(default=None, gt=0)
    role: str | None = Field(default=None, max_length=120)


class MemberCreate(Schema):
    role: MemberRole
    name: str = Field(min_length=1, max_length=120)
    user_id: Id | None = Field(default=None, gt=0)
    organisation_id: Id | None = Field(default=None, gt=0)


class AisEvidenceLink(Schema):
    ais_evidence_id: Id = Field(gt=0)
    description: str | None = Field(default=None, max_length=4000)


class CaseCreate(Schema):
    organisation_id: Id | None = Field(
        default=None, gt=0, description="mediation organisation; coordinators: their own"
    )
    dispute_type: DisputeType
    incident_at: Instant = Field(description="ISO 8601; without a zone it is read as Asia/Shanghai")
    incident_position: Position | None = None
    sea_area: str | None = Field(default=None, max_length=120)
    description: str = Field(min_length=1, max_length=20000)
    amount_claimed: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    intake_channel: IntakeChannel
    filer_kind: FilerKind | None = None
    filer_name: str | None = Field(default=None, max_length=120)
    filer_phone: str | None = Field(default=None, max_length=40)
    referral_kind: ReferralKind | None = None
    referring_court_id: Id | None = Field(default=None, gt=0)
    court_case_number: str | None = Field(default=None, max_length=80)
    court_procedure: CourtProcedure | None = None
    crew_claim_basis: CrewClaimBasis | None = None
    claim_arose_on: Day | None = None
    parties: list[PartyCreate] = Field(min_length=1)
    vessels: list[CaseVesselCreate] = []
    crew: list[CaseCrewCreate] = []

    @field_validator("incident_at")
    @classmethod
    def _incident_past(cls, v: datetime) -> datetime:
        v = v if v.tzinfo else v.replace(tzinfo=LOCAL_TZ)  # a local wall-clock time, as clerks write it
        if v > datetime.now(UTC):
            raise ValueError("incident_at is in the future")
        return v

    @field_validator("claim_arose_on")
    @classmethod
    def _claim_past(cls, v: date | None) -> date | None:
        if v is not None and v > local_date(datetime.now(UTC)):
            raise ValueError("claim_arose_on is in the future")
        return v


class TransitionRequest(Schema):
    """``{"to": "<STATE>", ...payload}``: the payload fields depend on the step (GET /cases/lifecycle)."""

    model_config = ConfigDict(extra="allow")

    to: State


# -- output ------------------------------------------------------------------------------------


class Contact(Schema):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: ContactKind
    value: str | None
    vessel_id: int | None
    note: str | None


class Party(Schema):
    """A party's full record: what staff see of every party, and a party of their own."""

    model_config = ConfigDict(from_attributes=True)
    view: Literal["full"] = "full"
    id: int
    side: PartySide
    kind: PartyKind
    person_id: int | None
    organisation_id: int | None
    name: str
    nationality: str | None
    id_number: str | None
    agent_name: str | None
    agent_authority: AgentAuthority | None
    agent_phone: str | None
    user_id: int | None
    contacts: list[Contact] = []
    reachable_only_via_vessel: bool = False


class OtherParty(Schema):
    """Another party as a party of the case sees them (docs/security.md): who they are in the dispute
    and who acts for them, not how to find them (no ID number, nationality, phone, contact routes,
    registry or account links)."""

    model_config = ConfigDict(from_attributes=True)
    view: Literal["limited"] = "limited"
    id: int
    side: PartySide
    kind: PartyKind
    organisation_id: int | None = Field(description="a company or agency party (the organisations list is public)")
    name: str
    agent_name: str | None
    agent_authority: AgentAuthority | None


PartyView = Annotated[Party | OtherParty, Field(discriminator="view")]


class VesselLink(Schema):
    id: int
    vessel_id: int
    name: str
    flag_state: str
    mmsi: str | None
    role: str | None


class CrewLink(Schema):
    id: int
    person_id: int
    name: str
    nationality: str
    boarding_id: int | None
    role: str | None


class Evidence(Schema):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: EvidenceKind
    file_sha256: str | None
    file_name: str | None
    file_size: int | None
    file_content_type: str | None
    ais_evidence_id: int | None
    description: str | None
    party_id: int | None
    created_at: datetime


class Member(Schema):
    model_config = ConfigDict(from_attributes=True)
    id: int
    role: MemberRole
    name: str
    user_id: int | None
    organisation_id: int | None


class TimelineEntry(Schema):
    from_state: State | None
    to_state: State
    to_label_zh: str
    at: datetime
    actor_user_id: int | None
    actor_name: str | None
    payload: dict[str, Any] | None
    seconds_in_state: float = Field(description="until the next entry, or until now for the current state")


class DeadlineOut(Schema):
    key: str
    label_zh: str
    label_en: str
    due: date
    basis: str
    start_event: str
    start_date: date
    unit: str
    amount: float
    extended_by_holiday: bool
    hard: bool
    approximate: bool
    note: str
    status: str = Field(description="ok | due_soon | overdue")
    days_remaining: int


class PayloadField(Schema):
    name: str
    required: bool
    description: str | None = None


class AllowedTransition(Schema):
    to: State
    label_zh: str
    basis: str
    as_: list[str] = Field(alias="as", description="the caller's relations that allow it")
    # SkipValidation keeps the messages.Msg objects (str, English in JSON) so the case page can show them in its language.
    blockers: list[SkipValidation[str]] = Field(
        description="preconditions already known to fail (the step would be a 409)"
    )
    payload: list[PayloadField]

    model_config = ConfigDict(populate_by_name=True)


class SuggestedLink(Schema):
    case_id: int
    number: str
    organisation_id: int
    state: State
    incident_at: datetime
    reasons: list[str]


class Triage(Schema):
    grade: Grade | None
    foreign_element: bool | None
    foreign_reasons: list[str] | None
    route: Route | None
    route_basis: str | None
    crew_claim_basis: CrewClaimBasis | None
    claim_arose_on: date | None
    lien_applies: bool


class CaseSummary(Schema):
    model_config = ConfigDict(from_attributes=True)
    id: int
    number: str
    organisation_id: int
    state: State
    state_label_zh: str = ""
    dispute_type: DisputeType
    dispute_type_label_zh: str = ""
    grade: Grade | None
    intake_channel: IntakeChannel
    incident_at: datetime
    sea_area: str | None
    amount_claimed: Decimal | None
    currency: str
    assigned_mediator_id: int | None
    state_entered_at: datetime
    created_at: datetime


class CaseDetail(CaseSummary):
    organisation_name: str | None = None
    incident_position: Position | None = None
    description: str
    filer_kind: FilerKind | None
    filer_name: str | None
    filer_phone: str | None
    referral_kind: ReferralKind | None
    referring_court_id: int | None
    court_case_number: str | None
    court_procedure: CourtProcedure | None
    triage: Triage | None = None
    dispatched_at: datetime | None
    accepted_at: datetime | None
    agreement_effective_on: date | None
    agreement_terms: str | None
    failure_reason: str | None
    cost_raising_conduct: str | None
    undisputed_facts: str | None
    court_notes: str | None
    confirmation_court_id: int | None
    confirmation_applied_on: date | None
    confirmation_docket_number: str | None
    court_accepted_on: date | None
    ruling_outcome: RulingOutcome | None
    ruling_number: str | None
    ruled_on: date | None
    ruling_grounds: list[str] | None
    ruling_reason: str | None
    refused_party_id: int | None
    refusal_reason: str | None
    litigation_court_id: int | None
    arbitration_body: str | None
    referral_record: dict[str, Any] | None
    enforcement_filed_on: date | None
    closed_at: datetime | None
    parties: list[PartyView] = Field(
        default_factory=list,
        description="full records for staff and for the "
        "caller's own party record; OtherParty for the others when the caller is a party",
    )
    vessels: list[VesselLink] = []
    crew: list[CrewLink] = []
    evidence: list[Evidence] = []
    members: list[Member] = []
    timeline: list[TimelineEntry] = []
    time_in_state: dict[str, float] = Field(default_factory=dict, description="seconds per state, summed over visits")
    deadlines: list[DeadlineOut] = []
    allowed_transitions: list[AllowedTransition] = []
    suggested_links: list[SuggestedLink] = Field(default_factory=list, description="possible duplicates; never merged")


class CasePage(Schema):
    items: list[CaseSummary]
    total: int
    page: int
    page_size: int


class LifecycleTransition(Schema):
    from_: State = Field(alias="from")
    to: State
    who: list[str]
    payload: list[PayloadField]
    preconditions: list[str]
    effects: list[str]
    basis: str

    model_config = ConfigDict(populate_by_name=True)


class Lifecycle(Schema):
    states: dict[str, str]
    labels: dict[str, dict[str, str]]
    transitions: list[LifecycleTransition]
