"""What each transition carries besides ``to`` (POST /cases/{id}/transitions).

Field-level problems are 422 naming the field; whether the case may take the step at all is the
preconditions' business (409, rules.py). Unknown fields are refused so a typo is not silently lost.
"""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field, field_validator

from maritime_hub.db.base import utcnow
from maritime_hub.messages import N_, Msg
from maritime_hub.types import Day, Id, Schema
from mediation.cases.enums import NOT_ACCEPTED_GROUNDS, CrewClaimBasis, Grade, RulingGround
from mediation.deadlines import local_date
from mediation.followup.schemas import ObligationIn


def _text():
    return Field(default=None, max_length=4000)


def local_today() -> date:
    return local_date(utcnow())  # the replayed clock when loading demo history


def _not_future(v: date | None) -> date | None:
    if v is not None and v > local_today():
        # A Msg, so a form shows it in the reader's language (messages.validation_message).
        raise ValueError(
            Msg(N_("{day} is in the future: give a day up to today ({today})"), day=v, today=local_today())
        )
    return v


class Payload(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=4000, description=N_("free note for the timeline"))


class Triage(Payload):
    grade: Grade = Field(description=N_("general 一般 / complex 疑难 / major 重大 (3+X joint panel)"))
    crew_claim_basis: CrewClaimBasis | None = Field(
        default=None, description=N_("crew claims: decides the route (Crew-Prov 1)")
    )
    claim_arose_on: Day | None = Field(
        default=None, description=N_("when the wage/injury claim arose (海商法 29); default: incident date")
    )

    _claim = field_validator("claim_arose_on")(_not_future)


class Plan(Payload):
    """TRIAGED → PLANNED (制定方案): the mediation plan, kept in the step's timeline payload. Local
    practice (Putuo, Lufeng) writes the approach, who takes part and the schedule [U]."""

    approach: str = Field(
        min_length=1,
        max_length=2000,
        description=N_("the approach, e.g. separate talks with each side first, then a joint video session"),
    )
    participants: str | None = Field(
        default=None, max_length=2000, description=N_("who takes part: parties, agents, experts, 3+X members")
    )
    schedule: str | None = Field(
        default=None, max_length=2000, description=N_("when: investigation, sessions, target date")
    )


class InvestigationSkip(Payload):
    """ACCEPTED → MEDIATING without 实地调查: a remote (online) mediation needs no visit on site
    (ODR 16: sessions by audio and video). The reason is required and kept in the timeline and audit."""

    skip_reason: str = Field(
        min_length=1,
        max_length=4000,
        description=N_("why no field investigation, e.g. a remote video mediation with the party at sea"),
    )


class Dispatch(Payload):
    mediator_user_id: Id = Field(gt=0, description=N_("the mediator the case is dispatched to (派单)"))


class Agreement(Payload):
    """Minimal for now; the full 调解协议书 (domain.md §3.1) comes with the agreement document."""

    effective_at: Day = Field(
        description=N_("the day the agreement took effect (last signature and seal, PML 29; ODR 19)")
    )
    terms_summary: str = Field(min_length=1, max_length=4000)
    obligations: list[ObligationIn] = Field(
        default_factory=list,
        description=N_("the itemised obligations of the agreement (who, what, amount), tracked in follow-up (PML 31)"),
    )

    _eff = field_validator("effective_at")(_not_future)


class Termination(Payload):
    # Optional here on purpose: a missing item is a 409 naming it (ODR 21-22), not a bare 422.
    failure_reason: str | None = _text()
    cost_raising_conduct: str | None = _text()
    undisputed_facts: str | None = _text()
    court_notes: str | None = _text()


class ConfirmationApplication(Payload):
    applicant_party_ids: list[int] = Field(min_length=1, description=N_("the parties applying (CPL 205: jointly)"))
    consenting_party_ids: list[int] = Field(
        default_factory=list, description=N_("parties recorded as agreeing without applying")
    )
    court_id: Id | None = Field(default=None, gt=0, description=N_("the maritime court applied to (MC-Scope 104)"))
    applied_on: Day | None = Field(
        default=None, description=N_("filing date, or the postmark date when posted (CPL 85); default today")
    )
    oral: bool = Field(default=False, description=N_("oral application recorded by the court (CPL-Interp 353)"))

    _applied = field_validator("applied_on")(_not_future)


class CourtAcceptance(Payload):
    docket_number: str | None = Field(default=None, max_length=80, description=N_("e.g. （2026）浙72民特12号"))
    accepted_on: Day | None = None

    _acc = field_validator("accepted_on")(_not_future)


class NotAccepted(Payload):
    grounds: list[RulingGround] = Field(min_length=1, description=N_("CPL-Interp 355 grounds"))
    reason: str = Field(min_length=1, max_length=4000)
    ruled_on: Day | None = None

    _ruled = field_validator("ruled_on")(_not_future)

    @field_validator("grounds")
    @classmethod
    def _interp_355(cls, v: list[RulingGround]) -> list[RulingGround]:
        wrong = [g.value for g in v if g not in NOT_ACCEPTED_GROUNDS]
        if wrong:
            allowed = ", ".join(sorted(g.value for g in NOT_ACCEPTED_GROUNDS))
            raise ValueError(
                f"{', '.join(wrong)} is a ground for dismissal, not for non-acceptance (CPL-Interp 355: {allowed})"
            )
        return v


class Ruling(Payload):
    ruling_number: str | None = Field(default=None, max_length=80)
    ruled_on: Day | None = None

    _ruled = field_validator("ruled_on")(_not_future)


class Rejection(Ruling):
    grounds: list[RulingGround] = Field(min_length=1, description=N_("CPL-Interp 358 / ODR 23 grounds"))
    reason: str = Field(min_length=1, max_length=4000)


class Withdrawal(Payload):
    reason: str = Field(min_length=1, max_length=4000)
    deemed: bool = Field(
        default=False, description=N_("deemed withdrawn: unexcused failure to supplement or appear (CPL-Interp 357)")
    )


class Refusal(Payload):
    refusing_party_id: Id = Field(gt=0, description=N_("the party who refuses mediation (PML 17)"))
    reason: str | None = _text()


class LitigationReferral(Payload):
    court_id: Id | None = Field(default=None, gt=0, description=N_("default: the referring court"))


class ArbitrationReferral(Payload):
    arbitration_body: str = Field(min_length=2, max_length=200, description=N_("劳动人事争议仲裁委员会"))


class Enforcement(Payload):
    filed_on: Day | None = None
    court_id: Id | None = Field(
        default=None, gt=0, description=N_("the ruling court or a same-level court where assets are (CPL-Interp 460)")
    )

    _filed = field_validator("filed_on")(_not_future)


class Closure(Payload):
    """FOLLOW_UP → CLOSED: closing with obligations still owed must be said, with the reason."""

    close_with_outstanding: bool = Field(
        default=False, description=N_("close although obligations are unpaid and not waived")
    )
    outstanding_reason: str | None = Field(
        default=None, max_length=4000, description=N_("why (e.g. 已转诉讼/权利人放弃回访)")
    )
