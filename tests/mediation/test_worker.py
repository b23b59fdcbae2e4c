"""The background worker: procrastinate's tables come with the migrations, and the dispatch
reassignment job runs through a real worker against a real database."""

from __future__ import annotations

import psycopg

from tests.conftest import run_mh


def test_worker_runs_the_reassignment_job(scratch_db):
    from maritime_hub.jobs.app import open_app

    libpq = scratch_db.replace("postgresql+psycopg://", "postgresql://")
    jobs = open_app(libpq, sync=True)
    with jobs.open():
        job_id = jobs.configure_task(name="mh:mediation.reassign_overdue_dispatches").defer(timestamp=1_790_000_000)
    done = run_mh("worker", "--once", url=scratch_db)
    assert done.returncode == 0, done.stderr
    with psycopg.connect(libpq) as conn:
        status = conn.execute("SELECT status FROM procrastinate_jobs WHERE id = %s", (job_id,)).fetchone()[0]
    assert status == "succeeded"
