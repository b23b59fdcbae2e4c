"""The background worker survives a database restart (it connects again and its heartbeat
resumes), and `mh worker --supervise` starts it again after kill -9."""

from __future__ import annotations

import os
import signal
from datetime import datetime

import psycopg
import pytest

from tests.faults.conftest import mh, restart, stop, wait_for

pytestmark = pytest.mark.faults
FAST_BEAT = {"MH_WORKER__HEARTBEAT_SECONDS": "0.5"}


def workers(cluster) -> list[tuple[int, datetime]]:
    try:
        with psycopg.connect(cluster.libpq_url(), connect_timeout=2) as conn:
            return conn.execute("SELECT id, last_heartbeat FROM procrastinate_workers ORDER BY id").fetchall()
    except psycopg.OperationalError:
        return []


def db_now(cluster) -> datetime:
    with psycopg.connect(cluster.libpq_url()) as conn:
        return conn.execute("SELECT now()").fetchone()[0]


def test_worker_survives_a_database_restart(fault_cluster, tmp_path):
    log = tmp_path / "worker.log"
    proc = mh("worker", url=fault_cluster.url(), log=log, env=FAST_BEAT)
    try:
        wait_for(lambda: workers(fault_cluster), 30, "the worker's first heartbeat")
        restart(fault_cluster, down_for=1.0)
        assert proc.poll() is None, log.read_text()
        after = db_now(fault_cluster)
        beats = wait_for(
            lambda: [w for w in workers(fault_cluster) if w[1] > after], 30, "a heartbeat after the restart"
        )
        assert beats and proc.poll() is None
        assert "worker lost the database" in log.read_text()
    finally:
        assert stop(proc) == 0, log.read_text()
    assert workers(fault_cluster) == []  # a clean stop takes its row away


def test_supervisor_starts_a_killed_worker_again(fault_cluster, tmp_path):
    log = tmp_path / "supervisor.log"
    sup = mh("worker", "--supervise", url=fault_cluster.url(), log=log, env=FAST_BEAT)
    try:
        first = wait_for(lambda: workers(fault_cluster), 30, "the worker's first heartbeat")[-1][0]
        child = int(open(f"/proc/{sup.pid}/task/{sup.pid}/children").read().split()[0])
        os.kill(child, signal.SIGKILL)
        wait_for(lambda: [w for w in workers(fault_cluster) if w[0] > first], 30, "a new worker's heartbeat")
        assert sup.poll() is None
        assert "exited with -9" in log.read_text()
    finally:
        assert stop(sup) == 0, log.read_text()
    with psycopg.connect(fault_cluster.libpq_url()) as conn:  # the killed worker's row is left to go stale
        conn.execute("DELETE FROM procrastinate_workers")
