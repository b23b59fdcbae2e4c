"""The 定时催办 / 超时督办 ledger: one row per reminder or escalation sent, so each fires once.

The unique key (case, deadline, kind, due day) is what makes a repeated or concurrent sweep
harmless: rows are inserted with ON CONFLICT DO NOTHING and only the inserter notifies. A deadline
whose due day moves (a new dispatch, an extension) is a new item and is reminded again.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from maritime_hub.db.base import Base, utcnow


class AlertKind(str, enum.Enum):
    reminder = "reminder"  # 定时催办: due soon
    escalation = "escalation"  # 超时督办: overdue


class CaseAlert(Base):
    __tablename__ = "case_alert"
    __table_args__ = (UniqueConstraint("case_id", "deadline_key", "kind", "due", name="uq_case_alert_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id", ondelete="CASCADE"), index=True)
    deadline_key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[AlertKind] = mapped_column(
        Enum(AlertKind, name="alert_kind", native_enum=False, length=20, validate_strings=True)
    )
    due: Mapped[date] = mapped_column(Date)
    recipients: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list)
    fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=utcnow)
