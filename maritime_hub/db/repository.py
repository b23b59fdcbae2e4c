"""Small shared query helpers; each domain's repository builds on these."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from maritime_hub.db.base import Base
from maritime_hub.errors import NotFound

M = TypeVar("M", bound=Base)


@dataclass
class Page(Generic[M]):
    items: list[M]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def by_ids(session: Session, model: type[M], ids: Any) -> dict[Any, M]:
    """The rows of ``model`` with these primary keys (None ignored), keyed by id: one query."""
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    return {row.id: row for row in session.scalars(select(model).where(model.id.in_(wanted)))}  # type: ignore[attr-defined]  # Base declares no id; every model passed has one


def binary_rows(session: Session, sql: str, params: dict[str, Any]) -> list[tuple]:
    """All rows of a query that returns many (sql with psycopg's %(name)s placeholders), in the
    session's transaction, read in PostgreSQL's binary format by psycopg's C loaders instead of
    as text through SQLAlchemy's result rows: a 7-day AIS track of ~470 points, 2.7 -> 1.8 ms
    (docs/performance.md)."""
    conn = session.connection().connection.driver_connection
    if conn is None:  # a bug: a connection checked out of the pool always has its psycopg connection
        raise RuntimeError("the session's connection has no driver connection")
    with conn.cursor(binary=True) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


class RepositoryBase(Generic[M]):
    model: type[M]
    label: str = "record"  # used in "not found" messages

    def __init__(self, session: Session):
        self.session = session

    def get(self, id_: Any, *, options: tuple = ()) -> M | None:
        return self.session.get(self.model, id_, options=list(options))

    def get_or_404(self, id_: Any, *, options: tuple = ()) -> M:
        obj = self.get(id_, options=options)
        if obj is None:
            raise NotFound(f"{self.label} {id_} not found")
        return obj

    def add(self, obj: M) -> M:
        self.session.add(obj)
        self.session.flush()
        return obj

    def paginate(self, stmt: Select, page: int, page_size: int) -> Page[M]:
        total = self.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        items = list(self.session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)))
        return Page(items=items, total=total, page=page, page_size=page_size)
