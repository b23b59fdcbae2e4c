"""The pieces states.py assembles into the lifecycle: who may act (relations to the case),
preconditions and side effects.

- A relation answers "may this principal take the step on this case?".
- A precondition returns None when satisfied, or the reason the step is refused (409) saying what to
  do instead. It gets the payload, or None when the step is only being listed as possible (the case
  page), and then judges what it can without it. A wrong value in the payload raises
  ValidationFailed (422, field named).
- An effect changes the case (timestamps, recorded facts). The workflow writes the timeline row and
  the audit event; effects do not.

This module must not import mediation.cases.models (models imports states, which imports this).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy.orm import Session

from maritime_hub.auth.models import Role, User
from maritime_hub.auth.service import Principal
from maritime_hub.db.base import utcnow
from maritime_hub.errors import Forbidden, ValidationFailed
from maritime_hub.messages import N_, Joined, Msg
from maritime_hub.orgs.models import Organisation, OrgKind
from mediation import deadlines
from mediation.calendar import WorkingCalendar
from mediation.cases import hooks, triage
from mediation.cases import payloads as P
from mediation.cases.enums import (
    CREW_LABOUR_TYPES,
    JOINT_PANEL_CORE,
    Grade,
    MemberRole,
    PartySide,
    ReferralKind,
    Route,
    RulingOutcome,
)
from mediation.cases.errors import DeadlinePassed, coded
from mediation.cases.messages import label
from mediation.cases.models import Case


@lru_cache(maxsize=1)
def working_calendar() -> WorkingCalendar:
    return WorkingCalendar.from_settings()


@dataclass
class Ctx:
    session: Session
    case: Case  # with parties and members loaded
    principal: Principal
    today: date
    now: datetime | None = None  # a frozen clock (jobs, tests); None = the wall clock

    def caller_party_ids(self) -> set[int]:
        uid = self.principal.user_id
        return (
            {p.id for p in self.case.parties if uid is not None and p.user_id == uid}
            if self.principal.has("party")
            else set()
        )


# -- who ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    key: str
    label: str
    label_zh: str
    test: Callable[[Ctx], bool]


def _in_org(ctx: Ctx, role: Role, org_id: int | None) -> bool:
    return ctx.principal.has(role.value) and org_id is not None and ctx.principal.organisation_id == org_id


ORG_COORDINATOR = Who(
    "org_coordinator",
    "coordinator of the case's mediation organisation",
    "本组织受理协调员",
    lambda c: _in_org(c, Role.coordinator, c.case.organisation_id),
)
ORG_MEDIATOR = Who(
    "org_mediator",
    "mediator of the case's mediation organisation",
    "本组织调解员",
    lambda c: _in_org(c, Role.mediator, c.case.organisation_id),
)
ASSIGNED_MEDIATOR = Who(
    "assigned_mediator",
    "the mediator the case is dispatched to",
    "承办调解员",
    lambda c: (
        c.principal.has("mediator")
        and c.case.assigned_mediator_id is not None
        and c.principal.user_id == c.case.assigned_mediator_id
    ),
)
PANEL_CHIEF = Who(
    "panel_chief",
    "chief mediator of the case's joint panel",
    "联合调解首席调解员",
    lambda c: (
        c.principal.user_id is not None
        and any(m.role == MemberRole.chief_mediator and m.user_id == c.principal.user_id for m in c.case.members)
    ),
)
CASE_PARTY = Who(
    "case_party",
    "a party to the case (through their linked account)",
    "本案当事人",
    lambda c: bool(c.caller_party_ids()),
)
COURT_STAFF = Who(
    "court_staff",
    "court clerk or judge of the court applied to",
    "受理法院书记员或法官",
    lambda c: (
        _in_org(c, Role.court_clerk, c.case.confirmation_court_id)
        or _in_org(c, Role.judge, c.case.confirmation_court_id)
    ),
)
COURT_JUDGE = Who(
    "court_judge",
    "judge of the court applied to",
    "受理法院法官",
    lambda c: _in_org(c, Role.judge, c.case.confirmation_court_id),
)

STAFF = (ORG_COORDINATOR, ASSIGNED_MEDIATOR)
CASE_MEDIATOR = (ASSIGNED_MEDIATOR, PANEL_CHIEF)


# -- helpers ---------------------------------------------------------------------------------------


def _org(ctx: Ctx, org_id: int, field: str, *, court: bool = False) -> Organisation:
    org = ctx.session.get(Organisation, org_id)
    if org is None:
        raise ValidationFailed(N_("organisation {org_id} does not exist"), org_id=org_id, field=field)
    if court and org.kind != OrgKind.maritime_court:
        raise ValidationFailed(
            N_(
                "{name} is not a maritime court: maritime mediation agreements are confirmed by a "
                "maritime court (MC-Scope item 104; CPL 205)"
            ),
            name=org.name,
            field=field,
        )
    return org


def confirmation_court(ctx: Ctx, p: P.ConfirmationApplication) -> int:
    """CPL 205: an agreement from a mediation a court invited (委派) is confirmed by that court;
    otherwise by the competent maritime court the parties name (MC-Scope item 104)."""
    invited = ctx.case.referring_court_id if ctx.case.referral_kind == ReferralKind.pre_filing_referral else None
    court_id = p.court_id or invited
    if court_id is None:
        raise ValidationFailed(N_("name the maritime court applied to (court_id; MC-Scope item 104)"), field="court_id")
    _org(ctx, court_id, "court_id", court=True)
    return court_id


def _blank(v: str | None) -> bool:
    return v is None or not v.strip()


# -- preconditions ---------------------------------------------------------------------------------

# A failing check returns an messages.Msg: a str (English) that the case page and API localise.
Check = Callable[[Ctx, Any], "str | None"]


def both_sides_known(ctx: Ctx, p: Any) -> str | None:
    sides = {party.side for party in ctx.case.parties}
    missing = [s.value for s in (PartySide.applicant, PartySide.respondent) if s not in sides]
    if missing:
        return Msg(
            N_(
                "triage needs both sides of the dispute; the case has no {missing}: add one with "
                "POST /api/v1/cases/{case_id}/parties (an unidentified party can be recorded as a new_person "
                "with what is known)"
            ),
            missing=Joined((label("side", s) for s in missing), " or ", "或"),
            case_id=ctx.case.id,
        )
    return None


def crew_basis_given(ctx: Ctx, p: P.Triage | None) -> str | None:
    if (
        p is not None
        and ctx.case.dispute_type in CREW_LABOUR_TYPES
        and not (p.crew_claim_basis or ctx.case.crew_claim_basis)
    ):
        raise ValidationFailed(
            N_(
                "a crew labour claim is routed by what it arises from (Crew-Prov 1): give crew_claim_basis "
                "= boarding, on_board_service, repatriation or other_labour"
            ),
            field="crew_claim_basis",
        )
    return None


def joint_panel_complete(ctx: Ctx, p: Any) -> str | None:
    """A major case (重大纠纷) is mediated by a 3+X joint panel [U: local practice, domain.md §2]."""
    if ctx.case.grade != Grade.major:
        return None
    roles = {m.role for m in ctx.case.members}
    missing: list[str] = [label("member_role", r) for r in JOINT_PANEL_CORE if r not in roles]
    if MemberRole.department not in roles:
        missing.append(Msg(N_("at least one department (the X)")))
    if missing:
        return Msg(
            N_(
                "a major case is mediated by a 3+X joint panel; still missing: {missing}. Add them with "
                "POST /api/v1/cases/{case_id}/members, then dispatch"
            ),
            missing=Joined(missing),
            case_id=ctx.case.id,
        )
    return None


def mediator_is_valid(ctx: Ctx, p: P.Dispatch | None) -> str | None:
    if p is None:
        return None
    user = ctx.session.get(User, p.mediator_user_id)
    if user is None or not user.active or Role.mediator.value not in user.roles:
        raise ValidationFailed(
            N_("user {user_id} is not an active mediator"), user_id=p.mediator_user_id, field="mediator_user_id"
        )
    return None


def another_mediator(ctx: Ctx, p: P.Dispatch | None) -> str | None:
    if p is not None and p.mediator_user_id == ctx.case.assigned_mediator_id:
        return Msg(N_("the case is already dispatched to this mediator; choose another one to reassign (ODR 12)"))
    return None


def dispatch_allowed(ctx: Ctx, p: P.Dispatch | None) -> str | None:
    """派单 rules kept by mediation/dispatch (conflicts of interest, availability, load), registered
    in hooks.py so every path to DISPATCHING obeys them."""
    for hook in hooks.dispatch_hooks():
        if reason := hook.check(ctx, p):
            return reason
    return None


def agreement_after_registration(ctx: Ctx, p: P.Agreement | None) -> str | None:
    if p is not None and p.effective_at < deadlines.local_date(ctx.case.created_at):
        raise ValidationFailed(
            N_("effective_at {date} is before the case was registered"), date=p.effective_at, field="effective_at"
        )
    return None


def termination_record_complete(ctx: Ctx, p: P.Termination | None) -> str | None:
    """PML 26; ODR 21-22: a failed mediation leaves the court a record: why it failed, conduct that
    raised the other side's costs, and the facts the parties did not dispute (无争议事实)."""
    if p is None:
        return None
    names = {
        "failure_reason": N_("failure_reason (why mediation failed)"),
        "cost_raising_conduct": N_("cost_raising_conduct (conduct that raised the other side's costs)"),
        "undisputed_facts": N_("undisputed_facts (无争议事实, confirmed in writing)"),
    }
    missing = [Msg(name) for field, name in names.items() if _blank(getattr(p, field))]
    if missing:
        return Msg(
            N_(
                "cannot terminate without the record ODR 21-22 and PML 26 require; missing: {missing}. "
                "Write '无' where there is none, so the court sees it was considered"
            ),
            missing=Joined(missing, "; ", "；"),
        )
    return None


def confirmation_available(ctx: Ctx, p: Any) -> str | None:
    if ctx.case.referral_kind == ReferralKind.post_filing_referral:
        return Msg(
            N_(
                "a post-filing (委托) mediation ends with a 民事调解书 issued by the trial court (Invited-Med 20; "
                "CPL 100), not with judicial confirmation: move the case to FOLLOW_UP"
            )
        )
    if ctx.case.agreement_effective_on is None:
        return Msg(N_("no agreement has taken effect: record it first (to AGREED with effective_at)"))
    return None


def within_confirmation_window(ctx: Ctx, p: P.ConfirmationApplication | None) -> str | None:
    """CPL 205 (PML 33): apply within 30 days of the agreement taking effect, counted by CPL 85."""
    effective = ctx.case.agreement_effective_on
    if effective is None:
        return None
    applied = (p.applied_on if p is not None else None) or ctx.today
    ok, dl = deadlines.confirmation_window_open(working_calendar(), effective, applied)
    if ok:
        return None
    if applied < dl.start_date:
        return Msg(
            N_("the application date {applied} is before the agreement took effect ({effective})"),
            applied=applied,
            effective=effective,
        )
    moved = Msg(N_(" (moved past a rest day, CPL 85)")) if dl.extended_by_holiday else ""
    return coded(
        DeadlinePassed.code,
        Msg(
            N_(
                "too late for judicial confirmation: the agreement took effect on {effective}, and CPL 205 (PML 33) "
                "allows 30 days, which ended on {due}{moved}; applied on {applied}. The parties may re-mediate (to "
                "MEDIATING, then a new agreement) or sue on the agreement (to REFERRED_LITIGATION, PML 32)"
            ),
            effective=effective,
            due=dl.due,
            moved=moved,
            applied=applied,
        ),
    )


def all_parties_join(ctx: Ctx, p: P.ConfirmationApplication | None) -> str | None:
    """CPL 205; SPC-2011 3: all parties apply jointly; one who does not must be recorded as agreeing."""
    if p is None:
        return None
    parties = {party.id: party for party in ctx.case.parties}
    for field in ("applicant_party_ids", "consenting_party_ids"):
        unknown = [i for i in getattr(p, field) if i not in parties]
        if unknown:
            raise ValidationFailed(N_("party {party_id} is not a party to this case"), party_id=unknown[0], field=field)
    staff = any(w.test(ctx) for w in STAFF)
    if not staff:
        own = ctx.caller_party_ids()
        if not own & set(p.applicant_party_ids):
            raise Forbidden(N_("a party applies in their own name: include your party in applicant_party_ids"))
        if p.consenting_party_ids:
            raise Forbidden(N_("only the mediator or the coordinator can record another party's agreement"))
    missing = [parties[i] for i in parties if i not in set(p.applicant_party_ids) | set(p.consenting_party_ids)]
    if missing:
        who = Joined(Msg(N_("{name} ({side})"), name=m.name, side=label("side", m.side)) for m in missing)
        return Msg(
            N_(
                "judicial confirmation is applied for jointly by all parties (CPL 205; SPC-2011 3): {who} neither "
                "applies nor is recorded as agreeing; add them to applicant_party_ids, or have the mediator record "
                "their agreement in consenting_party_ids"
            ),
            who=who,
        )
    return None


def court_is_competent(ctx: Ctx, p: P.ConfirmationApplication | None) -> str | None:
    if p is None:
        return None
    court_id = confirmation_court(ctx, p)
    invited = ctx.case.referring_court_id if ctx.case.referral_kind == ReferralKind.pre_filing_referral else None
    if invited is not None and court_id != invited:
        court = ctx.session.get(Organisation, invited)
        if court is None:  # a bug: the foreign key keeps the inviting court
            raise RuntimeError(f"case {ctx.case.id}: referring court {invited} not found")
        name = court.name
        return Msg(
            N_(
                "the mediation was invited by {name} (委派): CPL 205 sends the application to that court; use "
                "court_id {court_id}"
            ),
            name=name,
            court_id=invited,
        )
    return None


def court_acceptance_dates(ctx: Ctx, p: P.CourtAcceptance | None) -> str | None:
    if (
        p is not None
        and p.accepted_on
        and ctx.case.confirmation_applied_on
        and p.accepted_on < ctx.case.confirmation_applied_on
    ):
        raise ValidationFailed(N_("accepted_on is before the application was filed"), field="accepted_on")
    return None


def refusing_party_on_case(ctx: Ctx, p: P.Refusal | None) -> str | None:
    if p is None:
        return None
    if p.refusing_party_id not in {party.id for party in ctx.case.parties}:
        raise ValidationFailed(
            N_("party {party_id} is not a party to this case"), party_id=p.refusing_party_id, field="refusing_party_id"
        )
    if not ORG_COORDINATOR.test(ctx) and p.refusing_party_id not in ctx.caller_party_ids():
        raise Forbidden(N_("a party can refuse mediation only for themselves"))
    return None


def obligations_settled(ctx: Ctx, p: P.Closure | None) -> str | None:
    """PML 31: obligations still owed (unpaid, not waived) block closing, unless closed on purpose with a reason."""
    return hooks.followup().closing_blocker(ctx.session, ctx.case.id, p)


def confirmed_by_court(ctx: Ctx, p: Any) -> str | None:
    if ctx.case.ruling_outcome != RulingOutcome.valid:
        return Msg(
            N_(
                "enforcement needs a court ruling that the agreement is valid (CPL 206, 250); an unconfirmed "
                "agreement is enforced by suing on it: move the case to REFERRED_LITIGATION (PML 32)"
            )
        )
    return None


def route_allows_litigation(ctx: Ctx, p: Any) -> str | None:
    if ctx.case.route == Route.labour_arbitration:
        return Msg(
            N_(
                "this crew labour claim does not arise from boarding, on-board service or repatriation, so it goes "
                "to labour arbitration before any court (Crew-Prov 1, 5): move the case to REFERRED_ARBITRATION"
            )
        )
    return None


def route_is_labour_arbitration(ctx: Ctx, p: Any) -> str | None:
    if ctx.case.route != Route.labour_arbitration:
        return Msg(
            N_(
                "labour arbitration takes only crew labour claims outside boarding, on-board service and "
                "repatriation (Crew-Prov 1); triage did not route this case there: move it to REFERRED_LITIGATION"
            )
        )
    return None


def court_exists(ctx: Ctx, p: P.LitigationReferral | P.Enforcement | None) -> str | None:
    if p is not None and p.court_id is not None:
        _org(ctx, p.court_id, "court_id")
    return None


# -- effects ------------------------------------------------------------------------------------------

Effect = Callable[[Ctx, Any], None]


def apply_triage(ctx: Ctx, p: P.Triage) -> None:
    case = ctx.case
    case.grade = p.grade
    case.crew_claim_basis = p.crew_claim_basis or case.crew_claim_basis
    # 海商法 29: the lien runs from when the claim arose; the incident date unless told otherwise.
    case.claim_arose_on = p.claim_arose_on or case.claim_arose_on or deadlines.local_date(case.incident_at)
    reasons = list(dict.fromkeys(triage.foreign_reasons(ctx.session, case)))
    case.foreign_element, case.foreign_reasons = bool(reasons), reasons
    case.route, case.route_basis = triage.route_for(case.dispute_type, case.crew_claim_basis)
    case.triaged_at = utcnow()


def assign_mediator(ctx: Ctx, p: P.Dispatch) -> None:
    ctx.case.assigned_mediator_id = p.mediator_user_id
    ctx.case.dispatched_at = ctx.now or utcnow()  # ODR 12: the 3-working-day acceptance clock


def record_dispatch(ctx: Ctx, p: P.Dispatch) -> None:
    """The dispatch attempt record (mediation/dispatch, through hooks.py)."""
    for hook in hooks.dispatch_hooks():
        hook.record(ctx, p)


def start_mediation_clock(ctx: Ctx, p: Any) -> None:
    ctx.case.accepted_at = utcnow()  # ODR 24: the mediation period runs from acceptance


def record_agreement(ctx: Ctx, p: P.Agreement) -> None:
    ctx.case.agreement_effective_on = p.effective_at  # opens the 30-day window of CPL 205
    ctx.case.agreement_terms = p.terms_summary
    # PML 31: the obligations of the agreement, itemised by mediation.followup (a hook: it imports cases).
    hooks.followup().agreement_recorded(ctx.session, ctx.principal, ctx.case, p.obligations, p.effective_at)


def record_termination(ctx: Ctx, p: P.Termination) -> None:
    for field in ("failure_reason", "cost_raising_conduct", "undisputed_facts", "court_notes"):
        setattr(ctx.case, field, getattr(p, field))
    ctx.case.terminated_at = utcnow()


def record_application(ctx: Ctx, p: P.ConfirmationApplication) -> None:
    case = ctx.case
    case.confirmation_court_id = confirmation_court(ctx, p)
    case.confirmation_applied_on = p.applied_on or ctx.today
    case.confirmation_oral = p.oral
    for field in (
        "confirmation_docket_number",
        "court_accepted_on",
        "ruling_outcome",
        "ruling_number",
        "ruled_on",
        "ruling_grounds",
        "ruling_reason",
    ):
        setattr(case, field, None)


def record_court_acceptance(ctx: Ctx, p: P.CourtAcceptance) -> None:
    ctx.case.court_accepted_on = p.accepted_on or ctx.today  # SPC-2011 5 / CPL 187 clocks
    ctx.case.confirmation_docket_number = p.docket_number


def record_ruling(outcome: RulingOutcome) -> Effect:
    def effect(ctx: Ctx, p: Any) -> None:
        ctx.case.ruling_outcome = outcome
        ctx.case.ruled_on = p.ruled_on or ctx.today
        ctx.case.ruling_number = getattr(p, "ruling_number", None)
        ctx.case.ruling_grounds = [g.value for g in getattr(p, "grounds", [])] or None
        ctx.case.ruling_reason = getattr(p, "reason", None)

    effect.__name__ = f"record_ruling_{outcome.value}"
    return effect


def record_refusal(ctx: Ctx, p: P.Refusal) -> None:
    ctx.case.refused_party_id = p.refusing_party_id
    ctx.case.refusal_reason = p.reason


def _termination_record(case: Case) -> dict | None:
    if case.terminated_at is None:
        return None
    return {
        "failure_reason": case.failure_reason,
        "cost_raising_conduct": case.cost_raising_conduct,
        "undisputed_facts": case.undisputed_facts,
        "court_notes": case.court_notes,
        "terminated_at": case.terminated_at.isoformat(),
    }


def refer_to_litigation(ctx: Ctx, p: P.LitigationReferral) -> None:
    """Invited-Med 21; ODR 21: the failure record and undisputed facts travel with the referral."""
    case = ctx.case
    case.litigation_court_id = p.court_id or case.referring_court_id
    # Effects run before the state changes, so this is where the case comes from (State itself cannot
    # be imported here: states.py imports this module).
    case.referral_record = _termination_record(case) if case.state.value == "TERMINATED" else None
    case.referred_at = utcnow()


def refer_to_arbitration(ctx: Ctx, p: P.ArbitrationReferral) -> None:
    ctx.case.arbitration_body = p.arbitration_body
    ctx.case.referral_record = _termination_record(ctx.case)
    ctx.case.referred_at = utcnow()


def record_enforcement(ctx: Ctx, p: P.Enforcement) -> None:
    ctx.case.enforcement_filed_on = p.filed_on or ctx.today


def close(ctx: Ctx, p: Any) -> None:
    ctx.case.closed_at = utcnow()  # PML 27: the case file is archived
