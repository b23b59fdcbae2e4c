"""The case page's context and the one way its forms act (web/cases.py and web/cases_evidence.py
both use it; it imports neither): run the step in a savepoint, then back to the page, or the page
again with the error and nothing of the failed step kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from crew.models import Person
from crew.repository import PersonRepository
from maritime_hub.auth.models import User
from maritime_hub.auth.roles import CASE_EVIDENCE_WRITE, CASE_FILE_WRITE, DISPATCH_READ, FOLLOWUP_WRITE
from maritime_hub.auth.service import Principal
from maritime_hub.config import get_settings
from maritime_hub.db.repository import by_ids
from maritime_hub.errors import MaritimeHubError, ValidationFailed
from maritime_hub.messages import localise
from maritime_hub.orgs.models import Organisation, OrgKind
from maritime_hub.orgs.repository import OrganisationRepository
from maritime_hub.types import Id
from maritime_hub.web import cases_forms as cf
from maritime_hub.web import i18n
from maritime_hub.web import step_forms as sf
from maritime_hub.web.forms import submit
from maritime_hub.web.render import locale_for, render
from mediation.cases import access, detail, states
from mediation.cases.enums import CREW_LABOUR_TYPES, CrewClaimBasis, Grade
from mediation.cases.service import EDITABLE, MEDIATION_ORGS, caller_party
from mediation.cases.states import State
from mediation.dispatch import service as dispatch
from mediation.dispatch.repository import DispatchRepository
from mediation.followup.models import PaymentMethod, VisitChannel
from mediation.followup.schemas import LABELS as FOLLOWUP_LABELS
from mediation.followup.service import case_followup
from vessels.ais.repository import AisEvidenceRepository
from vessels.models import Vessel
from vessels.repository import VesselRepository

# Steps with their own forms on the case page (the rest: one generic form per step, from its payload).
SPECIAL = (State.TRIAGED, State.DISPATCHING, State.ACCEPTED, State.AGREED)
RECENT = 20  # recent AIS evidence offered for linking


def to_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def case_context(session: Session, principal: Principal, case_id: Id) -> dict[str, Any]:
    d = detail.present(session, principal, case_id)
    allowed = {t.to: t for t in d.allowed_transitions}
    courts = OrganisationRepository(session).by_name_order(OrgKind.maritime_court)
    generic = []
    for t in d.allowed_transitions:
        t.basis = cf.PageText(t.basis)  # drawn in the page's language, without spec markers
        step = states.find(d.state, t.to)
        if t.to in SPECIAL or step is None:
            continue
        generic.append((t, cf.widgets(step.payload, d.parties, courts), sf.step_key(d.state, t.to)))
    candidates, attempts = [], []
    if principal.has(*DISPATCH_READ) and access.can_write(principal, d) or principal.has("admin"):
        attempts = DispatchRepository(session).attempts(case_id)
        if State.DISPATCHING in allowed:
            candidates = dispatch.candidates(session, principal, case_id)
    contact_vessels = {c.vessel_id for p in d.parties for c in getattr(p, "contacts", [])}  # OtherParty: none
    user_ids = {d.assigned_mediator_id} | {a.mediator_user_id for a in attempts} | {m.user_id for m in d.members}
    extra: dict[str, Any] = {}
    if d.agreement_effective_on is not None:
        # Follow-up of the agreement's obligations (templates/cases/_followup.html).
        extra["followup"] = case_followup(session, principal, case_id)
        # Its forms (web/cases_followup.py): for those who may change the case, while it is open.
        extra["can_followup"] = (
            d.state != State.CLOSED and principal.has(*FOLLOWUP_WRITE) and access.can_write(principal, d)
        )
        extra["now_local"] = cf.local_input(datetime.now(UTC))
        extra["methods"] = [(m.value, FOLLOWUP_LABELS["method"][m.value]) for m in PaymentMethod]
        extra["channels"] = [(c.value, FOLLOWUP_LABELS["channel"][c.value]) for c in VisitChannel]
    # The evidence section: upload form, AIS evidence (web/cases_evidence.py has its actions).
    extra |= evidence_context(session, principal, d)
    # Adding and removing parties, vessels and crew (web/cases_file.py has the actions).
    extra |= file_context(session, principal, d)
    return (
        extra
        | {
            "case": d,
            "allowed": allowed,
            "generic": generic,
            "candidates": candidates,
            "attempts": attempts,
            "orgs": by_ids(
                session,
                Organisation,
                {p.organisation_id for p in d.parties}
                | {d.organisation_id, d.referring_court_id, d.confirmation_court_id, d.litigation_court_id},
            ),
            "users": by_ids(session, User, user_ids),
            "contact_vessels": by_ids(session, Vessel, contact_vessels),
            "party_names": {p.id: p.name for p in d.parties},
            "org_names": {o.id: o.name for o in courts},  # a court named in a timeline row
            "grades": list(Grade),
            "claim_bases": list(CrewClaimBasis),
            "crew_claim": d.dispute_type in CREW_LABOUR_TYPES,
            "is_assigned": principal.user_id is not None and principal.user_id == d.assigned_mediator_id,
            # The court a case was referred to (REFERRED_LITIGATION): its clerk and judges (cases/_litigation.html).
            "is_litigation_court": principal.has("court_clerk", "judge")
            and principal.organisation_id is not None
            and principal.organisation_id == d.litigation_court_id,
            "REFERRED_LITIGATION": State.REFERRED_LITIGATION,
            "DISPATCHING": State.DISPATCHING,
            "ACCEPTED": State.ACCEPTED,
            "TRIAGED": State.TRIAGED,
            "AGREED": State.AGREED,
            "CLOSED": State.CLOSED,
            "today_iso": cf.local_input(datetime.now(UTC))[:10],  # defaults of the date inputs (China time)
            "currencies": ("CNY", "USD", "EUR", "HKD", "IDR", "PHP", "VND", "MMK"),
        }
    )


def _when(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _ais_rows(rows) -> list[SimpleNamespace]:
    """The AIS evidence records without their SVG, with the window as datetimes (shown in local time)."""
    return [
        SimpleNamespace(
            id=r.id,
            kind=r.kind,
            sha256=r.sha256,
            created_at=r.created_at,
            mmsis=r.params.get("mmsis") or [],
            start=_when(r.params.get("start")),
            end=_when(r.params.get("end")),
        )
        for r in rows
    ]


def evidence_context(session: Session, principal: Principal, case: Any) -> dict[str, Any]:
    """What the evidence section of the case page needs (``case`` is detail.present's output)."""
    linked = {e.ais_evidence_id for e in case.evidence if e.ais_evidence_id}
    records = AisEvidenceRepository(session)
    ais = {r.id: r for r in _ais_rows(records.summaries(linked))}
    open_case = case.state != State.CLOSED
    staff = open_case and principal.has(*CASE_FILE_WRITE) and access.can_write(principal, case)
    ctx: dict[str, Any] = {
        "ais": ais,
        "can_link_ais": staff,
        "can_upload": open_case
        and principal.has(*CASE_EVIDENCE_WRITE)
        and (caller_party(case, principal) is not None or access.can_write(principal, case)),
    }
    if staff:
        local = case.incident_at.astimezone(ZoneInfo(get_settings().timezone))
        ctx |= {
            "recent_ais": _ais_rows(records.recent(linked, RECENT)),
            "ais_vessels": [v for v in case.vessels if v.mmsi],
            "ais_start": (local - timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
            "ais_end": (local + timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        }
    return ctx


def file_context(session: Session, principal: Principal, case: Any) -> dict[str, Any]:
    """The case file's forms: for the case's staff while parties, vessels and crew may still change."""
    editable = case.state in EDITABLE and principal.has(*CASE_FILE_WRITE) and access.can_write(principal, case)
    if not editable:
        return {"can_edit_file": False}
    on_case = {v.vessel_id for v in case.vessels}
    orgs = OrganisationRepository(session).by_name_order()
    return {
        "can_edit_file": True,
        "file_orgs": [o for o in orgs if o.kind not in MEDIATION_ORGS and o.kind != OrgKind.maritime_court],
        "file_vessels": [
            v for v in VesselRepository(session).search(None, 1, 500, registered=True).items if v.id not in on_case
        ],
        "crew_candidates": crew_candidates(session, case, None),
    }


def crew_candidates(session: Session, case: Any, q: str | None) -> list[tuple[Any, list[tuple[Any, Any]]]]:
    """People to add as crew involved, each with their boardings on the case's vessels: registry
    matches for ``q``, or (no query) whoever has been aboard one of those vessels."""
    names = {v.vessel_id: v for v in case.vessels}
    linked = {c.person_id for c in case.crew}
    repo = PersonRepository(session)
    if (q or "").strip():
        people = [p for p in repo.search(q, 1, 20).items if p.id not in linked]
        boardings = repo.boardings_on(set(names), {p.id for p in people})
    else:
        boardings = [b for b in repo.boardings_on(set(names)) if b.person_id not in linked]
        people = sorted(by_ids(session, Person, {b.person_id for b in boardings}).values(), key=lambda p: p.name)
    by_person: dict[int, list[tuple[Any, Any]]] = {}
    for b in boardings:
        by_person.setdefault(b.person_id, []).append((b, names[b.vessel_id]))
    return [(p, by_person.get(p.id, [])) for p in people]


def act(
    request: Request,
    session: Session,
    principal: Principal,
    case_id: Id,
    action,
    back: str | None = None,
    form: sf.StepForm | None = None,
):
    """Run one action in a savepoint: done → back to the page; refused (409/422/403) → the page
    again with the message, and nothing of the failed step kept. With ``form`` (a step or follow-up
    form as typed) the page shows that form open again, with what was typed and the error beside its
    input; an error of the step as a whole (409, 403) is also the page's alert."""
    target = back if back in ("/cases/mine",) else f"/cases/{case_id}"

    def refused(errors: dict[str, str], exc: MaritimeHubError):
        if form is not None:
            form.errors = errors
            return with_form(request, session, principal, case_id, form, exc.status_code, exc)
        ctx = case_context(session, principal, case_id) | {"action_error": exc, "created": False}
        return render(request, "cases/detail.html", ctx, exc.status_code)

    field_of = sf.input_field if form is not None else str
    return submit(
        request,
        session,
        action,
        done=lambda _: RedirectResponse(target, status_code=303),
        refused=refused,
        field_of=field_of,
    )


def with_form(
    request: Request,
    session: Session,
    principal: Principal,
    case_id: Id,
    form: sf.StepForm,
    status: int,
    exc: MaritimeHubError | None = None,
):
    """The case page with ``form`` open as it was posted, its errors in the page's language."""
    locale = locale_for(request)
    form.errors = {k: localise(v, locale) for k, v in form.errors.items()}
    ctx = case_context(session, principal, case_id) | {"step_form": form, "created": False}
    if exc is not None and set(form.errors) <= {"form"}:
        ctx["action_error"] = exc  # the step itself was refused: say so at the top too
    return render(request, "cases/detail.html", ctx, status)


def page_text(request: Request, message: str) -> str:
    token = i18n.current_locale.set(locale_for(request))
    try:
        return i18n.gettext(message)
    finally:
        i18n.current_locale.reset(token)


def refuse(message: str, field: str):
    def action():
        raise ValidationFailed(message, field=field)

    return action
