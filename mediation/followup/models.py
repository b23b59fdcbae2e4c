"""Follow-up of a settlement agreement (PML 31: the mediation organisation supervises performance):
the agreement's itemised obligations (domain.md §3.1 terms and performance), their instalments,
payments with proof, and 回访 visits.

References to cases are by foreign key only: mediation.cases imports this package lazily (its
AGREED effect creates obligations, its CLOSED check reads them), so nothing here imports cases."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maritime_hub.db.base import Base, utcnow


class PaymentMethod(str, enum.Enum):
    bank_transfer = "bank_transfer"  # 银行转账
    cash = "cash"  # 现金
    wechat = "wechat"  # 微信
    alipay = "alipay"  # 支付宝
    cheque = "cheque"  # 支票
    other = "other"


class VisitChannel(str, enum.Enum):
    phone = "phone"  # 电话回访
    video = "video"  # 视频回访
    on_board = "on_board"  # 登船回访
    in_person = "in_person"  # 当面回访


def _enum(e: type[enum.Enum], name: str) -> Enum:
    return Enum(e, name=name, native_enum=False, length=30, validate_strings=True)


class Obligation(Base):
    """One itemised obligation of the agreement: who (obligor) owes whom (obligee) what, how much, by
    when, where and to which account (domain.md §3.1; MOJ-2002 35: place of performance)."""

    __tablename__ = "agreement_obligation"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    obligor_party_id: Mapped[int] = mapped_column(ForeignKey("case_party.id", ondelete="RESTRICT"))
    obligee_party_id: Mapped[int] = mapped_column(ForeignKey("case_party.id", ondelete="RESTRICT"))
    what: Mapped[str] = mapped_column(Text)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="CNY")
    due_on: Mapped[date] = mapped_column(Date)  # the last day; with instalments, the last instalment's day
    place: Mapped[str | None] = mapped_column(String(400))
    payee_account: Mapped[str | None] = mapped_column(String(200))
    method: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(20), default="agreement")  # agreement | added
    waived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    waiver_reason: Mapped[str | None] = mapped_column(Text)
    # A later agreement (after re-mediation, CPL 206) replaces this one's terms; kept for the record.
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    instalments: Mapped[list[Instalment]] = relationship(lazy="raise", order_by="Instalment.seq")
    payments: Mapped[list[Payment]] = relationship(lazy="raise", order_by="Payment.id")


class Instalment(Base):
    __tablename__ = "obligation_instalment"
    __table_args__ = (
        UniqueConstraint("obligation_id", "seq", name="uq_obligation_instalment_obligation_seq"),
        CheckConstraint("amount > 0", name="amount_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("agreement_obligation.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    due_on: Mapped[date] = mapped_column(Date)


class Payment(Base):
    """A payment against an obligation; applied to its instalments in due order."""

    __tablename__ = "obligation_payment"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    obligation_id: Mapped[int] = mapped_column(ForeignKey("agreement_obligation.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3))
    paid_on: Mapped[date] = mapped_column(Date)
    method: Mapped[PaymentMethod] = mapped_column(_enum(PaymentMethod, "payment_method"))
    proof_evidence_id: Mapped[int | None] = mapped_column(ForeignKey("case_evidence.id", ondelete="RESTRICT"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FollowUpVisit(Base):
    """回访: the mediation organisation checks on performance and the party's satisfaction (PML 31)."""

    __tablename__ = "followup_visit"
    __table_args__ = (CheckConstraint("satisfaction BETWEEN 1 AND 5", name="satisfaction_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    visited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    channel: Mapped[VisitChannel] = mapped_column(_enum(VisitChannel, "visit_channel"))
    visitor_name: Mapped[str] = mapped_column(String(120))
    visitor_user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("case_party.id", ondelete="SET NULL"))
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    performing: Mapped[bool | None] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
