"""Test harness: a real PostgreSQL + PostGIS cluster started by the suite itself.

One throwaway cluster in var/pg-test (fsync off), one template database with the migrated
schema, and a test database copied from it. Every test runs inside a transaction that is
rolled back (services' commits become savepoint releases), so tests never see each other.

`make test` spreads the files over pytest-xdist workers (`-n 3 --dist loadfile`): the controller
starts the cluster and migrates the template once; each worker copies its own test database,
demo template and var directory, named after the worker (`mh_test_gw0`, `var/test/gw0`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parent.parent
TEST_PG = Path(os.environ.get("MH_TEST_PG", ROOT / "var" / "pg-test"))
TEMPLATE = "mh_template"
# Set by pytest-xdist in each worker ("gw0", "gw1", ...); empty in a plain run.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
TEST_DB = f"mh_test_{WORKER}" if WORKER else "mh_test"
DEMO_TEMPLATE = f"mh_demo_template_{WORKER}" if WORKER else "mh_demo_template"

# Tests must not touch the developer's files or an external database by accident.
os.environ.pop("MH_DATABASE_URL", None)
os.environ.setdefault("MH_VAR_DIR", str(ROOT / "var" / "test" / WORKER))
# Any sync database call on the event-loop thread fails the request and the test (db/loopguard.py).
os.environ["MH_SERVER__LOOP_GUARD"] = "raise"

pytest_plugins = ["tests.factories"]


def _cluster():
    from maritime_hub.db.cluster import Cluster

    return Cluster(TEST_PG, dbname=TEST_DB, fsync=False)


def recreate_from_template(cluster, name: str) -> str:
    return copy_database(cluster, TEMPLATE, name)


def copy_database(cluster, template: str, name: str) -> str:
    """A fresh copy `name` of database `template` (dropped first if left by an earlier run)."""
    drop_database(cluster, name)
    with psycopg.connect(cluster.libpq_url("postgres"), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return cluster.url(name)


def drop_database(cluster, name: str) -> None:
    with psycopg.connect(cluster.libpq_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_configure(config):
    # Tests call services without an app too: the hooks the app and the CLI install at start-up.
    from maritime_hub import wiring

    wiring.install()
    if hasattr(config, "workerinput"):
        # The controller has started the cluster and migrated the template before workers start.
        recreate_from_template(_cluster(), TEST_DB)
        return
    cluster = _cluster()
    config._mh_started_cluster = cluster.up()
    from maritime_hub.db.migrate import upgrade

    with psycopg.connect(cluster.libpq_url("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (TEMPLATE,)).fetchone()
        if exists:
            conn.execute(f"ALTER DATABASE {TEMPLATE} WITH is_template false")
            conn.execute(f"DROP DATABASE {TEMPLATE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {TEMPLATE}")
    upgrade(cluster.url(TEMPLATE))
    with psycopg.connect(cluster.libpq_url("postgres"), autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {TEMPLATE} WITH is_template true")
    recreate_from_template(cluster, TEST_DB)


def pytest_unconfigure(config):
    # Stop the test cluster if this run started it (leave one a developer left running).
    if getattr(config, "_mh_started_cluster", False):
        _cluster().down()


@pytest.fixture(autouse=True)
def _no_blocking_on_event_loop():
    """Fails the test if a sync query or pool checkout ran on an event-loop thread, also where
    the error was swallowed (a websocket path, a background task)."""
    from maritime_hub.db import loopguard

    before = len(loopguard.violations)
    yield
    new = loopguard.violations[before:]
    assert not new, "sync database call on the event loop:\n" + new[0]


@pytest.fixture(scope="session")
def cluster():
    return _cluster()


class DemoTemplate(str):
    """A database with `mh demo load` done once (it takes ~10 s), to be copied by tests."""

    def __new__(cls, name: str, load_output: str):
        obj = super().__new__(cls, name)
        obj.name, obj.load_output = name, load_output
        return obj


@pytest.fixture(scope="session")
def demo_template(cluster) -> DemoTemplate:
    url = recreate_from_template(cluster, DEMO_TEMPLATE)
    loaded = run_mh("demo", "load", url=url)
    assert loaded.returncode == 0, loaded.stderr
    return DemoTemplate(DEMO_TEMPLATE, loaded.stdout)


@pytest.fixture(scope="session")
def engine(cluster):
    eng = create_engine(cluster.url(TEST_DB), pool_size=5)
    yield eng
    eng.dispose()


@pytest.fixture
def db(engine) -> Iterator[Session]:
    """A session inside a transaction that is always rolled back."""
    conn = engine.connect()
    outer = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        conn.close()


@pytest.fixture(scope="session")
def _shared_app(engine):
    """One app per worker: building it costs ~0.13 s (routes, OpenAPI wiring), which every test
    with a client paid. Each test gets it with its own session override, removed afterwards."""
    from maritime_hub.app import create_app

    return create_app(engine)


@pytest.fixture
def app(request, engine, db):
    from maritime_hub.app import create_app
    from maritime_hub.db.deps import get_session

    own = request.node.get_closest_marker("own_app") is not None
    application = create_app(engine) if own else request.getfixturevalue("_shared_app")

    def _session():
        # Same contract as production: commit on success (a savepoint here), roll back on error.
        # Fixture data made before the request is settled first, as if committed earlier.
        db.commit()
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise

    application.dependency_overrides[get_session] = _session
    default_short_session = application.state.short_session
    application.state.short_session = contextmanager(_session)
    yield application
    application.dependency_overrides.clear()
    application.state.short_session = default_short_session


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=True) as c:
        yield c


@pytest.fixture
def scratch_db(cluster):
    """A committed database of its own (copied from the template), for CLI and browser tests
    whose other processes cannot see a test's open transaction."""
    import uuid

    name = f"mh_scratch_{uuid.uuid4().hex[:8]}"
    url = recreate_from_template(cluster, name)
    yield url
    drop_database(cluster, name)


def run_mh(*args: str, url: str, stdin: str | None = None, env: dict | None = None):
    import subprocess
    import sys

    full_env = {**os.environ, "MH_DATABASE_URL": url, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "maritime_hub.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=ROOT,
        timeout=120,
    )
