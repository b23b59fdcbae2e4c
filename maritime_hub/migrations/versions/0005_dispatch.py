"""mediator dispatch: profiles, ratings, conflicts of interest, dispatch attempts

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=30)


def _ts(name: str, nullable: bool = True, default: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable,
                     server_default=sa.text("now()") if default else None)


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def _list(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.ARRAY(sa.String(length)), nullable=False)


def upgrade() -> None:
    op.create_table(
        "mediator_profile",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("sea_elder", "invited", "gold_medal", name="mediator_kind"), nullable=False),
        _list("languages", 8), _list("home_ports", 80), _list("sea_areas", 120), _list("specialties", 40),
        sa.Column("available", sa.Boolean(), nullable=False),
        sa.Column("unavailable_until", sa.Date(), nullable=True),
        sa.Column("max_load", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        _ts("created_at", False, True), _ts("updated_at", False, True),
        _fk("user_id", "mediator_profile", "app_user", "CASCADE"),
        _fk("organisation_id", "mediator_profile", "organisation", "RESTRICT"),
        sa.UniqueConstraint("user_id", name="uq_mediator_profile_user_id"),
    )
    op.create_index("ix_mediator_profile_organisation_id", "mediator_profile", ["organisation_id"])

    op.create_table(
        "mediator_rating",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("mediator_user_id", sa.Integer(), nullable=False),
        sa.Column("party_user_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        _ts("created_at", False),
        _fk("case_id", "mediator_rating", "mediation_case", "CASCADE"),
        _fk("mediator_user_id", "mediator_rating", "app_user", "CASCADE"),
        _fk("party_user_id", "mediator_rating", "app_user", "CASCADE"),
        sa.UniqueConstraint("case_id", "party_user_id", name="uq_mediator_rating_case_party_user"),
        sa.CheckConstraint("score BETWEEN 1 AND 5", name="ck_mediator_rating_score"),
    )
    op.create_index("ix_mediator_rating_case_id", "mediator_rating", ["case_id"])
    op.create_index("ix_mediator_rating_mediator_user_id", "mediator_rating", ["mediator_user_id"])

    op.create_table(
        "mediator_conflict",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("mediator_user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("relation", sa.String(200), nullable=False),
        _ts("created_at", False),
        _fk("mediator_user_id", "mediator_conflict", "app_user", "CASCADE"),
        _fk("organisation_id", "mediator_conflict", "organisation", "CASCADE"),
        _fk("person_id", "mediator_conflict", "person", "CASCADE"),
        sa.CheckConstraint("organisation_id IS NOT NULL OR person_id IS NOT NULL", name="ck_mediator_conflict_target"),
    )
    op.create_index("ix_mediator_conflict_mediator_user_id", "mediator_conflict", ["mediator_user_id"])

    op.create_table(
        "dispatch_attempt",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("mediator_user_id", sa.Integer(), nullable=False),
        _ts("assigned_at", False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        _ts("answered_at"),
        sa.Column("outcome", _enum("accepted", "declined", "timed_out", "reassigned", name="attempt_outcome"), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("needs_coordinator", sa.Boolean(), nullable=False),
        _fk("case_id", "dispatch_attempt", "mediation_case", "CASCADE"),
        _fk("mediator_user_id", "dispatch_attempt", "app_user", "RESTRICT"),
        _fk("assigned_by_id", "dispatch_attempt", "app_user", "SET NULL"),
    )
    op.create_index("ix_dispatch_attempt_case_id", "dispatch_attempt", ["case_id"])
    op.create_index("ix_dispatch_attempt_mediator_user_id", "dispatch_attempt", ["mediator_user_id"])
    # The open attempts the timeout sweep looks at.
    op.create_index("ix_dispatch_attempt_open", "dispatch_attempt", ["assigned_at"],
                    postgresql_where=sa.text("outcome IS NULL"))


def downgrade() -> None:
    for table in ("dispatch_attempt", "mediator_conflict", "mediator_rating", "mediator_profile"):
        op.drop_table(table)
