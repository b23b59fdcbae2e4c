"""Follow-up of a settlement agreement (PML 31: the mediation organisation supervises performance).

Obligations come from the AGREED transition's payload (mediation/cases/rules.py record_agreement
calls ``create_obligations``) or are added while the agreement stands; payments (with proof kept in
the case's evidence, SHA-256 file store), waivers and 回访 visits are recorded by those who may
change the case (mediation/cases/access.py can_write). Every write is audited in the caller's
transaction; nothing commits.

Imports flow one way: mediation.cases imports this module lazily (inside functions), and this
module imports cases' models, access and evidence, never its workflow.
"""

from __future__ import annotations

from datetime import date
from typing import BinaryIO

from sqlalchemy.orm import Session

from maritime_hub.audit.service import changes, record, snapshot
from maritime_hub.auth.service import Principal
from maritime_hub.db.base import utcnow
from maritime_hub.errors import AlreadyRecorded, ValidationFailed
from maritime_hub.messages import N_, Bilingual, Joined
from mediation.cases import access, evidence, hooks, messages
from mediation.cases.errors import CaseArchived
from mediation.cases.models import Case, CaseEvidence
from mediation.cases.repository import CaseRepository
from mediation.cases.states import State
from mediation.deadlines import local_date
from mediation.followup import errors, ledger, schemas, summary
from mediation.followup.models import FollowUpVisit, Instalment, Obligation, Payment
from mediation.followup.repository import FollowUpRepository

# While the agreement stands and the file is open, its terms may be itemised (AGREED..FOLLOW_UP).
OBLIGATION_STATES = frozenset(
    {
        State.AGREED,
        State.CONFIRM_APPLIED,
        State.UNDER_REVIEW,
        State.NOT_ACCEPTED,
        State.CONFIRMED,
        State.WITHDRAWN,
        State.FOLLOW_UP,
    }
)


def today() -> date:
    """The Asia/Shanghai calendar day (what "overdue" is measured against)."""
    return local_date(utcnow())


# -- access ----------------------------------------------------------------------------------------


def load_case(session: Session, principal: Principal, case_id: int, *, lock: bool = False) -> Case:
    case = CaseRepository(session).load(case_id, lock=lock)
    access.require_read(principal, case)
    return case


def _writable(session: Session, principal: Principal, case_id: int) -> Case:
    """The case's coordinator, the mediator it is dispatched to, or its panel's chief mediator
    (access.require_write), while the agreement stands and the file is open."""
    case = load_case(session, principal, case_id)
    access.require_write(principal, case)
    if case.state == State.CLOSED:
        raise CaseArchived(
            Bilingual(
                N_("case {number} is closed and archived (PML 27): nothing more can be recorded"), number=case.number
            )
        )
    if case.agreement_effective_on is None:
        raise errors.NoAgreementYet(
            Bilingual(
                N_("case {number} has no agreement yet: follow-up starts when it reaches AGREED (签订协议)"),
                number=case.number,
            )
        )
    return case


# -- obligations -------------------------------------------------------------------------------------


def create_obligations(
    session: Session,
    principal: Principal,
    case: Case,
    items: list[schemas.ObligationIn],
    agreed_on: date,
    *,
    field: str = "",
    source: str = "agreement",
) -> list[Obligation]:
    """Itemise the agreement's terms. ``case`` needs its parties loaded; ``field`` prefixes the field
    named in a 422 (``obligations`` from the AGREED payload)."""
    parties = {p.id: p for p in case.parties}
    out = []
    for i, item in enumerate(items):
        at = f"{field}.{i}." if field else ""
        for key in ("obligor_party_id", "obligee_party_id"):
            if getattr(item, key) not in parties:
                raise ValidationFailed(
                    N_("party {party_id} is not a party to case {number}"),
                    party_id=getattr(item, key),
                    number=case.number,
                    field=at + key,
                )
        obligor, obligee = parties[item.obligor_party_id], parties[item.obligee_party_id]
        if obligor.side == obligee.side:
            raise ValidationFailed(
                N_(
                    "obligor {obligor} and obligee {obligee} are both on the {side} side: an obligation "
                    "runs between the two sides of the dispute"
                ),
                obligor=obligor.name,
                obligee=obligee.name,
                side=messages.label("side", obligor.side),
                field=at + "obligee_party_id",
            )
        parts = sorted(item.instalments, key=lambda x: x.due_on)
        if parts:
            total = sum(x.amount for x in parts)
            if total != item.amount:
                raise ValidationFailed(
                    N_("the instalments sum to {total} {currency}, not the total {amount}"),
                    total=total,
                    currency=item.currency,
                    amount=item.amount,
                    field=at + "instalments",
                )
            for j, x in enumerate(item.instalments):
                if x.due_on < agreed_on:
                    raise ValidationFailed(
                        N_("instalment due {due_on} is before the agreement took effect ({agreed_on})"),
                        due_on=x.due_on,
                        agreed_on=agreed_on,
                        field=f"{at}instalments.{j}.due_on",
                    )
            if item.due_on is not None and item.due_on != parts[-1].due_on:
                raise ValidationFailed(
                    N_("due_on {due_on} is not the last instalment's day ({last}); leave it out or make them agree"),
                    due_on=item.due_on,
                    last=parts[-1].due_on,
                    field=at + "due_on",
                )
        due_on = parts[-1].due_on if parts else item.due_on
        if due_on is None:
            raise ValidationFailed(
                N_("give the last day for performance (due_on) or the instalments"), field=at + "due_on"
            )
        if due_on < agreed_on:
            raise ValidationFailed(
                N_("due_on {due_on} is before the agreement took effect ({agreed_on})"),
                due_on=due_on,
                agreed_on=agreed_on,
                field=at + "due_on",
            )
        ob = Obligation(
            case_id=case.id,
            obligor_party_id=obligor.id,
            obligee_party_id=obligee.id,
            what=item.what,
            amount=item.amount,
            currency=item.currency,
            due_on=due_on,
            place=item.place,
            payee_account=item.payee_account,
            method=item.method,
            source=source,
            created_by_id=principal.user_id,
            created_at=utcnow(),
        )
        session.add(ob)
        session.flush()
        for seq, x in enumerate(parts, start=1):
            session.add(Instalment(obligation_id=ob.id, seq=seq, amount=x.amount, due_on=x.due_on))
        session.flush()
        record(
            session,
            principal,
            "case.obligation.add",
            "mediation_case",
            case.id,
            after=snapshot(ob)
            | {"instalments": [{"amount": str(x.amount), "due_on": x.due_on.isoformat()} for x in parts]},
        )
        out.append(ob)
    return out


def agreement_recorded(
    session: Session, principal: Principal, case: Case, items: list[schemas.ObligationIn], agreed_on: date
) -> list[Obligation]:
    """The AGREED effect (mediation/cases/rules.py record_agreement): a new agreement, e.g. after
    re-mediation (CPL 206), supersedes the obligations of the one before; its own itemised terms
    (the payload's ``obligations``) become the tracked ones."""
    for old in FollowUpRepository(session).obligations(case.id):
        old.superseded_at = utcnow()
        session.flush()
        record(
            session,
            principal,
            "case.obligation.supersede",
            "mediation_case",
            case.id,
            after={"obligation_id": old.id, "superseded_at": old.superseded_at.isoformat()},
        )
    return create_obligations(session, principal, case, items, agreed_on, field="obligations")


def add_obligation(session: Session, principal: Principal, case_id: int, data: schemas.ObligationIn) -> Obligation:
    case = _writable(session, principal, case_id)
    if case.state not in OBLIGATION_STATES:
        raise errors.ObligationClosed(
            N_("obligations are itemised while the agreement stands (AGREED … FOLLOW_UP); case {number} is {state}"),
            number=case.number,
            state=messages.state(case.state),
            field="state",
        )
    if case.agreement_effective_on is None:  # a bug: recording the agreement (AGREED) sets the date
        raise RuntimeError(f"case {case.number} is {case.state.value} without the date its agreement took effect")
    (ob,) = create_obligations(session, principal, case, [data], case.agreement_effective_on, source="added")
    return FollowUpRepository(session).obligation(case.id, ob.id)


def open_obligations(session: Session, case_id: int) -> list[Obligation]:
    """Obligations still owed (not fully paid, not waived): what blocks FOLLOW_UP → CLOSED."""
    return [ob for ob in FollowUpRepository(session).obligations(case_id) if ledger.is_open(ob)]


# -- payments and waivers ------------------------------------------------------------------------------


def _proof(session: Session, case: Case, evidence_id: int) -> int:
    ev = session.get(CaseEvidence, evidence_id)
    if ev is None or ev.case_id != case.id or not ev.file_sha256:
        raise ValidationFailed(
            N_("case {number} has no evidence file {evidence_id}"),
            number=case.number,
            evidence_id=evidence_id,
            field="proof_evidence_id",
        )
    return ev.id


def record_payment(
    session: Session,
    principal: Principal,
    case_id: int,
    obligation_id: int,
    data: schemas.PaymentIn,
    upload: tuple[str, str | None, BinaryIO] | None = None,
) -> Obligation:
    """Record a payment; the proof is an uploaded file (kept as case evidence) or an existing
    evidence file of the case. More than is outstanding is refused (422)."""
    case = _writable(session, principal, case_id)
    repo = FollowUpRepository(session)
    ob = repo.obligation(case.id, obligation_id, lock=True)
    if ob.waived_at is not None:
        raise errors.ObligationClosed(
            N_("the rest of this obligation was waived on {date}: no payment is due"),
            date=local_date(ob.waived_at),
            field="obligation_id",
        )
    currency = data.currency or ob.currency
    if currency != ob.currency:
        raise ValidationFailed(
            N_("the obligation is in {currency}; record the payment in {currency}"),
            currency=ob.currency,
            field="currency",
        )
    outstanding = ob.amount - ledger.paid_total(ob)
    if data.amount > outstanding:
        raise ValidationFailed(
            Bilingual(
                N_("overpayment: {amount} {currency} is more than the {outstanding} {currency} still outstanding"),
                amount=data.amount,
                currency=currency,
                outstanding=outstanding,
            ),
            field="amount",
        )
    if upload is not None and data.proof_evidence_id is not None:
        raise ValidationFailed(N_("send a proof file or proof_evidence_id, not both"), field="proof_evidence_id")
    proof_id = _proof(session, case, data.proof_evidence_id) if data.proof_evidence_id else None
    if upload is not None:
        name, content_type, stream = upload
        ev = evidence.add_file(
            session,
            principal,
            case.id,
            name,
            content_type,
            stream,
            f"付款凭证 / proof of payment: {ob.what} {data.amount} {currency} ({data.paid_on})",
        )
        proof_id = ev.id
    pay = Payment(
        obligation_id=ob.id,
        amount=data.amount,
        currency=currency,
        paid_on=data.paid_on,
        method=data.method,
        proof_evidence_id=proof_id,
        note=data.note,
        recorded_by_id=principal.user_id,
        created_at=utcnow(),
    )
    session.add(pay)
    session.flush()
    record(
        session,
        principal,
        "case.obligation.payment",
        "mediation_case",
        case.id,
        after=snapshot(pay) | {"outstanding_before": str(outstanding)},
    )
    return repo.obligation(case.id, ob.id)


def waive(
    session: Session, principal: Principal, case_id: int, obligation_id: int, data: schemas.WaiverIn
) -> Obligation:
    """Record that the obligee waived what is still owed (the reason is kept)."""
    case = _writable(session, principal, case_id)
    repo = FollowUpRepository(session)
    ob = repo.obligation(case.id, obligation_id, lock=True)
    if ob.waived_at is not None:
        raise AlreadyRecorded(N_("this obligation is already waived"), field="obligation_id")
    if not ledger.is_open(ob):
        raise errors.ObligationClosed(
            N_("this obligation is fully paid: there is nothing to waive"), field="obligation_id"
        )
    before = snapshot(ob)
    ob.waived_at, ob.waiver_reason = utcnow(), data.reason
    session.flush()
    b, a = changes(before, snapshot(ob))
    record(session, principal, "case.obligation.waive", "mediation_case", case.id, before=b, after=a)
    return repo.obligation(case.id, ob.id)


# -- visits ---------------------------------------------------------------------------------------------


def add_visit(session: Session, principal: Principal, case_id: int, data: schemas.VisitIn) -> FollowUpVisit:
    """回访 (PML 31): how the party was reached, whether the agreement is being performed, satisfaction."""
    case = _writable(session, principal, case_id)
    if data.party_id is not None and data.party_id not in {p.id for p in case.parties}:
        raise ValidationFailed(
            N_("party {party_id} is not a party to case {number}"),
            party_id=data.party_id,
            number=case.number,
            field="party_id",
        )
    visit = FollowUpVisit(
        case_id=case.id,
        visited_at=data.visited_at,
        channel=data.channel,
        visitor_name=(data.visitor_name or principal.display_name or principal.username or "")[:120],
        visitor_user_id=principal.user_id,
        party_id=data.party_id,
        satisfaction=data.satisfaction,
        performing=data.performing,
        notes=data.notes,
        recorded_by_id=principal.user_id,
        created_at=utcnow(),
    )
    session.add(visit)
    session.flush()
    record(session, principal, "case.visit.add", "mediation_case", case.id, after=snapshot(visit))
    return visit


# -- reads ------------------------------------------------------------------------------------------------


def case_followup(
    session: Session, principal: Principal, case_id: int, as_of: date | None = None
) -> schemas.FollowUpSummary:
    """The follow-up summary of one case (what GET /cases/{id}/followup and the case page show):
    obligations with statuses, visits, totals, and the route on offer when something is overdue."""
    case = load_case(session, principal, case_id)
    return summary.build(session, case, as_of or today())


def obligation_out(session: Session, principal: Principal, case_id: int, ob: Obligation) -> schemas.ObligationOut:
    case = load_case(session, principal, case_id)
    return summary.obligation_out(ob, {p.id: p for p in case.parties}, today())


def visits(session: Session, principal: Principal, case_id: int) -> list[schemas.VisitOut]:
    case = load_case(session, principal, case_id)
    parties = {p.id: p for p in case.parties}
    return [summary.visit_out(v, parties) for v in FollowUpRepository(session).visits(case.id)]


def closing_blocker(session: Session, case_id: int, p) -> str | None:
    """FOLLOW_UP → CLOSED (mediation/cases/rules.py obligations_settled): None when nothing is owed or
    the payload (cases.payloads.Closure; None when only listing the step) closes with outstanding
    items and gives the reason; else the 409 message, in Chinese and English."""
    owed = open_obligations(session, case_id)
    if not owed:
        return None
    if p is not None and p.close_with_outstanding:
        if not (p.outstanding_reason or "").strip():
            raise ValidationFailed(
                N_("closing with obligations still owed needs the reason (outstanding_reason)"),
                field="outstanding_reason",
            )
        return None
    items = Joined((f"#{ob.id} {ob.what} {ob.amount - ledger.paid_total(ob)} {ob.currency}" for ob in owed), "; ", "；")
    # Bilingual: the API message keeps both languages, as before; the case page shows its own.
    return Bilingual(
        N_(
            "Obligations are still unpaid and not waived: {items}. Record the payments or waivers first "
            "(POST /api/v1/cases/{case_id}/obligations/{{id}}/payments or …/waiver), or close with "
            "close_with_outstanding=true and an outstanding_reason (PML 31)"
        ),
        items=items,
        case_id=case_id,
    )


def install() -> None:
    """Put the follow-up into the case lifecycle (maritime_hub/wiring.py calls it at start-up)."""
    hooks.on_followup(hooks.FollowUpHooks(agreement_recorded=agreement_recorded, closing_blocker=closing_blocker))
