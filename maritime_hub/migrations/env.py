"""Alembic environment wired to geoalchemy2's helpers (spatial types and indexes render correctly)."""

from __future__ import annotations

from alembic import context
from geoalchemy2 import alembic_helpers
from sqlalchemy import create_engine, pool

from maritime_hub.db.base import Base
from maritime_hub.db.cluster import database_url
from maritime_hub.db.registry import load_all_models

load_all_models()
config = context.config
target_metadata = Base.metadata
MIGRATION_LOCK = 0x6D685F6D69677261  # "mh_migra": one key for this project's schema upgrades


def _include_object(obj, name, type_, reflected, compare_to):
    # PostGIS and procrastinate own their tables; partitions are created at run time.
    if type_ == "table" and (
        name in ("spatial_ref_sys",) or (name or "").startswith(("procrastinate_", "ais_position_p"))
    ):
        return False
    return alembic_helpers.include_object(obj, name, type_, reflected, compare_to)


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or database_url()
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _run(conn)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include_object,
        process_revision_directives=alembic_helpers.writer,
        render_item=alembic_helpers.render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        # Several app containers start with `mh db migrate` at once: one migrates, the others wait
        # here and then find nothing left to do (the lock ends with the transaction).
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        context.run_migrations()


run_migrations()
