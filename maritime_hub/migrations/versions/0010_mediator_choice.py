"""A party's choice of mediator from the roster (ODR Rules 12), beside the coordinator's 派单

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mediator_choice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("mediation_case.id", ondelete="CASCADE",
                                                         name="fk_mediator_choice_case_id_mediation_case"), nullable=False),
        sa.Column("case_party_id", sa.Integer(), sa.ForeignKey("case_party.id", ondelete="CASCADE",
                                                               name="fk_mediator_choice_case_party_id_case_party"), nullable=False),
        sa.Column("mediator_user_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="RESTRICT",
                                                                  name="fk_mediator_choice_mediator_user_id_app_user"), nullable=False),
        sa.Column("chosen_by_id", sa.Integer(), sa.ForeignKey("app_user.id", ondelete="SET NULL",
                                                              name="fk_mediator_choice_chosen_by_id_app_user")),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mediator_choice"),
        sa.UniqueConstraint("case_party_id", name="uq_mediator_choice_case_party_id"),
    )
    op.create_index("ix_mediator_choice_case_id", "mediator_choice", ["case_id"])


def downgrade() -> None:
    op.drop_table("mediator_choice")
