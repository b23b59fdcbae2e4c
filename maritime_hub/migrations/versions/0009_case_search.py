"""pg_trgm GIN indexes for the case board's text search (mediation/cases/board.py)

The board searches with ILIKE '%…%' on mediation_case.number, mediation_case.description,
case_party.name and case_party.agent_name. A btree cannot serve a leading wildcard; a trigram
GIN index (gin_trgm_ops) can, for LIKE and ILIKE alike. pg_trgm itself comes with 0001.

Revision ID: 0009
Revises: 0008
"""
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# (index name, table, column) — the same expressions as board._filtered's ILIKEs.
INDEXES = (
    ("ix_mediation_case_number_trgm", "mediation_case", "number"),
    ("ix_mediation_case_description_trgm", "mediation_case", "description"),
    ("ix_case_party_name_trgm", "case_party", "name"),
    ("ix_case_party_agent_name_trgm", "case_party", "agent_name"),
)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        op.create_index(name, table, [column], postgresql_using="gin",
                        postgresql_ops={column: "gin_trgm_ops"})


def downgrade() -> None:
    for name, table, _column in reversed(INDEXES):
        op.drop_index(name, table_name=table)
