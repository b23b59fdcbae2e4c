"""AIS evidence snapshots, immutable

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ais_evidence",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("params", postgresql.JSONB(), nullable=False),
        sa.Column("result", postgresql.JSONB(), nullable=False),
        sa.Column("sources", postgresql.JSONB(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("svg", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("created_by", sa.Integer()),
        sa.UniqueConstraint("sha256", name="uq_ais_evidence_sha256"),
    )
    # Evidence is frozen: the same guard as the audit log.
    op.execute("""
        CREATE FUNCTION reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% is immutable: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
        END $$;
        CREATE TRIGGER ais_evidence_frozen BEFORE UPDATE OR DELETE ON ais_evidence FOR EACH ROW EXECUTE FUNCTION reject_change();
    """)


def downgrade() -> None:
    op.execute("DROP TRIGGER ais_evidence_frozen ON ais_evidence")
    op.execute("DROP FUNCTION reject_change()")
    op.drop_table("ais_evidence")
