"""`mh db backup FILE` / `mh db restore FILE`: the database and the file store in one tar.

The tar holds ``manifest.json``, ``database.dump`` (pg_dump's custom format) and ``files/``
(the content-addressed store, ``files/ab/ab12...``). The dump is taken first, then the files:
stored files are never changed or removed, so every hash the dump refers to is in the tar (a file
uploaded during the backup may be there too, unreferenced and harmless).

Restoring loads the dump with pg_restore into an empty database (the embedded cluster's is
dropped and created again when ``replace`` is given) and puts back every file whose content still
matches its name."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from maritime_hub.db.cluster import pg_bin
from maritime_hub.errors import ClusterError, Conflict, ValidationFailed


class NotEmpty(Conflict):
    """409: a restore into a database that already holds data."""

    code = "database_not_empty"


FORMAT = 1
DUMP, MANIFEST, FILES = "database.dump", "manifest.json", "files"
STORED_NAME = re.compile(r"^files/([0-9a-f]{2})/(\1[0-9a-f]{62})$")


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _tool(name: str, *args: str) -> None:
    exe = pg_bin() / name
    if not exe.exists():
        raise ClusterError(f"{exe} not found: install PostgreSQL 15 (make setup does)")
    res = subprocess.run([str(exe), *args], capture_output=True, text=True, check=False)
    if res.returncode != 0:
        raise ClusterError(f"{name} failed: {(res.stderr or res.stdout).strip()[-2000:]}")


def backup(url: str, files_root: Path, dest: Path) -> dict:
    """Write the tar to ``dest`` (through a temporary file beside it: a failed backup leaves no
    half-written tar). Returns what it holds."""
    dest = Path(dest).resolve()
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".mh-backup-") as work:
        dump = Path(work) / DUMP
        _tool("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}", f"--dbname={libpq(url)}")
        stored = sorted(
            p
            for p in Path(files_root).glob("??/*")
            if p.is_file() and STORED_NAME.match(f"files/{p.parent.name}/{p.name}")
        )
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(),
            "files": len(stored),
            "files_bytes": sum(p.stat().st_size for p in stored),
        }
        (Path(work) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as tar:
            tar.add(Path(work) / MANIFEST, MANIFEST)
            tar.add(dump, DUMP)
            for p in stored:
                tar.add(p, f"{FILES}/{p.parent.name}/{p.name}")
        os.replace(partial, dest)
    return manifest | {"database_bytes": dest.stat().st_size - manifest["files_bytes"]}


def has_schema(url: str) -> bool:
    with psycopg.connect(libpq(url)) as conn:
        return conn.execute("SELECT to_regclass('public.alembic_version') IS NOT NULL").fetchone()[0]


def restore(src: Path, url: str, files_root: Path, *, recreate=None) -> dict:
    """Load the tar ``src`` into the database at ``url`` and the store at ``files_root``.
    ``recreate()``, when given, empties the database first (the embedded cluster); otherwise the
    database must be empty (no schema yet)."""
    src = Path(src)
    if not src.is_file():
        raise ValidationFailed(f"no backup file at {src}", field="file")
    Path(files_root).mkdir(parents=True, exist_ok=True)
    with (
        tarfile.open(src, "r") as tar,
        tempfile.TemporaryDirectory(prefix=".mh-restore-", dir=Path(files_root).parent) as work,
    ):
        names = tar.getnames()
        if MANIFEST not in names or DUMP not in names:
            raise ValidationFailed(f"{src} is not a maritime-hub backup (no {MANIFEST} and {DUMP})", field="file")
        manifest = json.load(tar.extractfile(MANIFEST))  # type: ignore[arg-type]
        if manifest.get("format") != FORMAT:
            raise ValidationFailed(f"backup format {manifest.get('format')} is not {FORMAT}", field="file")
        if recreate is not None:
            recreate()
        elif has_schema(url):
            raise NotEmpty(
                "the database is not empty: restore into a new database, or into the embedded cluster with --replace"
            )
        dump = Path(work) / DUMP
        with tar.extractfile(DUMP) as f, open(dump, "wb") as out:  # type: ignore[union-attr]
            shutil.copyfileobj(f, out)
        _tool(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={libpq(url)}",
            str(dump),
        )
        restored, skipped = 0, []
        for member in tar.getmembers():
            m = STORED_NAME.match(member.name)
            if not member.isfile() or not m:
                continue
            if not _put(tar, member, Path(files_root) / m.group(1) / m.group(2), m.group(2)):
                skipped.append(m.group(2))
            restored += 1
    return {"files": restored - len(skipped), "files_damaged": skipped, "created_at": manifest.get("created_at")}


def _put(tar: tarfile.TarFile, member: tarfile.TarInfo, dest: Path, sha: str) -> bool:
    """Copy one stored file out of the tar, checking its hash on the way; False if it does not match."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".restore-")
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, tar.extractfile(member) as f:  # type: ignore[union-attr]
            while chunk := f.read(1 << 16):
                h.update(chunk)
                out.write(chunk)
        if h.hexdigest() != sha:
            return False
        os.replace(tmp, dest)
        return True
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
