"""Shared bench plumbing: a fresh database in the embedded cluster (or MH_DATABASE_URL's server),
migrated, `mh` commands, `mh serve` as a separate process, and percentile helpers. Benchmarks print
ratios against baselines from the same run."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "ais"


def fresh_database(name: str) -> str:
    """Drop and create `name` next to the configured database; returns a libpq URL, migrated."""
    import psycopg
    from sqlalchemy.engine import make_url

    from maritime_hub.db.cluster import database_url, default_cluster
    from maritime_hub.db.migrate import upgrade

    if not os.environ.get("MH_DATABASE_URL"):
        default_cluster().up()
    base = make_url(database_url())
    admin = (
        base.set(database="postgres").render_as_string(hide_password=False).replace("postgresql+psycopg", "postgresql")
    )
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return url.replace("postgresql+psycopg", "postgresql")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def summary_line(**figures) -> str:
    return " ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in figures.items())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_mh(*args: str, env: dict) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "maritime_hub.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    if out.returncode:
        raise SystemExit(f"mh {' '.join(args)} failed: {out.stderr[-2000:]}")
    return out.stdout


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "maritime_hub.cli", "serve", "--port", str(port), "--workers", str(workers)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"mh serve exited: {proc.stderr.read()[-2000:] if proc.stderr else ''}") from None
            time.sleep(0.2)
    raise SystemExit("mh serve did not start in 60 s")
