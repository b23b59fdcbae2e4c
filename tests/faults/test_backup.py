"""`mh db backup` / `mh db restore` into a fresh embedded cluster: every case, document hash and
audit event is back, `mh audit verify` and `mh files verify` pass; a damaged file is reported."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys

import psycopg
import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from tests.conftest import ROOT
from tests.faults.conftest import FAULT_ROOT

pytestmark = pytest.mark.faults


@pytest.fixture
def db(scratch_db):
    """Committed data (the factories use `db`): a backup is taken by another process."""
    engine = create_engine(scratch_db)
    session = Session(engine, expire_on_commit=False)
    yield session
    session.close()
    engine.dispose()


@pytest.fixture
def fresh_var():
    """A var folder with no cluster yet: `mh db restore` initialises one."""
    from maritime_hub.db.cluster import Cluster

    var = FAULT_ROOT / "restore"
    if var.exists():
        Cluster(var / "pg").down()
        shutil.rmtree(var)
    var.mkdir(parents=True)
    yield var
    Cluster(var / "pg").down()
    shutil.rmtree(var, ignore_errors=True)


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in ("MH_DATABASE_URL", "MH_FILES_DIR", "MH_VAR_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "maritime_hub.cli", *args],
        capture_output=True,
        text=True,
        env=base | env,
        cwd=ROOT,
        timeout=120,
    )


def snapshot(url: str) -> dict:
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        return {
            "cases": conn.execute("SELECT id, number, state FROM mediation_case ORDER BY id").fetchall(),
            "hashes": conn.execute(
                "SELECT id, file_sha256 FROM case_evidence WHERE file_sha256 IS NOT NULL ORDER BY id"
            ).fetchall(),
            "audit": conn.execute("SELECT id, action, hash FROM audit_event ORDER BY id").fetchall(),
        }


def test_backup_restores_into_a_fresh_cluster(
    db, scratch_db, make_case, make_mediation_org, monkeypatch, tmp_path, fresh_var
):
    from maritime_hub import files
    from maritime_hub.auth.service import Principal
    from mediation.cases.evidence import add_file

    src_files = tmp_path / "files"
    monkeypatch.setattr(files, "store_root", lambda: src_files)
    org = make_mediation_org()
    coordinator = Principal(
        user_id=None, username="coordinator", organisation_id=org.id, roles=frozenset({"coordinator"})
    )
    documents = {}
    for n in range(3):
        case = make_case(coordinator, description=f"拖欠工资 {n}")
        content = f"劳动合同 {n} ".encode() * 1000 + os.urandom(16)
        documents[hashlib.sha256(content).hexdigest()] = content
        add_file(db, coordinator, case.id, f"合同{n}.pdf", "application/pdf", io.BytesIO(content), "劳动合同")
    db.commit()
    before = snapshot(scratch_db)
    assert len(before["cases"]) == 3 and {h for _, h in before["hashes"]} == set(documents) and before["audit"]

    tar = tmp_path / "backup.tar"
    done = cli("db", "backup", str(tar), env={"MH_DATABASE_URL": scratch_db, "MH_FILES_DIR": str(src_files)})
    assert done.returncode == 0, done.stderr
    assert "3 files" in done.stdout

    env = {"MH_VAR_DIR": str(fresh_var)}  # the embedded cluster in a var folder that has none yet
    done = cli("db", "restore", str(tar), env=env)
    assert done.returncode == 0, done.stderr + done.stdout
    from maritime_hub.db.cluster import Cluster

    restored = Cluster(fresh_var / "pg").url()
    assert snapshot(restored) == before
    for sha, content in documents.items():
        assert (fresh_var / "files" / sha[:2] / sha).read_bytes() == content
    audit = cli("audit", "verify", env=env)
    assert audit.returncode == 0 and f"{len(before['audit'])} events" in audit.stdout, audit.stdout + audit.stderr
    assert cli("files", "verify", env=env).returncode == 0

    # Not over a database that has data, unless asked to replace it.
    again = cli("db", "restore", str(tar), env=env)
    assert again.returncode == 2 and "not empty" in again.stderr
    again = cli("db", "restore", str(tar), "--replace", env=env)
    assert again.returncode == 0, again.stderr
    assert snapshot(restored) == before

    # A file whose content changed on disk is reported, with a non-zero exit.
    damaged = sorted(documents)[1]
    with open(fresh_var / "files" / damaged[:2] / damaged, "r+b") as f:
        f.write(b"X")
    verify = cli("files", "verify", env=env)
    assert verify.returncode == 1
    assert damaged in verify.stderr and "1 of 3 files" in verify.stderr
    assert all(sha not in verify.stderr for sha in documents if sha != damaged)

    # A file a record names but the store no longer holds is reported too.
    lost = sorted(documents)[0]
    (fresh_var / "files" / lost[:2] / lost).unlink()
    verify = cli("files", "verify", env=env)
    assert verify.returncode == 1
    assert (
        "missing: " in verify.stderr
        and lost in verify.stderr
        and "1 of 3 files named by records are missing" in verify.stderr
    )
