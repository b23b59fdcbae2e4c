"""procrastinate's job tables (background jobs and schedules in PostgreSQL)

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from procrastinate.schema import SchemaManager

    # Straight to psycopg without parameters: the schema's text has '%' and ':' that a
    # parameter parser would misread.
    raw = op.get_bind().connection.driver_connection
    with raw.cursor() as cur:
        cur.execute(SchemaManager.get_schema())


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS procrastinate_events, procrastinate_periodic_defers, procrastinate_jobs, "
               "procrastinate_workers CASCADE")
