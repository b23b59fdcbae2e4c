"""login_attempt: an index on lower(username), at

The login limit counts failures per account as `lower(username)` (an account is locked however
its name is typed, and accounts that signed in from an address are looked up the same way): up to
four lookups per login, each a scan of the table without this index.

Revision ID: 0014
Revises: 0013
"""
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_login_attempt_lower_username_at ON login_attempt (lower(username), at)")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_login_attempt_lower_username_at")
