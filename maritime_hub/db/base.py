"""Declarative base with a naming convention, so Alembic migrations have stable constraint names."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


# A replayed clock for loading the past (demo data, tests): the case timeline is append-only, so
# a year of history has to be written as it would have happened. Never set in request handling.
_replay: ContextVar[Callable[[], datetime] | None] = ContextVar("replay_clock", default=None)


def utcnow() -> datetime:
    replay = _replay.get()
    return replay() if replay is not None else datetime.now(UTC)


@contextmanager
def replay_clock(source: Callable[[], datetime]) -> Iterator[None]:
    """Within the block, ``utcnow()`` returns ``source()`` (an aware UTC datetime)."""
    token = _replay.set(source)
    try:
        yield
    finally:
        _replay.reset(token)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), default=utcnow, onupdate=utcnow
    )
