"""Shared bench plumbing: a fresh database in the embedded cluster (or MH_DATABASE_URL's server),
migrated, and percentile helpers. Benchmarks print ratios against baselines from the same run."""

from __future__ import annotations

import os
import sys
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
