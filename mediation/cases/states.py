"""The case lifecycle as data (domain.md §2): every state, every transition, who may take it, what
must hold first and what it sets. One place to read the whole lifecycle; the workflow
(workflow.py) only interprets this table.

Reading a row: ``T(SOURCE, TARGET, who, payload, checks, effects, basis)``.
- who: relations to the case (rules.py), any one suffices; admin and fishery_auditor only read.
- payload: what the request carries besides ``to`` (payloads.py).
- checks: preconditions; a failure is a 409 saying why and what to do instead.
- effects: what the step records on the case. Every step also writes a timeline row and an audit event.
"""

from __future__ import annotations

from dataclasses import dataclass

from mediation.cases import payloads as P
from mediation.cases import rules as R
from mediation.cases.enums import RulingOutcome, State
from mediation.cases.labels import DISPUTE_TYPE_LABELS_ZH, LABELS_ZH, STATE_LABELS_ZH  # noqa: F401 - re-exported


@dataclass(frozen=True)
class Transition:
    source: State
    target: State
    who: tuple[R.Who, ...]
    payload: type[P.Payload] = P.Payload
    checks: tuple[R.Check, ...] = ()
    effects: tuple[R.Effect, ...] = ()
    basis: str = ""


T = Transition
S = State
BEFORE_MEDIATION = (S.REGISTERED, S.TRIAGED, S.PLANNED, S.DISPATCHING)

TRANSITIONS: tuple[Transition, ...] = (
    # -- intake, triage, plan, dispatch
    T(
        S.REGISTERED,
        S.TRIAGED,
        (R.ORG_COORDINATOR,),
        P.Triage,
        (R.both_sides_known, R.crew_basis_given),
        (R.apply_triage,),
        "Crew-Prov 1; 海商法 22, 29; grading [U]",
    ),
    *(
        T(
            src,
            S.REFUSED,
            (R.ORG_COORDINATOR, R.CASE_PARTY),
            P.Refusal,
            (R.refusing_party_on_case,),
            (R.record_refusal,),
            "PML 17: one party's refusal bars mediation",
        )
        for src in BEFORE_MEDIATION
    ),
    T(S.TRIAGED, S.PLANNED, (R.ORG_COORDINATOR, R.ORG_MEDIATOR), P.Plan, basis="制定方案 [U]"),
    T(
        S.PLANNED,
        S.DISPATCHING,
        (R.ORG_COORDINATOR,),
        P.Dispatch,
        (R.joint_panel_complete, R.mediator_is_valid, R.dispatch_allowed),
        (R.assign_mediator, R.record_dispatch),
        "派单 [U]; ODR 10",
    ),
    T(
        S.DISPATCHING,
        S.DISPATCHING,
        (R.ORG_COORDINATOR,),
        P.Dispatch,
        (R.mediator_is_valid, R.another_mediator, R.dispatch_allowed),
        (R.assign_mediator, R.record_dispatch),
        "REASSIGN; ODR 12",
    ),
    T(S.DISPATCHING, S.ACCEPTED, (R.ASSIGNED_MEDIATOR,), effects=(R.start_mediation_clock,), basis="接单; ODR 12, 24"),
    # -- mediation
    T(S.ACCEPTED, S.INVESTIGATING, R.CASE_MEDIATOR, basis="实地调查; ODR 26"),
    # A remote mediation skips the field investigation, saying why (the same people who investigate).
    T(S.ACCEPTED, S.MEDIATING, R.CASE_MEDIATOR, P.InvestigationSkip, basis="免实地调查，远程调解; ODR 16, 24"),
    T(S.INVESTIGATING, S.MEDIATING, R.CASE_MEDIATOR, basis="组织调解; ODR 16, 24"),
    T(
        S.MEDIATING,
        S.AGREED,
        R.CASE_MEDIATOR,
        P.Agreement,
        (R.agreement_after_registration,),
        (R.record_agreement,),
        "PML 28-30; ODR 19",
    ),
    T(
        S.MEDIATING,
        S.TERMINATED,
        R.CASE_MEDIATOR,
        P.Termination,
        (R.termination_record_complete,),
        (R.record_termination,),
        "PML 26; ODR 21-22, 25; Invited-Med 21",
    ),
    # -- after an agreement
    T(
        S.AGREED,
        S.CONFIRM_APPLIED,
        (R.CASE_PARTY, *R.STAFF),
        P.ConfirmationApplication,
        (R.confirmation_available, R.within_confirmation_window, R.all_parties_join, R.court_is_competent),
        (R.record_application,),
        "CPL 205; PML 33; SPC-2011 3; CPL-Interp 351-354",
    ),
    T(S.AGREED, S.FOLLOW_UP, (R.ASSIGNED_MEDIATOR,), basis="PML 31"),
    T(S.AGREED, S.MEDIATING, R.STAFF, basis="re-mediate, e.g. after the CPL 205 window lapsed"),
    T(
        S.AGREED,
        S.REFERRED_LITIGATION,
        R.STAFF,
        P.LitigationReferral,
        (R.court_exists,),
        (R.refer_to_litigation,),
        "PML 32: sue on the agreement",
    ),
    # -- judicial confirmation
    T(
        S.CONFIRM_APPLIED,
        S.UNDER_REVIEW,
        (R.COURT_STAFF,),
        P.CourtAcceptance,
        (R.court_acceptance_dates,),
        (R.record_court_acceptance,),
        "SPC-2011 4; CPL 187",
    ),
    T(
        S.CONFIRM_APPLIED,
        S.NOT_ACCEPTED,
        (R.COURT_STAFF,),
        P.NotAccepted,
        (),
        (R.record_ruling(RulingOutcome.not_accepted),),
        "CPL-Interp 355",
    ),
    T(
        S.NOT_ACCEPTED,
        S.CONFIRM_APPLIED,
        (R.CASE_PARTY, *R.STAFF),
        P.ConfirmationApplication,
        (R.confirmation_available, R.within_confirmation_window, R.all_parties_join, R.court_is_competent),
        (R.record_application,),
        "CPL 205; CPL-Interp 352: apply to a competent court",
    ),
    T(S.NOT_ACCEPTED, S.MEDIATING, R.STAFF, basis="CPL 206 by analogy: re-mediate"),
    T(
        S.NOT_ACCEPTED,
        S.REFERRED_LITIGATION,
        R.STAFF,
        P.LitigationReferral,
        (R.court_exists,),
        (R.refer_to_litigation,),
        "PML 32",
    ),
    T(
        S.UNDER_REVIEW,
        S.CONFIRMED,
        (R.COURT_JUDGE,),
        P.Ruling,
        (),
        (R.record_ruling(RulingOutcome.valid),),
        "CPL 185, 206",
    ),
    T(
        S.UNDER_REVIEW,
        S.REJECTED,
        (R.COURT_JUDGE,),
        P.Rejection,
        (),
        (R.record_ruling(RulingOutcome.dismissed),),
        "CPL 206; CPL-Interp 358; ODR 23",
    ),
    T(S.UNDER_REVIEW, S.WITHDRAWN, (R.CASE_PARTY, R.COURT_STAFF), P.Withdrawal, basis="CPL-Interp 357"),
    T(S.CONFIRMED, S.FOLLOW_UP, (R.ASSIGNED_MEDIATOR,), basis="PML 31"),
    T(
        S.CONFIRMED,
        S.ENFORCEMENT,
        (R.CASE_PARTY, *R.STAFF),
        P.Enforcement,
        (R.court_exists,),
        (R.record_enforcement,),
        "CPL 206, 250; CPL-Interp 460",
    ),
    T(S.REJECTED, S.MEDIATING, R.STAFF, basis="CPL 206: re-mediate"),
    T(
        S.REJECTED,
        S.REFERRED_LITIGATION,
        R.STAFF,
        P.LitigationReferral,
        (R.court_exists,),
        (R.refer_to_litigation,),
        "CPL 206: sue",
    ),
    T(S.WITHDRAWN, S.FOLLOW_UP, (R.ASSIGNED_MEDIATOR,), basis="PML 31"),
    T(S.WITHDRAWN, S.CLOSED, (R.ORG_COORDINATOR,), effects=(R.close,), basis="PML 27"),
    # -- follow-up and endings
    T(S.FOLLOW_UP, S.CLOSED, (R.ORG_COORDINATOR,), P.Closure, (R.obligations_settled,), (R.close,), "PML 27, 31"),
    T(
        S.FOLLOW_UP,
        S.ENFORCEMENT,
        (R.CASE_PARTY, *R.STAFF),
        P.Enforcement,
        (R.confirmed_by_court, R.court_exists),
        (R.record_enforcement,),
        "CPL 206, 250",
    ),
    T(
        S.FOLLOW_UP,
        S.REFERRED_LITIGATION,
        R.STAFF,
        P.LitigationReferral,
        (R.court_exists,),
        (R.refer_to_litigation,),
        "PML 32: sue on the agreement",
    ),
    T(S.ENFORCEMENT, S.CLOSED, (R.ORG_COORDINATOR,), effects=(R.close,), basis="PML 27"),
    T(
        S.TERMINATED,
        S.REFERRED_LITIGATION,
        R.STAFF,
        P.LitigationReferral,
        (R.route_allows_litigation, R.court_exists),
        (R.refer_to_litigation,),
        "PML 26; Invited-Med 21; ODR 21",
    ),
    T(
        S.TERMINATED,
        S.REFERRED_ARBITRATION,
        R.STAFF,
        P.ArbitrationReferral,
        (R.route_is_labour_arbitration,),
        (R.refer_to_arbitration,),
        "Crew-Prov 1, 5; 劳动争议调解仲裁法 27",
    ),
    T(S.TERMINATED, S.CLOSED, (R.ORG_COORDINATOR,), effects=(R.close,), basis="PML 26-27"),
    T(S.REFERRED_LITIGATION, S.CLOSED, (R.ORG_COORDINATOR,), effects=(R.close,), basis="PML 27"),
    T(S.REFERRED_ARBITRATION, S.CLOSED, (R.ORG_COORDINATOR,), effects=(R.close,), basis="PML 27"),
    T(S.REFUSED, S.CLOSED, (R.ORG_COORDINATOR,), effects=(R.close,), basis="PML 27"),
)

TERMINAL = frozenset({State.CLOSED})


def from_state(state: State) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == state]


def find(source: State, target: State) -> Transition | None:
    return next((t for t in TRANSITIONS if t.source == source and t.target == target), None)
