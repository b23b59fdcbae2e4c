"""The server under parallel requests: never frozen, never a blocked event loop.

Two parallel requests with one API token used to freeze the whole server (health included)
until SIGKILL: the token lookup ran sync queries on the event loop, and the second request's
`UPDATE api_token SET last_used_at` waited on the first one's row lock.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from maritime_hub.db import loopguard
from tests.conftest import ROOT, copy_database, drop_database


def test_quick_load_with_one_shared_token_has_no_timeout_or_error(cluster, demo_template):
    """bench/api_load.py --quick: 20 clients sharing one token for 10 s against `mh serve`
    (a separate process), then SIGTERM; fails on any timeout, non-2xx or ignored SIGTERM."""
    url = copy_database(cluster, demo_template.name, "mh_quick_load")
    try:
        out = subprocess.run(
            [sys.executable, "bench/api_load.py", "--quick", "--check", "--health-seconds", "4", "--database-url", url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=240,
        )
    finally:
        drop_database(cluster, "mh_quick_load")
    print(out.stdout)
    assert out.returncode == 0, out.stdout + out.stderr
    summary = dict(kv.split("=") for kv in out.stdout.strip().splitlines()[-2].split())
    assert summary["timeouts"] == "0" and summary["errors"] == "0"
    assert "after SIGTERM" in out.stdout


def test_the_loop_guard_fails_a_sync_query_on_the_event_loop(engine):
    """The guard behind every test (conftest): an `async def` handler that queries with the sync
    engine is refused, so a regression cannot pass unnoticed."""
    app = FastAPI()

    @app.get("/blocking")
    async def blocking():  # the mistake the guard exists for
        with engine.connect() as conn:
            return {"one": conn.execute(text("SELECT 1")).scalar()}

    @app.get("/threaded")
    def threaded():  # a plain def runs in the thread pool: allowed
        with engine.connect() as conn:
            return {"one": conn.execute(text("SELECT 1")).scalar()}

    loopguard.install(engine, "raise")
    before = len(loopguard.violations)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/threaded").json() == {"one": 1}
        assert len(loopguard.violations) == before
        assert client.get("/blocking").status_code == 500
    assert len(loopguard.violations) == before + 1  # the checkout; the query never ran
    del loopguard.violations[before:]  # expected here; the autouse check must not fail this test


def test_loop_guard_sees_no_running_loop_in_a_worker_thread():
    async def main():
        assert loopguard.on_event_loop()
        return await asyncio.to_thread(loopguard.on_event_loop)

    assert asyncio.run(main()) is False


@pytest.mark.parametrize("mode", ["off", "log"])
def test_loop_guard_modes_other_than_raise_never_fail_a_request(mode, cluster):
    from sqlalchemy import create_engine

    eng = create_engine(cluster.url(cluster.dbname))
    try:
        loopguard.install(eng, mode)
        before = len(loopguard.violations)

        async def main():
            with eng.connect() as conn:
                return conn.execute(text("SELECT 1")).scalar()

        assert asyncio.run(main()) == 1
        # "log": the checkout and the query are both recorded (and logged); "off": nothing.
        assert (len(loopguard.violations) > before) == (mode == "log")
        del loopguard.violations[before:]
    finally:
        eng.dispose()


def test_a_token_in_use_by_a_parallel_request_never_waits_on_its_row_lock(scratch_db):
    """`last_used_at` is written at most once a minute, with SKIP LOCKED: a request whose
    neighbour holds the token row's lock goes on at once instead of waiting for it."""
    import threading
    import time

    from sqlalchemy import create_engine
    from sqlalchemy.orm import Session

    from maritime_hub.audit.service import Actor
    from maritime_hub.auth.models import ApiToken, Role
    from maritime_hub.auth.schemas import UserCreate
    from maritime_hub.auth.service import create_token, create_user, user_for_token

    eng = create_engine(scratch_db)
    try:
        with Session(eng) as s, s.begin():
            user = create_user(
                s,
                Actor(None, "test"),
                UserCreate(username="loaded", password="long-enough-1", roles=[Role.coordinator]),
            )
            raw = create_token(s, Actor(None, "test"), user)
        holder = Session(eng)
        holder.begin()
        holder.execute(text("SELECT 1 FROM api_token FOR UPDATE"))  # a parallel request's lock
        took: list[float] = []

        def request() -> None:
            with Session(eng) as s, s.begin():
                t0 = time.monotonic()
                assert user_for_token(s, raw) is not None
                took.append(time.monotonic() - t0)

        t = threading.Thread(target=request)
        t.start()
        t.join(5)
        holder.rollback()
        holder.close()
        assert took and took[0] < 1.0, "the token lookup waited on the row lock"
        with Session(eng) as s, s.begin():  # the lock is gone: the time is written ...
            assert user_for_token(s, raw) is not None
        with Session(eng) as s:
            first = s.scalar(text("SELECT last_used_at FROM api_token"))
        assert first is not None
        with Session(eng) as s, s.begin():  # ... and not again within the minute
            user_for_token(s, raw)
        with Session(eng) as s:
            assert s.scalar(text("SELECT last_used_at FROM api_token")) == first
            assert s.query(ApiToken).count() == 1
    finally:
        eng.dispose()
