"""API shapes of agreement follow-up. Money is Decimal (a string in JSON) with its currency.

``ObligationIn`` is also what the AGREED transition carries (mediation/cases/payloads.py Agreement.
obligations), so this module imports nothing from mediation.cases."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import ConfigDict, Field, field_validator

from maritime_hub.catalogues import gettext_for
from maritime_hub.messages import N_, Msg
from maritime_hub.types import Day, Id, Instant, Schema
from mediation.deadlines import LOCAL_TZ, local_date
from mediation.followup.models import PaymentMethod, VisitChannel

Money = Decimal
Status = Literal["due", "partly_paid", "paid", "overdue", "waived"]
# Labels of the follow-up's values, through the catalogues (the pages show them in the reader's
# language; the API's *_zh fields keep their Chinese from the zh_CN catalogue).
LABELS: dict[str, dict[str, str]] = {
    "status": {
        "due": N_("to be performed"),
        "partly_paid": N_("partly performed"),
        "paid": N_("performed"),
        "overdue": N_("overdue"),
        "waived": N_("waived"),
    },
    "channel": {
        "phone": N_("follow-up by phone"),
        "video": N_("follow-up by video"),
        "on_board": N_("follow-up on board"),
        "in_person": N_("follow-up in person"),
    },
    "method": {
        "bank_transfer": N_("bank transfer"),
        "cash": N_("cash"),
        "wechat": N_("WeChat Pay"),
        "alipay": N_("Alipay"),
        "cheque": N_("cheque"),
        "other": N_("other means"),
    },
}


def zh(kind: str, value: str) -> str:
    """The Chinese label of a follow-up value (the API's ``*_zh`` fields)."""
    return gettext_for("zh_CN", LABELS[kind][value])


def _amount(description: str = "amount, greater than 0"):
    return Field(gt=0, max_digits=14, decimal_places=2, description=description)


def _not_future_day(v: date | None) -> date | None:
    today = local_date(datetime.now(UTC))
    if v is not None and v > today:
        raise ValueError(Msg(N_("{day} is in the future: give a day up to today ({today})"), day=v, today=today))
    return v


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class InstalmentIn(_In):
    amount: Money = _amount()
    due_on: Day = Field(description="last day for this instalment")


class ObligationIn(_In):
    """One itemised term of the agreement (domain.md §3.1: who, what, amount and currency; place,
    deadline or instalments, payee account)."""

    obligor_party_id: Id = Field(gt=0, description="the party who must perform (a party of the case)")
    obligee_party_id: Id = Field(gt=0, description="the party performed to (the other side)")
    what: str = Field(min_length=1, max_length=2000, description="e.g. 支付拖欠工资")
    amount: Money = _amount("the total, greater than 0")
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    due_on: Day | None = Field(
        default=None, description="last day for performance; with instalments, default the last one's"
    )
    instalments: list[InstalmentIn] = Field(default_factory=list, description="optional; their amounts sum to amount")
    place: str | None = Field(default=None, max_length=400, description="place of performance (MOJ-2002 35)")
    payee_account: str | None = Field(default=None, max_length=200, description="收款账户")
    method: str | None = Field(default=None, max_length=200, description="performance method, e.g. 银行转账")


class PaymentIn(_In):
    amount: Money = _amount()
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$", description="default: the obligation's")
    paid_on: Day
    method: PaymentMethod
    note: str | None = Field(default=None, max_length=4000)
    proof_evidence_id: Id | None = Field(default=None, gt=0, description="an evidence file of this case (付款凭证)")

    _paid = field_validator("paid_on")(_not_future_day)


class WaiverIn(_In):
    reason: str = Field(min_length=1, max_length=4000, description="why the obligee waived the rest (recorded)")


class VisitIn(_In):
    visited_at: Instant = Field(description="read as Asia/Shanghai when given without a zone")
    channel: VisitChannel
    visitor_name: str | None = Field(default=None, max_length=120, description="default: the caller")
    party_id: Id | None = Field(default=None, gt=0, description="the party visited")
    satisfaction: int | None = Field(default=None, ge=1, le=5, description="the party's satisfaction, 1-5")
    performing: bool | None = Field(default=None, description="are the obligations being performed?")
    notes: str | None = Field(default=None, max_length=4000)

    @field_validator("visited_at")
    @classmethod
    def _local(cls, v: datetime) -> datetime:
        v = v if v.tzinfo else v.replace(tzinfo=LOCAL_TZ)
        if v > datetime.now(UTC):
            raise ValueError(N_("a visit cannot be recorded in the future"))
        return v


class InstalmentOut(Schema):
    seq: int
    amount: Money
    due_on: date
    paid: Money
    outstanding: Money
    status: Status
    status_zh: str


class PaymentOut(Schema):
    id: int
    amount: Money
    currency: str
    paid_on: date
    method: PaymentMethod
    method_zh: str
    proof_evidence_id: int | None
    note: str | None
    recorded_by_id: int | None
    created_at: datetime


class ObligationOut(Schema):
    id: int
    obligor_party_id: int
    obligor_name: str
    obligee_party_id: int
    obligee_name: str
    what: str
    amount: Money
    currency: str
    due_on: date
    place: str | None
    payee_account: str | None
    method: str | None
    source: str
    waived_at: datetime | None
    waiver_reason: str | None
    paid: Money
    outstanding: Money
    overdue_amount: Money
    status: Status
    status_zh: str
    instalments: list[InstalmentOut]
    payments: list[PaymentOut]


class VisitOut(Schema):
    id: int
    visited_at: datetime
    channel: VisitChannel
    channel_zh: str
    visitor_name: str
    visitor_user_id: int | None
    party_id: int | None
    party_name: str | None
    satisfaction: int | None
    performing: bool | None
    notes: str | None


class Totals(Schema):
    currency: str
    due: Money = Field(description="what the agreement obliges (waived items excluded)")
    paid: Money
    outstanding: Money
    overdue: Money


class RouteDeadline(Schema):
    label_zh: str
    label_en: str
    due: date
    basis: str
    start_event: str
    start_date: date
    extended_by_holiday: bool
    note: str


class RouteOffer(Schema):
    kind: Literal["enforcement", "litigation"]
    transition: str = Field(description="the lifecycle step that records it (POST /cases/{id}/transitions)")
    label_zh: str
    basis: str
    message_zh: str
    message_en: str
    deadline: RouteDeadline | None = None
    confirmation_possible_until: date | None = Field(default=None, description="CPL 205 window still open until")


class FollowUpSummary(Schema):
    case_id: int
    case_number: str
    state: str
    agreement_effective_on: date | None
    confirmed: bool = Field(description="a court ruled the agreement valid (CPL 206)")
    as_of: date
    obligations: list[ObligationOut]
    visits: list[VisitOut]
    totals: list[Totals]
    overdue: bool
    route: RouteOffer | None
