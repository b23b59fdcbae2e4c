"""Fault tests: a small PostgreSQL cluster of their own (var/fault/<worker>/pg, fsync off), so a
test can stop and restart the database without touching the suite's shared cluster.

It lives under the work tree, not /tmp: when we are root the server runs as the postgres user,
who must traverse every parent folder (pytest's tmp folders are 0700)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from tests.conftest import ROOT, WORKER

FAULT_ROOT = ROOT / "var" / "fault" / (WORKER or "main")
FAULT_DB = "mh_fault"


@pytest.fixture(scope="session")
def fault_cluster():
    from maritime_hub.db.cluster import Cluster
    from maritime_hub.db.migrate import upgrade

    cluster = Cluster(FAULT_ROOT / "pg", dbname=FAULT_DB, fsync=False)
    cluster.up()
    with psycopg.connect(cluster.libpq_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{FAULT_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{FAULT_DB}"')
    upgrade(cluster.url())
    yield cluster
    cluster.down()


def restart(cluster, down_for: float = 1.0) -> None:
    """Stop the database (fast: open connections are cut), leave it down a moment, start it again."""
    cluster.down()
    time.sleep(down_for)
    cluster.up()


def mh(*args: str, url: str, log: Path, env: dict | None = None) -> subprocess.Popen:
    """`mh ARGS` as a background process on database `url`, its output in `log`."""
    full_env = {**os.environ, "MH_DATABASE_URL": url, **(env or {})}
    out = open(log, "wb")
    return subprocess.Popen(
        [sys.executable, "-m", "maritime_hub.cli", *args],
        stdout=out,
        stderr=subprocess.STDOUT,
        env=full_env,
        cwd=ROOT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen, timeout: float = 15) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            return proc.wait()
    return proc.returncode


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(url: str, log: Path) -> tuple[subprocess.Popen, str]:
    """`mh serve` on database `url` (a process of its own, so it can be killed), once it answers."""
    import httpx2 as httpx

    port = free_port()
    proc = mh("serve", "--port", str(port), url=url, log=log)
    base = f"http://127.0.0.1:{port}"

    def up():
        assert proc.poll() is None, log.read_text()
        try:
            return httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(up, 60, "mh serve to answer")
    return proc, base


def coordinators(url: str, n: int) -> list[str]:
    """`n` API tokens of a coordinator of a new mediation committee (committed), one per client."""
    import uuid

    from sqlalchemy import create_engine

    from maritime_hub.audit.service import SYSTEM
    from maritime_hub.auth.schemas import UserCreate
    from maritime_hub.auth.service import create_token, create_user
    from maritime_hub.db.session import transaction
    from maritime_hub.orgs.models import OrgKind
    from maritime_hub.orgs.schemas import OrganisationCreate
    from maritime_hub.orgs.service import create

    engine = create_engine(url)
    tag = uuid.uuid4().hex[:6]
    try:
        with transaction(engine) as s:
            org = create(
                s,
                SYSTEM,
                OrganisationCreate(
                    name=f"故障测试海上调解委员会{tag}", kind=OrgKind.mediation_committee, code=f"故{tag}海调"
                ),
            )
            user = create_user(
                s,
                SYSTEM,
                UserCreate(
                    username=f"fault_{tag}",
                    password="correct-horse-battery",
                    roles=["coordinator"],
                    organisation_id=org.id,
                ),
            )
            return [create_token(s, SYSTEM, user, f"client {i}") for i in range(n)]  # one password hash, n tokens
    finally:
        engine.dispose()


def case_body(n: int) -> dict:
    """A case filed at the window, with three parties: several rows written in one transaction."""
    return {
        "dispute_type": "wage_dispute",
        "incident_at": "2026-11-20T08:00:00+08:00",
        "intake_channel": "window",
        "description": f"拖欠三个月工资（故障测试 {n}）",
        "sea_area": "舟山渔场",
        "parties": [
            {"side": "applicant", "name": f"王海{n}"},
            {"side": "applicant", "name": f"李渔{n}"},
            {"side": "respondent", "name": f"张船东{n}"},
        ],
    }
