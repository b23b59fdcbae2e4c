"""The embedded PostgreSQL + PostGIS cluster in ``var/pg`` (recipe: shared/spec/database.md).

initdb and pg_ctl refuse to run as root, so when we are root the server runs as the
``postgres`` system user. The server listens on a unix socket only (mode 0700): no TCP
port to collide with and no other local user gets in.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from maritime_hub.config import get_settings
from maritime_hub.errors import ClusterError

PG_VERSION = "15"
DEFAULT_DB = "maritime_hub"
# The kernel limits unix socket paths to 108 bytes, including "/.s.PGSQL.5432".
MAX_SOCKET_DIR = 93


def pg_bin() -> Path:
    env = os.environ.get("MH_PG_BIN")
    if env:
        return Path(env)
    return Path(f"/usr/lib/postgresql/{PG_VERSION}/bin")


def memory_settings(ram: int | None = None) -> str:
    """Server memory by the machine's RAM, as PostgreSQL's documentation advises: shared_buffers a
    quarter of it (at least the stock 128 MB, at most 4 GB), effective_cache_size a half (a hint
    to the planner, nothing allocated). The stock 128 MB holds a few days of positions of a busy
    area; with it, 10M positions' indexes were read from disk on most queries (performance.md).
    Shared memory is only touched as it fills, so a small database costs no more."""
    if ram is None:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    mb = ram // (1 << 20)
    shared = min(max(mb // 4, 128), 4096)
    return f" -c shared_buffers={shared}MB -c effective_cache_size={max(mb // 2, shared)}MB"


@dataclass
class Cluster:
    root: Path
    dbname: str = DEFAULT_DB
    fsync: bool = True

    def __post_init__(self) -> None:
        # Binaries run with cwd=/ (runuser needs it), so every path must be absolute.
        self.root = Path(self.root).resolve()

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def run(self) -> Path:
        return self.root / "run"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, dbname: str | None = None, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://postgres@/{dbname or self.dbname}?host={self.run}"

    def libpq_url(self, dbname: str | None = None) -> str:
        """A URL psql accepts (libpq does not know '+psycopg')."""
        return self.url(dbname, driver="postgresql")

    # -- process helpers -------------------------------------------------
    def _as_owner(self) -> dict:
        """subprocess kwargs to run a PostgreSQL binary as a non-root user."""
        if os.geteuid() != 0:
            return {"cwd": "/"}
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError as exc:  # pragma: no cover - depends on the machine
            raise ClusterError("running as root needs the 'postgres' system user (apt install postgresql-15)") from exc
        return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": [], "cwd": "/"}

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        exe = pg_bin() / args[0]
        if not exe.exists():
            raise ClusterError(f"{exe} not found: install PostgreSQL {PG_VERSION} (make setup does)")
        res = subprocess.run([str(exe), *args[1:]], capture_output=True, text=True, check=False, **self._as_owner())
        if check and res.returncode != 0:
            raise ClusterError(f"{args[0]} failed: {(res.stderr or res.stdout).strip()}")
        return res

    def _check_paths(self) -> None:
        if len(str(self.run)) > MAX_SOCKET_DIR:
            raise ClusterError(
                f"socket folder path is {len(str(self.run))} bytes, over PostgreSQL's limit of {MAX_SOCKET_DIR}: "
                f"move the project to a shorter path or set MH_VAR_DIR"
            )
        if os.geteuid() == 0:
            # The postgres user must traverse every parent folder.
            for parent in [self.root, *self.root.parents]:
                if (
                    parent.exists()
                    and not (parent.stat().st_mode & 0o001)
                    and parent.stat().st_uid != pwd.getpwnam("postgres").pw_uid
                ):
                    raise ClusterError(
                        f"the postgres system user cannot enter {parent} (mode {oct(parent.stat().st_mode & 0o777)}); "
                        f"chmod o+x it or set MH_VAR_DIR to a folder it can reach"
                    )

    def _prepare_dirs(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.run.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            for d in (self.root, self.run):
                os.chown(d, pw.pw_uid, pw.pw_gid)
            if self.data.exists():
                os.chown(self.data, pw.pw_uid, pw.pw_gid)

    # -- lifecycle ---------------------------------------------------------
    def initialised(self) -> bool:
        return (self.data / "PG_VERSION").exists()

    def running(self) -> bool:
        if not self.initialised():
            return False
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def up(self) -> bool:
        """Start the cluster (initialising it first if needed). Returns True if it was started now."""
        self._check_paths()
        self._prepare_dirs()
        if not self.initialised():
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            )
        if self.running() and self._ready():
            self.ensure_database()
            return False
        opts = f"-p 5432 -k {self.run} -c listen_addresses='' -c unix_socket_permissions=0700 -c max_connections=200"
        opts += memory_settings()
        if not self.fsync:
            opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        res = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60", "-o", opts, "start", check=False
        )
        if res.returncode != 0 and not self._ready():
            tail = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise ClusterError(f"PostgreSQL did not start: {res.stderr.strip()}\n{tail}")
        self._wait_ready()
        self.ensure_database()
        return True

    def down(self) -> bool:
        if not self.running():
            return False
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        return True

    def _ready(self) -> bool:
        import psycopg

        try:
            with psycopg.connect(self.libpq_url("postgres"), connect_timeout=3):
                return True
        except psycopg.Error:
            return False

    def _wait_ready(self, timeout: float = 30) -> None:
        # After a crash pg_ctl status can briefly lie: readiness is a successful connection.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._ready():
                return
            time.sleep(0.1)
        raise ClusterError(f"PostgreSQL in {self.root} is not accepting connections")

    def ensure_database(self, dbname: str | None = None) -> None:
        import psycopg

        name = dbname or self.dbname
        with psycopg.connect(self.libpq_url("postgres"), autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')

    def recreate_database(self, dbname: str | None = None) -> None:
        """Drop the database (cutting its connections) and create it empty (`mh db restore --replace`)."""
        import psycopg

        name = dbname or self.dbname
        with psycopg.connect(self.libpq_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    def status(self) -> dict:
        return {
            "root": str(self.root),
            "initialised": self.initialised(),
            "running": self.running(),
            "url": self.libpq_url(),
        }


def default_cluster() -> Cluster:

    return Cluster(get_settings().pg_root)


def database_url() -> str:
    """The SQLAlchemy URL everything uses: MH_DATABASE_URL, else the embedded cluster."""

    s = get_settings()
    if s.database_url:
        url = s.database_url
        if url.startswith("postgresql://") or url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        return url
    return default_cluster().url()


def have_binaries() -> bool:
    return (pg_bin() / "initdb").exists() and shutil.which("runuser") is not None
