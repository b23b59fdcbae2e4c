"""The follow-up summary of a case, and the route offered when performance is overdue:

- an agreement a court ruled valid (CPL 206) is enforced: apply to the ruling court or a same-level
  court where the assets are (CPL-Interp 460) within 2 years of the last day for performance
  (CPL 250; deadlines.enforcement_application);
- an unconfirmed people's-mediation agreement binds as a contract: sue on it (PML 32); while the
  30-day window of CPL 205 is still open the parties may instead apply jointly for confirmation.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from mediation import deadlines
from mediation.cases.enums import ReferralKind, RulingOutcome
from mediation.cases.models import Case
from mediation.cases.rules import working_calendar
from mediation.followup import ledger
from mediation.followup.models import FollowUpVisit, Obligation
from mediation.followup.repository import FollowUpRepository
from mediation.followup.schemas import (
    FollowUpSummary,
    InstalmentOut,
    ObligationOut,
    PaymentOut,
    RouteDeadline,
    RouteOffer,
    Totals,
    VisitOut,
    zh,
)


def obligation_out(ob: Obligation, parties: dict, today: date, lg: ledger.Ledger | None = None) -> ObligationOut:
    lg = lg or ledger.ledger(ob, today)
    name = lambda pid: parties[pid].name if pid in parties else str(pid)
    return ObligationOut(
        id=ob.id,
        obligor_party_id=ob.obligor_party_id,
        obligor_name=name(ob.obligor_party_id),
        obligee_party_id=ob.obligee_party_id,
        obligee_name=name(ob.obligee_party_id),
        what=ob.what,
        amount=ob.amount,
        currency=ob.currency,
        due_on=ob.due_on,
        place=ob.place,
        payee_account=ob.payee_account,
        method=ob.method,
        source=ob.source,
        waived_at=ob.waived_at,
        waiver_reason=ob.waiver_reason,
        paid=lg.paid,
        outstanding=lg.outstanding,
        overdue_amount=lg.overdue,
        status=lg.status,
        status_zh=zh("status", lg.status),
        instalments=[
            InstalmentOut(
                seq=s.seq,
                amount=s.amount,
                due_on=s.due_on,
                paid=s.paid,
                outstanding=s.outstanding,
                status=s.status,
                status_zh=zh("status", s.status),
            )
            for s in lg.slots
        ]
        if ob.instalments
        else [],
        payments=[
            PaymentOut(
                id=p.id,
                amount=p.amount,
                currency=p.currency,
                paid_on=p.paid_on,
                method=p.method,
                method_zh=zh("method", p.method.value),
                proof_evidence_id=p.proof_evidence_id,
                note=p.note,
                recorded_by_id=p.recorded_by_id,
                created_at=p.created_at,
            )
            for p in ob.payments
        ],
    )


def visit_out(v: FollowUpVisit, parties: dict) -> VisitOut:
    return VisitOut(
        id=v.id,
        visited_at=v.visited_at,
        channel=v.channel,
        channel_zh=zh("channel", v.channel.value),
        visitor_name=v.visitor_name,
        visitor_user_id=v.visitor_user_id,
        party_id=v.party_id,
        party_name=parties[v.party_id].name if v.party_id in parties else None,
        satisfaction=v.satisfaction,
        performing=v.performing,
        notes=v.notes,
    )


def totals(obligations: list[Obligation], ledgers: list[ledger.Ledger]) -> list[Totals]:
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ledger.ZERO))
    for ob, lg in zip(obligations, ledgers, strict=False):
        t = sums[ob.currency]
        t["due"] += lg.paid if ob.waived_at is not None else ob.amount
        t["paid"] += lg.paid
        t["outstanding"] += ledger.ZERO if ob.waived_at is not None else lg.outstanding
        t["overdue"] += lg.overdue
    return [Totals(currency=c, **t) for c, t in sorted(sums.items())]


def confirmed(case: Case) -> bool:
    """A court ruled the agreement valid (CPL 206): CONFIRMED, or FOLLOW_UP/ENFORCEMENT after it."""
    return case.ruling_outcome == RulingOutcome.valid


def route_offer(
    case: Case, obligations: list[Obligation], ledgers: list[ledger.Ledger], today: date
) -> RouteOffer | None:
    overdue = [ob for ob, lg in zip(obligations, ledgers, strict=False) if lg.overdue > 0]
    if not overdue:
        return None
    cal = working_calendar()
    who = "、".join(sorted({ob.what for ob in overdue}))
    if confirmed(case):
        # CPL 250: 2 years from the last day set for performance (the last instalment's day).
        last = max(ob.due_on for ob in obligations if ob.waived_at is None)
        dl = deadlines.enforcement_application(cal, last)
        return RouteOffer(
            kind="enforcement",
            transition="ENFORCEMENT",
            label_zh="申请强制执行",
            basis="CPL 250; CPL 206; CPL-Interp 460",
            message_zh=(
                f"调解协议已经法院裁定确认有效（民事诉讼法第206条），义务人逾期未履行（{who}）："
                f"权利人可以向作出确认裁定的人民法院或者与其同级的被执行财产所在地人民法院申请强制执行"
                f"（民诉法解释第460条）；申请执行的期间为二年，自最后履行期限届满之日起计算（民事诉讼法第250条），"
                f"截至 {dl.due}。"
            ),
            message_en=(
                f"The court ruled the agreement valid (CPL 206) and performance is overdue ({who}): the obligee may "
                f"apply for enforcement to the ruling court or a same-level court where the assets are "
                f"(CPL-Interp 460) within 2 years of the last day for performance (CPL 250), i.e. by {dl.due}."
            ),
            deadline=RouteDeadline(
                label_zh=dl.label_zh,
                label_en=dl.label_en,
                due=dl.due,
                basis=dl.basis,
                start_event=dl.start_event,
                start_date=dl.start_date,
                extended_by_holiday=dl.extended_by_holiday,
                note=dl.note,
            ),
        )
    window_until = None
    if case.agreement_effective_on is not None and case.referral_kind != ReferralKind.post_filing_referral:
        open_, dl = deadlines.confirmation_window_open(cal, case.agreement_effective_on, today)
        window_until = dl.due if open_ else None
    zh = (
        f"调解协议未经司法确认，义务人逾期未履行（{who}）：当事人之间就调解协议的履行或者内容发生争议的，"
        f"一方可以向人民法院提起诉讼（人民调解法第32条）。"
    )
    en = (
        f"The agreement has not been judicially confirmed and performance is overdue ({who}): a party may sue on the "
        f"agreement in court (PML 32)."
    )
    if window_until is not None:
        zh += (
            f"协议生效之日起三十日内（截至 {window_until}）双方仍可共同申请司法确认（民事诉讼法第205条），"
            f"确认后可直接申请强制执行。"
        )
        en += (
            f" The 30-day window for joint judicial confirmation is still open until {window_until} (CPL 205); a "
            f"confirmed agreement can be enforced directly."
        )
    return RouteOffer(
        kind="litigation",
        transition="REFERRED_LITIGATION",
        label_zh="就调解协议提起诉讼",
        basis="PML 32" + ("; CPL 205" if window_until else ""),
        message_zh=zh,
        message_en=en,
        confirmation_possible_until=window_until,
    )


def build(session: Session, case: Case, today: date) -> FollowUpSummary:
    """``case`` needs its parties loaded."""
    repo = FollowUpRepository(session)
    obligations = repo.obligations(case.id)
    ledgers = [ledger.ledger(ob, today) for ob in obligations]
    parties = {p.id: p for p in case.parties}
    return FollowUpSummary(
        case_id=case.id,
        case_number=case.number,
        state=case.state.value,
        agreement_effective_on=case.agreement_effective_on,
        confirmed=confirmed(case),
        as_of=today,
        obligations=[obligation_out(ob, parties, today, lg) for ob, lg in zip(obligations, ledgers, strict=False)],
        visits=[visit_out(v, parties) for v in repo.visits(case.id)],
        totals=totals(obligations, ledgers),
        overdue=any(lg.overdue > 0 for lg in ledgers),
        route=route_offer(case, obligations, ledgers, today),
    )
