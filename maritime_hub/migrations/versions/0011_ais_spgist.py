"""AIS positions: SP-GiST instead of GiST on geom for the live weeks (cheaper to insert into)

Measured per inserted row (docs/performance.md): GiST ~8.5 µs of server CPU, SP-GiST ~4 µs,
for the same `geom && box` queries. CLUSTER cannot use an SP-GiST index, so `mh ais maintain`
builds a local GiST on each closed week, clusters on it and keeps it for that week's reads.

Revision ID: 0011
Revises: 0010
"""
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Dropping the parent's index drops each partition's copy; the new one is built on all.
    op.execute("DROP INDEX IF EXISTS ix_ais_position_geom")
    op.execute("CREATE INDEX ix_ais_position_geom ON ais_position USING spgist (geom)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_ais_position_geom")
    op.execute("CREATE INDEX ix_ais_position_geom ON ais_position USING gist (geom)")
