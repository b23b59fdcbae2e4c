"""Follow-up forms on the case page (回访反馈, PML 31: the mediation organisation supervises
performance): a payment with its proof file (kept as case evidence under its SHA-256,
maritime_hub/files.py through mediation/cases/evidence.py), a waiver with its reason, and a 回访
visit. Each goes through mediation/followup/service.py, the rules the API keeps (who may write,
overpayment, the case still open); a refused form comes back open with what was typed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from maritime_hub.db.deps import DbSession
from maritime_hub.types import Id
from maritime_hub.web import case_page
from maritime_hub.web import step_forms as sf
from maritime_hub.web.forms import PostedForm, clean, parse
from mediation.followup import schemas, service
from mediation.followup.auth import FollowUpWriter

router = APIRouter(prefix="/cases", include_in_schema=False)

PAYMENT_FIELDS = {"amount", "currency", "paid_on", "method", "note"}
VISIT_FIELDS = {"visited_at", "channel", "visitor_name", "party_id", "satisfaction", "performing", "notes"}


def _refused_input(request: Request, session, principal, case_id: int, form: sf.StepForm):
    return case_page.with_form(request, session, principal, case_id, form, 422)


@router.post("/{case_id:int}/obligations/{obligation_id:int}/payments")
def payment(
    request: Request, form: PostedForm, case_id: Id, obligation_id: Id, session: DbSession, principal: FollowUpWriter
):
    values = clean(dict(form), PAYMENT_FIELDS)
    typed = sf.StepForm(f"payment-{obligation_id}", sf.typed(form))
    data, errors = parse(schemas.PaymentIn, values)
    if data is None:
        typed.errors = errors
        return _refused_input(request, session, principal, case_id, typed)
    proof = form.get("file")
    upload: Any = None
    if proof is not None and not isinstance(proof, str) and proof.filename:
        upload = (proof.filename, proof.content_type, proof.file)  # the proof (付款凭证) becomes case evidence
    return case_page.act(
        request,
        session,
        principal,
        case_id,
        lambda: service.record_payment(session, principal, case_id, obligation_id, data, upload=upload),  # type: ignore[arg-type]
        form=typed,
    )


@router.post("/{case_id:int}/obligations/{obligation_id:int}/waiver")
def waiver(
    request: Request, form: PostedForm, case_id: Id, obligation_id: Id, session: DbSession, principal: FollowUpWriter
):
    typed = sf.StepForm(f"waiver-{obligation_id}", sf.typed(form))
    data, errors = parse(schemas.WaiverIn, clean(dict(form), {"reason"}))
    if data is None:
        typed.errors = errors
        return _refused_input(request, session, principal, case_id, typed)
    return case_page.act(
        request,
        session,
        principal,
        case_id,
        lambda: service.waive(session, principal, case_id, obligation_id, data),  # type: ignore[arg-type]
        form=typed,
    )


@router.post("/{case_id:int}/visits")
def visit(request: Request, form: PostedForm, case_id: Id, session: DbSession, principal: FollowUpWriter):
    values = clean(dict(form), VISIT_FIELDS)
    if values.get("performing") in ("yes", "no"):
        values["performing"] = values["performing"] == "yes"
    typed = sf.StepForm("visit", sf.typed(form))
    data, errors = parse(schemas.VisitIn, values)
    if data is None:
        typed.errors = errors
        return _refused_input(request, session, principal, case_id, typed)
    return case_page.act(
        request,
        session,
        principal,
        case_id,
        lambda: service.add_visit(session, principal, case_id, data),  # type: ignore[arg-type]
        form=typed,
    )
