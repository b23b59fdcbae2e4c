"""AIS positions: geometry and time indexes per week instead of on the parent

The unique key stays the parent's. SP-GiST on geom and BRIN on ts become each live week's own
(vessels/ais/partitions.py creates them with the week), so that `mh ais maintain` can drop them
from a week it has rewritten in spatial order and clustered on a GiST: there the SP-GiST is
redundant, and BRIN on ts, whose ranges then span the whole week, made the planner AND a lossy
bitmap of every row into area queries (docs/performance.md). Weeks clustered already keep
their GiST; the others get the live indexes here.

Revision ID: 0013
Revises: 0012
"""
from alembic import op
from sqlalchemy import text

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

WEEKS = """
SELECT c.relname, EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisclustered)
FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
WHERE h.inhparent = 'ais_position'::regclass ORDER BY c.relname
"""


def live_indexes(name: str) -> list[str]:
    # As vessels.ais.partitions.live_indexes at this revision (frozen here, as migrations are).
    return [f"CREATE INDEX IF NOT EXISTS {name}_geom_spgist ON {name} USING spgist (geom)",
            f"CREATE INDEX IF NOT EXISTS {name}_ts_brin ON {name} USING brin (ts)"]


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_ais_position_geom")
    op.execute("DROP INDEX IF EXISTS ix_ais_position_ts_brin")
    for name, clustered in op.get_bind().execute(text(WEEKS)).fetchall():
        if not clustered:
            for sql in live_indexes(name):
                op.execute(sql)


def downgrade() -> None:
    for (name, _) in op.get_bind().execute(text(WEEKS)).fetchall():
        op.execute(f"DROP INDEX IF EXISTS {name}_geom_spgist, {name}_ts_brin")
    op.execute("CREATE INDEX ix_ais_position_geom ON ais_position USING spgist (geom)")
    op.execute("CREATE INDEX ix_ais_position_ts_brin ON ais_position USING brin (ts)")
