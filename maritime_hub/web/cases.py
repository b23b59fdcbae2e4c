"""Dispute case pages: the coordinator board (filters, search, HTMX), a mediator's own cases with
dispatch offers, the intake form, and the case page with its actions (triage, 选单/派单, 接单/拒单,
any other step the reader may take). Every case shown passes mediation/cases/access.py."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from crew.models import Boarding
from crew.repository import PersonRepository
from maritime_hub.auth.models import User
from maritime_hub.auth.repository import UserRepository
from maritime_hub.auth.roles import (
    DISPATCH_ANSWER,
)
from maritime_hub.auth.service import Principal
from maritime_hub.db.deps import DbSession
from maritime_hub.db.repository import by_ids
from maritime_hub.orgs.models import Organisation, OrgKind
from maritime_hub.orgs.repository import OrganisationRepository
from maritime_hub.types import Id, PageNo
from maritime_hub.web import case_page as casepage
from maritime_hub.web import cases_forms as cf
from maritime_hub.web import step_forms as sf
from maritime_hub.web.forms import PostedForm, clean, parse, submit
from maritime_hub.web.render import render
from mediation import deadlines as dl
from mediation.cases import access, detail, schemas, service, states, workflow
from mediation.cases.auth import CaseActor, CaseIntake, CaseReader
from mediation.cases.board import BoardFilters, BoardRepository
from mediation.cases.enums import (
    AgentAuthority,
    ContactKind,
    CourtProcedure,
    DisputeType,
    Grade,
    ReferralKind,
)
from mediation.cases.repository import CaseRepository
from mediation.cases.rules import working_calendar
from mediation.cases.states import State
from mediation.dispatch import service as dispatch
from mediation.dispatch.auth import CoordinatorOnly, DispatchAnswerer, DispatchAssigner, MediatorOnly
from vessels.models import Vessel
from vessels.repository import VesselRepository

router = APIRouter(prefix="/cases", include_in_schema=False)
PAGE_SIZE = 25


def _enum(cls, value: str | None):
    return cls(value) if value in cls.__members__ else None


def urgency(case) -> tuple[str, dl.Deadline | None]:
    """The worst status of a case's live deadlines (overdue, due_soon, ok) and the nearest one."""
    now = datetime.now(UTC)
    live = sorted(detail.live_deadlines(case), key=lambda d: d.due)
    statuses = {dl.status(d, now) for d in live}
    worst = "overdue" if "overdue" in statuses else "due_soon" if "due_soon" in statuses else "ok"
    return worst, next((d for d in live if dl.status(d, now) == worst), live[0] if live else None)


# -- board ------------------------------------------------------------------------------------------


@router.get("")
def board(
    request: Request,
    session: DbSession,
    principal: CaseReader,
    q: str | None = None,
    state: str | None = None,
    dispute_type: str | None = None,
    grade: str | None = None,
    vessel_id: str | None = None,
    company_id: str | None = None,
    mediator_id: str | None = None,
    sea_area: str | None = None,
    page: PageNo = 1,
):
    # Empty selects arrive as "": they mean "all", not a bad value.
    f = BoardFilters(
        state=_enum(State, state),
        dispute_type=_enum(DisputeType, dispute_type),
        grade=_enum(Grade, grade),
        vessel_id=casepage.to_int(vessel_id),
        company_id=casepage.to_int(company_id),
        mediator_id=casepage.to_int(mediator_id),
        sea_area=(sea_area or "").strip() or None,
        q=(q or "").strip() or None,
    )
    repo, visible = BoardRepository(session), access.visible(principal)
    result = repo.search(visible, f, page, PAGE_SIZE)
    counts = repo.counts_by_state(visible, f)
    rows = [(c, *urgency(c)) for c in result.items]
    params = {
        "q": f.q or "",
        "state": f.state.value if f.state else "",
        "dispute_type": dispute_type or "",
        "grade": grade or "",
        "vessel_id": f.vessel_id or "",
        "company_id": f.company_id or "",
        "mediator_id": f.mediator_id or "",
        "sea_area": f.sea_area or "",
    }
    ctx = {
        "result": result,
        "rows": rows,
        "counts": counts,
        "states": [s for s in cf.STATE_ORDER if counts.get(s)],
        "f": f,
        "params": params,
        "query": urlencode({k: v for k, v in params.items() if k != "state"}),
        "pager": urlencode(params),
        "total_all": sum(counts.values()),
        "mediators": by_ids(session, User, {c.assigned_mediator_id for c in result.items} | {f.mediator_id}),
        "orgs": by_ids(session, Organisation, {c.organisation_id for c in result.items}),
    }
    if request.headers.get("hx-request"):
        return render(request, "cases/_board.html", ctx)
    mediator_users = UserRepository(session).active_with_role("mediator")
    ctx |= {
        "types": list(DisputeType),
        "grades": list(Grade),
        "sea_areas": repo.sea_areas(visible),
        "vessels": sorted(by_ids(session, Vessel, repo.vessel_ids(visible)).values(), key=lambda v: v.display_name),
        "companies": sorted(by_ids(session, Organisation, repo.company_ids(visible)).values(), key=lambda o: o.name),
        "all_mediators": list(mediator_users),
    }
    return render(request, "cases/board.html", ctx)


@router.get("/mine")
def my_cases(request: Request, session: DbSession, principal: MediatorOnly):
    cases = BoardRepository(session).mine(principal.user_id)
    offers = [c for c in cases if c.state == State.DISPATCHING and c.assigned_mediator_id == principal.user_id]
    rest = [(c, *urgency(c)) for c in cases if c not in offers]
    now, cal = datetime.now(UTC), working_calendar()
    answer_by = [dl.mediator_acceptance(cal, dl.local_date(c.dispatched_at or c.state_entered_at)) for c in offers]
    return render(
        request,
        "cases/mine.html",
        {
            "offers": [(c, dl.status(d, now), d) for c, d in zip(offers, answer_by, strict=False)],
            "rows": rest,
            "orgs": by_ids(session, Organisation, {c.organisation_id for c in cases}),
        },
    )


# -- intake -----------------------------------------------------------------------------------------


def _current_boardings(session: Session, person_ids: list[int]) -> dict[int, tuple[Boarding, Vessel]]:
    boardings = PersonRepository(session).current_boardings(person_ids, date.today())
    vessels = by_ids(session, Vessel, {b.vessel_id for b in boardings.values()})
    return {pid: (b, vessels[b.vessel_id]) for pid, b in boardings.items() if b.vessel_id in vessels}


def _clerk_court(principal: Principal, orgs) -> Organisation | None:
    if principal.has("coordinator") or not principal.has("court_clerk"):
        return None
    return next((o for o in orgs if o.id == principal.organisation_id and o.kind == OrgKind.maritime_court), None)


def _intake_context(session: Session, principal: Principal, values=None, errors=None, vessel_ids=None) -> dict:
    staff = principal.has("coordinator")
    orgs = OrganisationRepository(session).by_name_order()
    clerk_court = _clerk_court(principal, orgs)
    ctx: dict[str, Any] = {
        "values": values or {},
        "errors": errors or {},
        "staff": staff,
        "clerk_court": clerk_court,  # a court's clerk refers cases from this court (委派/委托)
        "types": list(DisputeType),
        "companies": [o for o in orgs if o.kind in (OrgKind.company, OrgKind.manning_agency)],
        "mediation_orgs": [o for o in orgs if o.kind in service.MEDIATION_ORGS and o.code],
        "vessel_ids": [str(v) for v in (vessel_ids or [])],
        "applicant": None,
        "vessels": VesselRepository(session).search(None, 1, 500, registered=True).items if staff else [],
        # Court referral and extra parties (cases_forms.intake_payload).
        "courts": [o for o in orgs if o.kind == OrgKind.maritime_court],
        "extra_rows": range(1, cf.EXTRA_PARTY_ROWS + 1),
        "referral_kinds": list(ReferralKind),
        "procedures": list(CourtProcedure),
        "authorities": list(AgentAuthority),
        "contact_kinds": [k for k in ContactKind if k != ContactKind.at_sea_on_vessel],
    }
    pid = casepage.to_int(str((values or {}).get("applicant_person_id", "")))
    if staff and pid:
        person = PersonRepository(session).get(pid)
        if person is not None:
            ctx["applicant"] = (person, _current_boardings(session, [pid]).get(pid))
    return ctx


@router.get("/new")
def intake_form(request: Request, session: DbSession, principal: CaseIntake):
    values = {"currency": "CNY", "incident_at": cf.local_input(datetime.now(UTC))}
    if principal.has("party") and not principal.has("coordinator", "court_clerk"):
        values["applicant_name"] = principal.display_name or ""  # a party files for themselves
    return render(request, "cases/new.html", _intake_context(session, principal, values))


@router.get("/new/people")
def intake_people(request: Request, session: DbSession, _: CoordinatorOnly, q: str | None = None):
    """The applicant picker: crew registry matches with where each person is aboard today."""
    people = PersonRepository(session).search(q, 1, 10).items if (q or "").strip() else []
    return render(
        request, "cases/_people.html", {"people": people, "aboard": _current_boardings(session, [p.id for p in people])}
    )


@router.post("/new")
def intake_submit(request: Request, form: PostedForm, session: DbSession, principal: CaseIntake):
    values = clean(dict(form), cf.INTAKE_FIELDS)
    vessel_ids = [str(v) for v in form.getlist("vessel_ids")]
    staff = principal.has("coordinator")
    court = None if staff or not principal.has("court_clerk") else principal.organisation_id
    body = cf.intake_payload(values, vessel_ids, staff, court)
    data, errors = parse(schemas.CaseCreate, body)
    if data is None:
        errors = {cf.form_field(k, values): v for k, v in reversed(errors.items())}
        return render(request, "cases/new.html", _intake_context(session, principal, values, errors, vessel_ids), 422)

    def action():
        case = service.create_case(session, principal, data)  # type: ignore[arg-type]
        pid = casepage.to_int(str(values.get("applicant_person_id", "")))
        aboard = _current_boardings(session, [pid]).get(pid) if staff and pid else None
        if aboard is not None and any(v.vessel_id == aboard[1].id for v in data.vessels):  # type: ignore[union-attr]
            # The applicant is crew involved, linked to the boarding the claim is about.
            service.add_crew(
                session, principal, case.id, schemas.CaseCrewCreate(person_id=pid, boarding_id=aboard[0].id)
            )
        return case

    return submit(
        request,
        session,
        action,
        field_of=cf.form_field,
        done=lambda case: RedirectResponse(f"/cases/{case.id}?created=1", status_code=303),
        refused=lambda errors, exc: render(
            request, "cases/new.html", _intake_context(session, principal, values, errors, vessel_ids), exc.status_code
        ),
    )


# -- the case page ----------------------------------------------------------------------------------


@router.get("/{case_id:int}")
def case_page(request: Request, case_id: Id, session: DbSession, principal: CaseReader, created: int = 0):
    ctx = casepage.case_context(session, principal, case_id)
    ctx["created"] = bool(created)
    return render(request, "cases/detail.html", ctx)


@router.post("/{case_id:int}/transition")
def case_transition(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: CaseActor):
    to = _enum(State, str(form.get("to", "")))
    if to is None:
        return casepage.act(
            request,
            session,
            principal,
            case_id,
            casepage.refuse(casepage.page_text(request, "choose the step to take"), "to"),
        )
    case = access_checked(session, principal, case_id)
    step = states.find(case.state, to)
    payload = cf.transition_payload(step.payload, form) if step else {}
    typed = sf.typed(form)
    if step is not None and "obligations" in step.payload.model_fields:
        # 签订协议: the obligations arrive as rows of inputs (templates/cases/_steps.html).
        typed["obligations"] = sf.obligation_rows(form)
        payload["obligations"] = sf.obligations_payload(typed["obligations"])
    if to == State.DISPATCHING and casepage.to_int(str(payload.get("mediator_user_id", ""))):
        # 派单 keeps its attempt record and conflict check (mediation/dispatch), whichever form sent it.
        mediator = int(payload["mediator_user_id"])
        return casepage.act(
            request, session, principal, case_id, lambda: dispatch.assign(session, principal, case_id, mediator)
        )
    if to == State.ACCEPTED and principal.has(*DISPATCH_ANSWER):
        return casepage.act(request, session, principal, case_id, lambda: dispatch.accept(session, principal, case_id))
    typed_form = sf.StepForm(sf.step_key(case.state, to), typed)
    if step is not None and workflow.may_take(session, principal, case, step):
        # Every field's problem at once, beside its input (the workflow would name only the first).
        _, errors = parse(step.payload, payload)
        if errors:
            typed_form.errors = errors
            return casepage.with_form(request, session, principal, case_id, typed_form, 422)
    body = schemas.TransitionRequest(to=to, **payload)
    return casepage.act(
        request,
        session,
        principal,
        case_id,
        lambda: workflow.transition(session, principal, case_id, body),
        form=typed_form,
    )


def access_checked(session: Session, principal: Principal, case_id: Id):

    case = CaseRepository(session).load(case_id)
    access.require_read(principal, case)
    return case


@router.post("/{case_id:int}/dispatch")
def case_dispatch(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: DispatchAssigner):
    mediator = casepage.to_int(str(form.get("mediator_user_id", "")))
    if mediator is None:
        return casepage.act(
            request,
            session,
            principal,
            case_id,
            casepage.refuse(
                casepage.page_text(request, "choose a mediator from the candidate list"), "mediator_user_id"
            ),
        )
    return casepage.act(
        request, session, principal, case_id, lambda: dispatch.assign(session, principal, case_id, mediator)
    )


@router.post("/{case_id:int}/accept")
def case_accept(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: DispatchAnswerer):
    return casepage.act(
        request,
        session,
        principal,
        case_id,
        lambda: dispatch.accept(session, principal, case_id),
        str(form.get("next", "")),
    )


@router.post("/{case_id:int}/decline")
def case_decline(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: DispatchAnswerer):
    reason = str(form.get("reason", "")).strip()
    if not reason:
        return casepage.act(
            request,
            session,
            principal,
            case_id,
            casepage.refuse(casepage.page_text(request, "give the reason for declining"), "reason"),
        )
    return casepage.act(
        request,
        session,
        principal,
        case_id,
        lambda: dispatch.decline(session, principal, case_id, reason),
        str(form.get("next", "")),
    )
