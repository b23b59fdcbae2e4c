"""The `mh` command line against real databases."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest

from tests.conftest import ROOT, copy_database, run_mh


def test_users_create_reads_the_password_from_stdin_and_validates(scratch_db):
    out = run_mh(
        "users",
        "create",
        "--username",
        "m1",
        "--role",
        "mediator",
        "--role",
        "coordinator",
        "--password-stdin",
        url=scratch_db,
        stdin="a-good-password\n",
    )
    assert out.returncode == 0, out.stderr
    assert "coordinator, mediator" in out.stdout
    bad = run_mh(
        "users",
        "create",
        "--username",
        "m2",
        "--role",
        "pirate",
        "--password-stdin",
        url=scratch_db,
        stdin="a-good-password\n",
    )
    assert bad.returncode == 2 and "roles" in bad.stderr
    dup = run_mh(
        "users",
        "create",
        "--username",
        "m1",
        "--role",
        "mediator",
        "--password-stdin",
        url=scratch_db,
        stdin="a-good-password\n",
    )
    assert dup.returncode == 2 and "already taken" in dup.stderr
    noorg = run_mh(
        "users",
        "create",
        "--username",
        "m3",
        "--role",
        "mediator",
        "--org",
        "不存在的组织",
        "--password-stdin",
        url=scratch_db,
        stdin="a-good-password\n",
    )
    assert noorg.returncode != 0 and "not found" in noorg.stderr


def test_token_from_cli_works_against_the_api(scratch_db):
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine

    from maritime_hub.app import create_app

    run_mh(
        "users",
        "create",
        "--username",
        "aud",
        "--role",
        "fishery_auditor",
        "--password-stdin",
        url=scratch_db,
        stdin="auditor-password\n",
    )
    token = run_mh("tokens", "create", "--username", "aud", url=scratch_db).stdout.strip()
    engine = create_engine(scratch_db)
    try:
        with TestClient(create_app(engine)) as c:
            assert c.get("/api/v1/vessels", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    finally:
        engine.dispose()
    missing = run_mh("tokens", "create", "--username", "nobody", url=scratch_db)
    assert missing.returncode == 2 and "not found" in missing.stderr


def test_demo_load_is_idempotent(cluster, demo_template):
    # The first load made the session's demo template (exit 0 checked there); load again on a copy.
    first = demo_template.load_output
    assert "crew created: 106" in first and "vessels: 25" in first
    url = copy_database(cluster, demo_template.name, "mh_demo_again")
    second = run_mh("demo", "load", url=url)
    assert second.returncode == 0, second.stderr
    assert "crew created: 0" in second.stdout and "users created: 0" in second.stdout
    assert "AIS positions stored: 0" in second.stdout and "AIS positions stored: 0" not in first
    assert run_mh("audit", "verify", url=url).returncode == 0


@pytest.mark.skipif(not Path("/usr/lib/postgresql/15/bin/initdb").exists(), reason="needs PostgreSQL 15 binaries")
def test_embedded_cluster_up_url_status_down(tmp_path_factory):
    # Under the project folder: the postgres system user must be able to enter it.
    var = ROOT / "var" / "test-cli"
    shutil.rmtree(var, ignore_errors=True)
    env = {**os.environ, "MH_VAR_DIR": str(var)}
    env.pop("MH_DATABASE_URL", None)
    mh = lambda *a: subprocess.run(
        [sys.executable, "-m", "maritime_hub.cli", *a], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )  # noqa: E731
    try:
        up = mh("db", "up")
        assert up.returncode == 0, up.stderr
        assert mh("db", "up").stdout.startswith("already running")
        url = mh("db", "url").stdout.strip()
        assert url.startswith("postgresql://") and str(var) in url
        psql = subprocess.run(["psql", url, "-Atc", "SELECT current_database()"], capture_output=True, text=True)
        assert psql.stdout.strip() == "maritime_hub", psql.stderr
        # Memory by the machine's RAM (cluster.memory_settings), not PostgreSQL's stock 128 MB.
        shared = subprocess.run(
            ["psql", url, "-Atc", "SELECT setting::bigint * 8 / 1024 FROM pg_settings WHERE name = 'shared_buffers'"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        from maritime_hub.db.cluster import memory_settings

        assert f"shared_buffers={shared}MB" in memory_settings()
        migrate = mh("db", "migrate")
        assert migrate.returncode == 0, migrate.stderr
        assert "running: True" in mh("db", "status").stdout
        assert mh("db", "down").stdout.strip() == "stopped"
        assert mh("db", "status").returncode == 3
    finally:
        mh("db", "down")
        shutil.rmtree(var, ignore_errors=True)


def test_memory_settings_follow_the_machine():
    from maritime_hub.db.cluster import memory_settings

    gb = 1 << 30
    assert memory_settings(24 * gb) == " -c shared_buffers=4096MB -c effective_cache_size=12288MB"
    assert memory_settings(2 * gb) == " -c shared_buffers=512MB -c effective_cache_size=1024MB"
    assert memory_settings(256 << 20) == " -c shared_buffers=128MB -c effective_cache_size=128MB"


def test_too_long_socket_path_is_refused_clearly():
    from maritime_hub.db.cluster import Cluster
    from maritime_hub.errors import ClusterError

    with pytest.raises(ClusterError, match="over PostgreSQL's limit"):
        Cluster(Path("/tmp") / ("x" * 120)).up()


def test_parallel_migrations_wait_for_each_other(cluster):
    """Replicas that start together each run `mh db migrate`: on an empty database, four at once
    all succeed and leave one schema at head (the advisory lock in migrations/env.py)."""
    from tests.conftest import drop_database

    with psycopg.connect(cluster.libpq_url("postgres"), autocommit=True) as conn:
        conn.execute('DROP DATABASE IF EXISTS "mh_parallel_migrate"')
        conn.execute('CREATE DATABASE "mh_parallel_migrate"')
    url = cluster.url("mh_parallel_migrate")
    try:
        env = {**os.environ, "MH_DATABASE_URL": url}
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "maritime_hub.cli", "db", "migrate"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        results = [(p.wait(180), p.stderr.read()) for p in procs]
        assert all(rc == 0 for rc, _ in results), [err[-2000:] for rc, err in results if rc]
        from maritime_hub.db.migrate import current_heads

        with psycopg.connect(cluster.libpq_url("mh_parallel_migrate")) as conn:
            assert [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")] == list(current_heads())
    finally:
        drop_database(cluster, "mh_parallel_migrate")


def test_the_demo_lets_a_coordinator_dispatch_out_of_the_box(cluster, demo_template):
    """A fresh `make run` used to block 选单与派单 ("尚无调解员档案"): the demo holds a profile for each
    of its mediators, and its planned case has candidates to dispatch to."""
    from fastapi.testclient import TestClient
    from sqlalchemy import create_engine, text

    from maritime_hub.app import create_app

    url = copy_database(cluster, demo_template.name, "mh_demo_dispatch")
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        token = re.search(r"mh_\S+", run_mh("tokens", "create", "--username", "coordinator", url=url).stdout).group(0)
        with engine.connect() as conn:
            planned = conn.execute(
                text("SELECT id FROM mediation_case WHERE state = 'PLANNED' ORDER BY id LIMIT 1")
            ).scalar()
        with TestClient(create_app(engine)) as client:
            headers = {"Authorization": f"Bearer {token}"}
            profiles = client.get("/api/v1/mediators", headers=headers).json()
            assert {p["name"].split()[0] for p in profiles} == {"王阿毛", "陈国平"}
            assert all(
                p["languages"] and p["home_ports"] and p["specialties"] and p["max_load"] > p["load"] for p in profiles
            )
            assert any(p["ratings"] for p in profiles)  # the demo's parties rated closed cases
            candidates = client.get(f"/api/v1/cases/{planned}/candidates", headers=headers).json()
            assert [c for c in candidates if not c["excluded"]], candidates
    finally:
        engine.dispose()
        from tests.conftest import drop_database

        drop_database(cluster, "mh_demo_dispatch")
