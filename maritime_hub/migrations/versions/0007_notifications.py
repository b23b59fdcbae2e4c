"""notifications, delivery records, the reminder/escalation ledger, and app_user.supervisor_id

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True, default: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable,
                     server_default=sa.text("now()") if default else None)


def upgrade() -> None:
    op.add_column("app_user", sa.Column("supervisor_id", sa.Integer(), nullable=True))
    op.create_foreign_key("fk_app_user_supervisor_id_app_user", "app_user", "app_user", ["supervisor_id"], ["id"],
                          ondelete="SET NULL")

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("locale", sa.String(10), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(300), nullable=True),
        _ts("created_at", False, True),
        _ts("read_at"),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name="fk_notification_user_id_app_user", ondelete="CASCADE"),
    )
    op.create_index("ix_notification_user_id", "notification", ["user_id"])
    op.create_index("ix_notification_case_id", "notification", ["case_id"])
    op.create_index("ix_notification_unread", "notification", ["user_id"], postgresql_where=sa.text("read_at IS NULL"))

    op.create_table(
        "notification_delivery",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("notification_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        _ts("created_at", False, True),
        sa.ForeignKeyConstraint(["notification_id"], ["notification.id"],
                                name="fk_notification_delivery_notification_id_notification", ondelete="CASCADE"),
    )
    op.create_index("ix_notification_delivery_notification_id", "notification_delivery", ["notification_id"])

    op.create_table(
        "case_alert",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("deadline_key", sa.String(40), nullable=False),
        sa.Column("kind", sa.Enum("reminder", "escalation", name="alert_kind", native_enum=False, length=20),
                  nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("recipients", sa.ARRAY(sa.Integer()), nullable=False),
        _ts("fired_at", False, True),
        sa.ForeignKeyConstraint(["case_id"], ["mediation_case.id"], name="fk_case_alert_case_id_mediation_case",
                                ondelete="CASCADE"),
        sa.UniqueConstraint("case_id", "deadline_key", "kind", "due", name="uq_case_alert_once"),
    )
    op.create_index("ix_case_alert_case_id", "case_alert", ["case_id"])


def downgrade() -> None:
    op.drop_table("case_alert")
    op.drop_table("notification_delivery")
    op.drop_table("notification")
    op.drop_constraint("fk_app_user_supervisor_id_app_user", "app_user", type_="foreignkey")
    op.drop_column("app_user", "supervisor_id")
