"""Engine and session factory. The web framework owns the transaction (see get_session)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from maritime_hub.config import get_settings
from maritime_hub.db.cluster import database_url

# The app's queries are short and latency-bound. PostGIS functions carry high planner
# costs, which switch on JIT compilation (~30 ms) and parallel workers (~20 ms start-up) for
# queries that run in a few milliseconds: measured on near-10 nm/24 h at 10M positions.
SESSION_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0"


@lru_cache
def get_engine(url: str | None = None) -> Engine:
    # Pool sizes go with the admission limit and the thread pool (config.ServerSettings).
    server = get_settings().server
    return create_engine(
        url or database_url(),
        pool_pre_ping=True,
        pool_size=server.db_pool_size,
        max_overflow=server.db_max_overflow,
        pool_timeout=10,
        connect_args={"options": SESSION_OPTIONS},
    )


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """The one transaction pattern: commit on success, roll back on error, always close.
    Requests (db.deps), websocket messages (app.state.short_session), CLI and jobs use it."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def transaction(engine: Engine | None = None):
    """A session scope on the configured (or given) engine, for the CLI and jobs."""
    return session_scope(session_factory(engine))
