"""AIS: weekly-partitioned positions, sources, ingest progress, quarantine

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ais_source",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("last_message_at", sa.DateTime(timezone=True)),
        sa.Column("messages", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("positions", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("quarantined", sa.BigInteger(), nullable=False, server_default="0"),
        sa.UniqueConstraint("name", name="uq_ais_source_name"),
    )
    op.create_table(
        "ais_ingest_progress",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("ais_source.id", ondelete="CASCADE", name="fk_ais_ingest_progress_source_id_ais_source"), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(400), nullable=False),
        sa.Column("chunk_start", sa.BigInteger(), nullable=False),
        sa.Column("chunk_end", sa.BigInteger(), nullable=False),
        sa.Column("committed_offset", sa.BigInteger(), nullable=False),
        sa.Column("committed_line", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.UniqueConstraint("source_id", "file_sha256", "chunk_start", name="uq_ais_progress_chunk"),
    )
    op.create_table(
        "ais_quarantine",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("source_id", sa.Integer(), sa.ForeignKey("ais_source.id", ondelete="CASCADE", name="fk_ais_quarantine_source_id_ais_source"), nullable=False),
        sa.Column("file_sha256", sa.String(64)),
        sa.Column("line_no", sa.Integer()),
        sa.Column("raw", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.UniqueConstraint("source_id", "file_sha256", "line_no", name="uq_ais_quarantine_line"),
    )
    op.create_index("ix_ais_quarantine_source_id", "ais_quarantine", ["source_id"])
    # Partitioned parent: indexes declared here are created on every partition.
    op.execute("""
        CREATE TABLE ais_position (
            mmsi integer NOT NULL,
            ts timestamptz NOT NULL,
            lon double precision NOT NULL,
            lat double precision NOT NULL,
            geom geometry(Point, 4326) NOT NULL,
            sog real,
            cog real,
            heading smallint,
            nav_status smallint,
            msg_type smallint NOT NULL,
            source_id integer NOT NULL
        ) PARTITION BY RANGE (ts)
    """)
    op.execute("CREATE UNIQUE INDEX uq_ais_position_key ON ais_position (mmsi, ts, lon, lat)")
    op.execute("CREATE INDEX ix_ais_position_geom ON ais_position USING gist (geom)")
    op.execute("CREATE INDEX ix_ais_position_ts_brin ON ais_position USING brin (ts)")


def downgrade() -> None:
    op.execute("DROP TABLE ais_position CASCADE")
    op.drop_table("ais_quarantine")
    op.drop_table("ais_ingest_progress")
    op.drop_table("ais_source")
