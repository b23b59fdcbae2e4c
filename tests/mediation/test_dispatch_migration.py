"""Migrations 0005 and 0010 create exactly what mediation/dispatch/models.py declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from maritime_hub.db.base import Base
from maritime_hub.db.registry import load_all_models

TABLES = {"mediator_profile", "mediator_rating", "mediator_conflict", "dispatch_attempt", "mediator_choice"}


def _table(diff) -> str | None:
    op = diff[0] if isinstance(diff, list) else diff
    for item in op[1:]:
        name = getattr(item, "name", None) if not isinstance(item, str) else None
        table = getattr(item, "table", None)
        if table is not None and getattr(table, "name", None):
            return table.name
        if name in TABLES:
            return name
        if isinstance(item, str) and item in TABLES:
            return item
    return None


def test_models_match_migration(db):
    load_all_models()
    diffs = compare_metadata(MigrationContext.configure(db.connection()), Base.metadata)
    mine = [d for d in diffs if _table(d) in TABLES]
    assert mine == []
