"""The case page: the file, the timeline with time in each state, the statutory deadlines that
run now (mediation/deadlines.py, each with its basis and status), the steps the caller may take,
and possible duplicates."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from geoalchemy2.shape import to_shape
from sqlalchemy.orm import Session

from maritime_hub.auth.service import Principal
from maritime_hub.config import get_settings
from maritime_hub.orgs.models import Organisation
from mediation import deadlines as dl
from mediation.cases import access, schemas, service, triage, workflow
from mediation.cases.enums import (
    ContactKind,
    CourtProcedure,
    DisputeType,
    IntakeChannel,
    ReferralKind,
    Route,
    RulingOutcome,
)
from mediation.cases.models import Case
from mediation.cases.repository import CaseRepository
from mediation.cases.rules import working_calendar
from mediation.cases.states import DISPUTE_TYPE_LABELS_ZH, STATE_LABELS_ZH, State

S = State
ENDED = (S.CLOSED, S.REFUSED)


def summary(case: Case) -> schemas.CaseSummary:
    out = schemas.CaseSummary.model_validate(case)
    out.state_label_zh = STATE_LABELS_ZH[case.state]
    out.dispute_type_label_zh = DISPUTE_TYPE_LABELS_ZH[case.dispute_type.value]
    return out


def mediation_kind(case: Case) -> dl.MediationKind:
    if case.referral_kind == ReferralKind.pre_filing_referral:
        return "pre_filing"
    if case.referral_kind == ReferralKind.post_filing_referral:
        return "post_filing_summary" if case.court_procedure == CourtProcedure.summary else "post_filing_ordinary"
    return "peoples"


def live_deadlines(case: Case) -> list[dl.Deadline]:
    """The deadlines that matter in the case's current state."""
    cal, s, out = working_calendar(), case.state, []
    court = case.intake_channel == IntakeChannel.court_referral
    if s == S.REGISTERED:
        # 接诉即办: local practice [U], hours from MH_REMINDER__ACKNOWLEDGEMENT_HOURS.
        out.append(dl.acknowledgement(case.created_at, get_settings().reminder.acknowledgement_hours))
    if court and s in (S.REGISTERED, S.TRIAGED, S.PLANNED):
        out.append(dl.party_choose_mediator(cal, case.created_at))
    if court and s == S.DISPATCHING and case.dispatched_at:
        out.append(dl.mediator_acceptance(cal, case.dispatched_at))
    if court and s in (S.ACCEPTED, S.INVESTIGATING) and case.accepted_at:
        out.append(dl.contact_other_party(cal, case.accepted_at))
    if s in (S.ACCEPTED, S.INVESTIGATING, S.MEDIATING) and case.accepted_at:
        out.append(dl.mediation_period(cal, case.accepted_at, mediation_kind(case)))
    if (
        s in (S.AGREED, S.NOT_ACCEPTED)
        and case.agreement_effective_on
        and case.referral_kind != ReferralKind.post_filing_referral
    ):
        out.append(dl.confirmation_window(cal, case.agreement_effective_on))
    if s == S.CONFIRM_APPLIED and case.confirmation_applied_on:
        out.append(dl.court_acceptance(cal, case.confirmation_applied_on))
    if s == S.UNDER_REVIEW and case.court_accepted_on:
        out += [dl.review_sla(cal, case.court_accepted_on), dl.review_hard_limit(cal, case.court_accepted_on)]
    if s in (S.CONFIRMED, S.FOLLOW_UP) and case.ruling_outcome == RulingOutcome.valid and case.ruled_on:
        # Received on the ruling day unless service says otherwise (service receipts come later).
        out.append(dl.party_objection(cal, case.ruled_on))
    if s not in ENDED and case.claim_arose_on:
        if triage.lien_applies(case.dispute_type):
            out.append(dl.maritime_lien(cal, case.claim_arose_on))
        if case.route == Route.labour_arbitration:
            out.append(dl.labour_arbitration(cal, case.claim_arose_on))
    if s not in ENDED and case.dispute_type == DisputeType.collision:
        out.append(dl.collision_claim(cal, case.incident_at))
    return out


def deadline_out(d: dl.Deadline, now: datetime) -> schemas.DeadlineOut:
    return schemas.DeadlineOut(
        key=d.key,
        label_zh=d.label_zh,
        label_en=d.label_en,
        due=d.due,
        basis=d.basis,
        start_event=d.start_event,
        start_date=d.start_date,
        unit=d.unit,
        amount=d.amount,
        extended_by_holiday=d.extended_by_holiday,
        hard=d.hard,
        approximate=d.approximate,
        note=d.note,
        status=dl.status(d, now),
        days_remaining=dl.remaining(d, now),
    )


def timeline(case: Case, now: datetime) -> tuple[list[schemas.TimelineEntry], dict[str, float]]:
    rows: list[schemas.TimelineEntry] = []
    per_state: defaultdict[str, float] = defaultdict(float)
    for i, t in enumerate(case.timeline):
        until = case.timeline[i + 1].at if i + 1 < len(case.timeline) else now
        seconds = max(0.0, (until - t.at).total_seconds())
        per_state[t.to_state.value] += seconds
        rows.append(
            schemas.TimelineEntry(
                from_state=t.from_state,
                to_state=t.to_state,
                to_label_zh=STATE_LABELS_ZH[t.to_state],
                at=t.at,
                actor_user_id=t.actor_user_id,
                actor_name=t.actor_name,
                payload=t.payload,
                seconds_in_state=seconds,
            )
        )
    return rows, dict(per_state)


def suggestions(session: Session, case: Case, known: tuple[dict, dict] | None = None) -> list[schemas.SuggestedLink]:
    """Other cases naming the same person or vessel near in time. `known`: the case's people and
    vessels when the caller has them already (the detail looks them up once)."""
    people, vessels = known or service.people_and_vessels(session, case)
    found: dict[int, schemas.SuggestedLink] = {}
    for other, what, ref in CaseRepository(session).duplicates(case):
        days = abs((other.incident_at - case.incident_at).total_seconds()) / 86400
        name = vessels[ref].display_name if what == "vessel" else people[ref].name
        reason = f"same {what} {name}, incidents {days:.1f} days apart"
        link = found.setdefault(
            other.id,
            schemas.SuggestedLink(
                case_id=other.id,
                number=other.number,
                organisation_id=other.organisation_id,
                state=other.state,
                incident_at=other.incident_at,
                reasons=[],
            ),
        )
        if reason not in link.reasons:
            link.reasons.append(reason)
    return sorted(found.values(), key=lambda s: s.case_id)


def sees_only_names(principal: Principal, party) -> bool:
    """A party reading the case sees the other parties' names, sides and agents; their own record in
    full. Staff (any role besides party) see every record."""
    return not (principal.roles - {"party"}) and (principal.user_id is None or party.user_id != principal.user_id)


def present(session: Session, principal: Principal, case_id: int) -> schemas.CaseDetail:
    case = CaseRepository(session).load(case_id, full=True)
    access.require_read(principal, case)
    now = datetime.now(UTC)
    base = summary(case).model_dump()
    fields = {
        k: getattr(case, k)
        for k in schemas.CaseDetail.model_fields
        if k not in base
        and hasattr(Case, k)
        and k not in ("parties", "vessels", "crew", "evidence", "members", "timeline", "incident_position")
    }
    out = schemas.CaseDetail(**base, **fields)
    org = session.get(Organisation, case.organisation_id)
    out.organisation_name = org.name if org else None
    if case.incident_position is not None:
        point = to_shape(case.incident_position)
        out.incident_position = schemas.Position(lon=point.x, lat=point.y)
    if case.triaged_at is not None:
        out.triage = schemas.Triage(
            grade=case.grade,
            foreign_element=case.foreign_element,
            foreign_reasons=case.foreign_reasons,
            route=case.route,
            route_basis=case.route_basis,
            crew_claim_basis=case.crew_claim_basis,
            claim_arose_on=case.claim_arose_on,
            lien_applies=triage.lien_applies(case.dispute_type),
        )
    people, vessels = service.people_and_vessels(session, case)
    for p in case.parties:
        if sees_only_names(principal, p):
            out.parties.append(schemas.OtherParty.model_validate(p))
            continue
        party = schemas.Party.model_validate(p)
        party.reachable_only_via_vessel = bool(p.contacts) and all(
            c.kind == ContactKind.at_sea_on_vessel for c in p.contacts
        )
        out.parties.append(party)
    out.vessels = [
        schemas.VesselLink(
            id=v.id,
            vessel_id=v.vessel_id,
            name=vessels[v.vessel_id].display_name,
            flag_state=vessels[v.vessel_id].flag_state,
            mmsi=vessels[v.vessel_id].mmsi,
            role=v.role,
        )
        for v in case.vessels
    ]
    out.crew = [
        schemas.CrewLink(
            id=c.id,
            person_id=c.person_id,
            name=people[c.person_id].name,
            nationality=people[c.person_id].nationality,
            boarding_id=c.boarding_id,
            role=c.role,
        )
        for c in case.crew
    ]
    out.evidence = [schemas.Evidence.model_validate(e) for e in case.evidence]
    out.members = [schemas.Member.model_validate(m) for m in case.members]
    out.timeline, out.time_in_state = timeline(case, now)
    out.deadlines = [deadline_out(d, now) for d in live_deadlines(case)]
    out.allowed_transitions = workflow.allowed(workflow.context(session, principal, case))
    if principal.roles - {"party"}:
        # Staff only: a party must not learn of other people's cases.
        out.suggested_links = suggestions(session, case, (people, vessels))
    return out
