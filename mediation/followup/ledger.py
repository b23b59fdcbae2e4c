"""What is paid, what is outstanding, what is overdue: pure functions over an obligation with its
instalments and payments loaded. Payments are applied to the instalments in due order. A sum still
unpaid after its last day (Asia/Shanghai, passed in as ``today``) is overdue; on the day itself it
is still only due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mediation.followup.models import Obligation

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Slot:
    seq: int
    amount: Decimal
    due_on: date
    paid: Decimal
    outstanding: Decimal
    status: str


@dataclass(frozen=True)
class Ledger:
    slots: list[Slot]
    paid: Decimal
    outstanding: Decimal
    overdue: Decimal
    status: str


def _q(v: Decimal) -> Decimal:
    return v.quantize(Decimal("0.01"))


def paid_total(ob: Obligation) -> Decimal:
    return _q(sum((p.amount for p in ob.payments), ZERO))


def ledger(ob: Obligation, today: date) -> Ledger:
    parts = [(i.seq, i.amount, i.due_on) for i in sorted(ob.instalments, key=lambda i: (i.due_on, i.seq))]
    if not parts:
        parts = [(1, ob.amount, ob.due_on)]
    left = paid_total(ob)
    slots = []
    for seq, amount, due_on in parts:
        paid = min(amount, left)
        left -= paid
        rest = _q(amount - paid)
        if rest == 0:
            status = "paid"
        elif due_on < today:
            status = "overdue"
        elif paid > 0:
            status = "partly_paid"
        else:
            status = "due"
        slots.append(Slot(seq, _q(amount), due_on, _q(paid), rest, status))
    paid = paid_total(ob)
    outstanding = _q(max(ob.amount - paid, ZERO))
    overdue = _q(sum((s.outstanding for s in slots if s.status == "overdue"), ZERO))
    if ob.waived_at is not None:
        status = "paid" if outstanding == 0 else "waived"
        return Ledger(slots, paid, outstanding, ZERO, status)
    if outstanding == 0:
        status = "paid"
    elif overdue > 0:
        status = "overdue"
    elif paid > 0:
        status = "partly_paid"
    else:
        status = "due"
    return Ledger(slots, paid, outstanding, overdue, status)


def is_open(ob: Obligation) -> bool:
    """Still owed: not fully paid and not waived (what blocks closing the case)."""
    return ob.waived_at is None and paid_total(ob) < ob.amount
