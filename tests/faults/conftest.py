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
    return subprocess.Popen([sys.executable, "-m", "maritime_hub.cli", *args], stdout=out, stderr=subprocess.STDOUT,
                            env=full_env, cwd=ROOT, start_new_session=True)


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
