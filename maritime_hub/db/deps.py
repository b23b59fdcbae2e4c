"""FastAPI session dependency: the framework owns the transaction.

Commits when the endpoint returns, rolls back when it raises. Services only flush.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from maritime_hub.db.session import session_scope


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.sessionmaker) as session:
        yield session


# scope="function": commit before the response is sent. With the default ("request") the
# commit runs after sending, and a browser following a redirect (login → home) can arrive
# before the session row it needs is committed.
DbSession = Annotated[Session, Depends(get_session, scope="function")]
