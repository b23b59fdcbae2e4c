"""Users, roles, API tokens, web sessions and login attempts."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ARRAY, Boolean, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from maritime_hub.db.base import Base, TimestampMixin, utcnow
from maritime_hub.orgs.models import Organisation


class Role(str, enum.Enum):
    admin = "admin"
    coordinator = "coordinator"  # 受理 / 派单
    mediator = "mediator"  # 海上老娘舅
    fishery_auditor = "fishery_auditor"  # 渔业局 权益核查
    court_clerk = "court_clerk"  # 书记员
    judge = "judge"
    party = "party"  # 当事人 (crew, owners)


class User(Base, TimestampMixin):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(32)), default=list)
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN")
    email: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # 超时督办: overdue items of the coordinators this user supervises are escalated to them (migration 0007).
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation | None] = relationship(lazy="raise")


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80), default="cli")
    # Only the SHA-256 of the token is stored; the token is shown once.
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    __tablename__ = "web_session"

    # SHA-256 of the cookie value: a leaked table does not give live sessions.
    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "at"),
        Index("ix_login_attempt_client_at", "client", "at"),
        # The login limit matches accounts by lower(username) (auth/service.py).
        Index("ix_login_attempt_lower_username_at", text("lower(username)"), "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80))
    client: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean)
