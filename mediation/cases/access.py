"""Who may read which case (docs/security.md, dispute cases):

- admin and fishery_auditor: every case;
- coordinator and mediator: cases of their own mediation organisation, and any case they are
  dispatched to;
- anyone recorded with their account as a member of a case's panel (3+X, experts): that case;
- court_clerk and judge: cases their court referred, was applied to, or was referred to;
- party: only cases where a party record carries their account (``case_party.user_id``).

The same rule twice: as SQL for lists, and in Python for one loaded case.

Who may change a case (every write on it: parties, vessels, crew, panel members, evidence, follow-up;
docs/security.md) is narrower: ``can_write`` / ``require_write``. State changes have their own
per-step relations (states.py), parties upload evidence to their own cases (evidence.py).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from maritime_hub.auth.service import Principal
from maritime_hub.errors import Forbidden
from maritime_hub.messages import N_
from mediation.cases.enums import MemberRole
from mediation.cases.errors import NotCaseStaff
from mediation.cases.models import Case, CaseMember, CaseParty

SEE_ALL = ("admin", "fishery_auditor")
MEDIATION_STAFF = ("coordinator", "mediator")
COURT = ("court_clerk", "judge")


def visible(principal: Principal) -> ColumnElement[bool]:
    """A WHERE clause for the cases this principal may see."""
    if principal.has(*SEE_ALL):
        return true()
    uid, org = principal.user_id, principal.organisation_id
    clauses: list[ColumnElement[bool]] = []
    if principal.has(*MEDIATION_STAFF):
        if org is not None:
            clauses.append(Case.organisation_id == org)
        if uid is not None:
            clauses.append(Case.assigned_mediator_id == uid)
    if principal.has(*COURT) and org is not None:
        clauses += [Case.referring_court_id == org, Case.confirmation_court_id == org, Case.litigation_court_id == org]
    if principal.has("party") and uid is not None:
        clauses.append(Case.id.in_(select(CaseParty.case_id).where(CaseParty.user_id == uid)))
    elif uid is not None:
        clauses.append(Case.id.in_(select(CaseMember.case_id).where(CaseMember.user_id == uid)))
    return or_(*clauses) if clauses else false()


def can_read(principal: Principal, case: Case) -> bool:
    """``case`` needs its parties and members loaded."""
    if principal.has(*SEE_ALL):
        return True
    uid, org = principal.user_id, principal.organisation_id
    if principal.has(*MEDIATION_STAFF) and (
        (org is not None and case.organisation_id == org) or (uid is not None and case.assigned_mediator_id == uid)
    ):
        return True
    if uid is not None and not principal.has("party") and any(m.user_id == uid for m in case.members):
        return True
    if (
        principal.has(*COURT)
        and org is not None
        and org in (case.referring_court_id, case.confirmation_court_id, case.litigation_court_id)
    ):
        return True
    return principal.has("party") and uid is not None and any(p.user_id == uid for p in case.parties)


def require_read(principal: Principal, case: Case) -> None:
    if not can_read(principal, case):
        raise Forbidden(
            N_(
                "you have no access to case {case_id}: it is not one of your organisation's, your court's "
                "or your own cases"
            ),
            case_id=case.id,
        )


def is_panel_chief(principal: Principal, case: Case) -> bool:
    """A mediator recorded with their account as the chief mediator of the case's joint panel."""
    uid = principal.user_id
    return (
        principal.has("mediator")
        and uid is not None
        and any(m.role == MemberRole.chief_mediator and m.user_id == uid for m in case.members)
    )


def can_write(principal: Principal, case: Case) -> bool:
    """Who changes a case (its file, evidence links, follow-up): a coordinator of the case's own
    mediation organisation, the mediator it is dispatched to, or the chief mediator of its panel.
    Other mediators of the organisation read it but do not change it. ``case`` needs its members."""
    uid, org = principal.user_id, principal.organisation_id
    if principal.has("coordinator") and org is not None and org == case.organisation_id:
        return True
    if principal.has("mediator") and uid is not None and uid == case.assigned_mediator_id:
        return True
    return is_panel_chief(principal, case)


def require_write(principal: Principal, case: Case) -> None:
    """403 ``forbidden`` when the caller may not see the case, 403 ``not_case_staff`` (saying who
    may, and what to ask for) when they see it but may not change it."""
    require_read(principal, case)
    if can_write(principal, case):
        return
    if principal.has("mediator"):
        raise NotCaseStaff(
            N_(
                "case {number} is changed only by the mediator it is dispatched to, the chief mediator of "
                "its panel or its organisation's coordinator; ask the coordinator to dispatch it to you or "
                "to add you to its panel"
            ),
            number=case.number,
        )
    raise NotCaseStaff(
        N_(
            "case {number} is changed only by the coordinators of its own mediation organisation and the "
            "mediators working on it"
        ),
        number=case.number,
    )
