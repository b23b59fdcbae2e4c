"""Follow-up API: the summary (obligations with statuses, visits, totals, route on offer),
obligations, payments (with proof), waivers and 回访 visits. Role gates here; which case a caller
may touch is checked per case (mediation/cases/access.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import ValidationError

from maritime_hub.db.deps import DbSession
from maritime_hub.errors import ValidationFailed
from maritime_hub.messages import N_, validation_message
from maritime_hub.types import Id
from mediation.followup import schemas, service
from mediation.followup.auth import CaseReader, FollowUpWriter
from mediation.followup.models import PaymentMethod

router = APIRouter(prefix="/cases", tags=["follow-up"])


@router.get("/{case_id}/followup", response_model=schemas.FollowUpSummary)
def followup(case_id: Id, session: DbSession, principal: CaseReader):
    """Obligations with their status (due, partly paid, paid, overdue, waived), visits, totals per
    currency and, when something is overdue, the route on offer (enforcement, CPL 250; or a lawsuit
    on the agreement, PML 32)."""
    return service.case_followup(session, principal, case_id)


@router.get("/{case_id}/obligations", response_model=list[schemas.ObligationOut])
def list_obligations(case_id: Id, session: DbSession, principal: CaseReader):
    """The agreement's obligations with instalments, payments and statuses."""
    return service.case_followup(session, principal, case_id).obligations


@router.post("/{case_id}/obligations", response_model=schemas.ObligationOut, status_code=201)
def add_obligation(case_id: Id, body: schemas.ObligationIn, session: DbSession, principal: FollowUpWriter):
    """Itemise an obligation of the agreement (case AGREED … FOLLOW_UP)."""
    ob = service.add_obligation(session, principal, case_id, body)
    return service.obligation_out(session, principal, case_id, ob)


@router.post("/{case_id}/obligations/{obligation_id}/payments", response_model=schemas.ObligationOut, status_code=201)
def record_payment(
    case_id: Id, obligation_id: Id, body: schemas.PaymentIn, session: DbSession, principal: FollowUpWriter
):
    """Record a payment; proof_evidence_id names an evidence file of the case. 422 on overpayment."""
    ob = service.record_payment(session, principal, case_id, obligation_id, body)
    return service.obligation_out(session, principal, case_id, ob)


@router.post(
    "/{case_id}/obligations/{obligation_id}/payments/upload", response_model=schemas.ObligationOut, status_code=201
)
def record_payment_with_proof(
    case_id: Id,
    obligation_id: Id,
    session: DbSession,
    principal: FollowUpWriter,
    amount: Decimal = Form(...),
    paid_on: date = Form(...),
    method: PaymentMethod = Form(...),
    currency: str | None = Form(None),
    note: str | None = Form(None),
    file: UploadFile = File(..., description="proof of payment (付款凭证)"),
):
    """Record a payment with its proof uploaded (multipart); the file becomes case evidence (SHA-256)."""
    try:
        data = schemas.PaymentIn(amount=amount, paid_on=paid_on, method=method, currency=currency, note=note)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or "payment"
        raise ValidationFailed(
            N_("{name}: {problem}"), name=field, problem=validation_message(first), field=field
        ) from None
    ob = service.record_payment(
        session,
        principal,
        case_id,
        obligation_id,
        data,
        upload=(file.filename or "proof", file.content_type, file.file),
    )
    return service.obligation_out(session, principal, case_id, ob)


@router.post("/{case_id}/obligations/{obligation_id}/waiver", response_model=schemas.ObligationOut)
def waive(case_id: Id, obligation_id: Id, body: schemas.WaiverIn, session: DbSession, principal: FollowUpWriter):
    """Record that the obligee waived what is still owed, with the reason."""
    ob = service.waive(session, principal, case_id, obligation_id, body)
    return service.obligation_out(session, principal, case_id, ob)


@router.get("/{case_id}/visits", response_model=list[schemas.VisitOut])
def list_visits(case_id: Id, session: DbSession, principal: CaseReader):
    """回访 visits of the case, oldest first."""
    return service.visits(session, principal, case_id)


@router.post("/{case_id}/visits", response_model=schemas.VisitOut, status_code=201)
def add_visit(case_id: Id, body: schemas.VisitIn, session: DbSession, principal: FollowUpWriter):
    """Record a 回访 visit: when, channel, who, which party, satisfaction 1-5, whether performing."""
    visit = service.add_visit(session, principal, case_id, body)
    return next(v for v in service.visits(session, principal, case_id) if v.id == visit.id)
