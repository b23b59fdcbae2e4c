"""agreement obligations, payments and follow-up visits (mediation/followup)

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=30)


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def _money() -> sa.Column:
    return sa.Column("amount", sa.Numeric(14, 2), nullable=False)


def upgrade() -> None:
    op.create_table(
        "agreement_obligation",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("obligor_party_id", sa.Integer(), nullable=False),
        sa.Column("obligee_party_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        _money(),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(400), nullable=True),
        sa.Column("payee_account", sa.String(200), nullable=True),
        sa.Column("method", sa.String(200), nullable=True),
        sa.Column("source", sa.String(20), nullable=False),
        _ts("waived_at"),
        sa.Column("waiver_reason", sa.Text(), nullable=True),
        _ts("superseded_at"),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        _ts("created_at", False),
        _fk("case_id", "agreement_obligation", "mediation_case", "CASCADE"),
        _fk("obligor_party_id", "agreement_obligation", "case_party", "RESTRICT"),
        _fk("obligee_party_id", "agreement_obligation", "case_party", "RESTRICT"),
        _fk("created_by_id", "agreement_obligation", "app_user", "SET NULL"),
        sa.CheckConstraint("amount > 0", name="ck_agreement_obligation_amount_positive"),
    )
    op.create_index("ix_agreement_obligation_case_id", "agreement_obligation", ["case_id"])

    op.create_table(
        "obligation_instalment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        _money(),
        sa.Column("due_on", sa.Date(), nullable=False),
        _fk("obligation_id", "obligation_instalment", "agreement_obligation", "CASCADE"),
        sa.UniqueConstraint("obligation_id", "seq", name="uq_obligation_instalment_obligation_seq"),
        sa.CheckConstraint("amount > 0", name="ck_obligation_instalment_amount_positive"),
    )
    op.create_index("ix_obligation_instalment_obligation_id", "obligation_instalment", ["obligation_id"])

    op.create_table(
        "obligation_payment",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        _money(),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("method", _enum("bank_transfer", "cash", "wechat", "alipay", "cheque", "other", name="payment_method"),
                  nullable=False),
        sa.Column("proof_evidence_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        _ts("created_at", False),
        _fk("obligation_id", "obligation_payment", "agreement_obligation", "CASCADE"),
        _fk("proof_evidence_id", "obligation_payment", "case_evidence", "RESTRICT"),
        _fk("recorded_by_id", "obligation_payment", "app_user", "SET NULL"),
        sa.CheckConstraint("amount > 0", name="ck_obligation_payment_amount_positive"),
    )
    op.create_index("ix_obligation_payment_obligation_id", "obligation_payment", ["obligation_id"])

    op.create_table(
        "followup_visit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        _ts("visited_at", False),
        sa.Column("channel", _enum("phone", "video", "on_board", "in_person", name="visit_channel"), nullable=False),
        sa.Column("visitor_name", sa.String(120), nullable=False),
        sa.Column("visitor_user_id", sa.Integer(), nullable=True),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("satisfaction", sa.Integer(), nullable=True),
        sa.Column("performing", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        _ts("created_at", False),
        _fk("case_id", "followup_visit", "mediation_case", "CASCADE"),
        _fk("visitor_user_id", "followup_visit", "app_user", "SET NULL"),
        _fk("party_id", "followup_visit", "case_party", "SET NULL"),
        _fk("recorded_by_id", "followup_visit", "app_user", "SET NULL"),
        sa.CheckConstraint("satisfaction BETWEEN 1 AND 5", name="ck_followup_visit_satisfaction_range"),
    )
    op.create_index("ix_followup_visit_case_id", "followup_visit", ["case_id"])


def downgrade() -> None:
    for table in ("followup_visit", "obligation_payment", "obligation_instalment", "agreement_obligation"):
        op.drop_table(table)
