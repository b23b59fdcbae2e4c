"""dispute cases: case, number counter, parties and contacts, vessels, crew, evidence, panel, timeline

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _enum(*values: str, name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=30)


STATES = ("REGISTERED", "TRIAGED", "PLANNED", "DISPATCHING", "ACCEPTED", "INVESTIGATING", "MEDIATING", "AGREED",
          "TERMINATED", "CONFIRM_APPLIED", "UNDER_REVIEW", "NOT_ACCEPTED", "CONFIRMED", "REJECTED", "WITHDRAWN",
          "FOLLOW_UP", "ENFORCEMENT", "REFERRED_LITIGATION", "REFERRED_ARBITRATION", "CLOSED", "REFUSED")


def _ts(name: str, nullable: bool = True, default: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable,
                     server_default=sa.text("now()") if default else None)


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=f"fk_{table}_{column}_{target}", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "case_number_counter",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("organisation_id", "year", name="pk_case_number_counter"),
        _fk("organisation_id", "case_number_counter", "organisation", "RESTRICT"),
    )
    t = "mediation_case"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(80), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("state", _enum(*STATES, name="case_state"), nullable=False),
        _ts("state_entered_at", nullable=False),
        sa.Column("dispute_type", _enum("wage_dispute", "crew_service_contract", "personal_injury_at_sea", "collision",
                                        "gear_damage", "fishing_ground_conflict", "fishery_contract", "other",
                                        name="dispute_type"), nullable=False),
        _ts("incident_at", nullable=False),
        sa.Column("incident_position", Geometry("POINT", srid=4326, spatial_index=False), nullable=True),
        sa.Column("sea_area", sa.String(120)),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("amount_claimed", sa.Numeric(14, 2)),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("intake_channel", _enum("window", "online_form", "court_referral", name="intake_channel"), nullable=False),
        sa.Column("filer_kind", _enum("party", "relative", "captain", name="filer_kind")),
        sa.Column("filer_name", sa.String(120)),
        sa.Column("filer_phone", sa.String(40)),
        sa.Column("referral_kind", _enum("pre_filing_referral", "post_filing_referral", name="referral_kind")),
        sa.Column("referring_court_id", sa.Integer()),
        sa.Column("court_case_number", sa.String(80)),
        sa.Column("court_procedure", _enum("ordinary", "summary", name="court_procedure")),
        sa.Column("created_by_id", sa.Integer()),
        sa.Column("grade", _enum("general", "complex", "major", name="case_grade")),
        sa.Column("crew_claim_basis", _enum("boarding", "on_board_service", "repatriation", "other_labour",
                                            name="crew_claim_basis")),
        sa.Column("claim_arose_on", sa.Date()),
        sa.Column("foreign_element", sa.Boolean()),
        sa.Column("foreign_reasons", postgresql.JSONB()),
        sa.Column("route", _enum("maritime_court", "labour_arbitration", name="case_route")),
        sa.Column("route_basis", sa.String(200)),
        _ts("triaged_at"),
        sa.Column("assigned_mediator_id", sa.Integer()),
        _ts("dispatched_at"),
        _ts("accepted_at"),
        sa.Column("agreement_effective_on", sa.Date()),
        sa.Column("agreement_terms", sa.Text()),
        sa.Column("failure_reason", sa.Text()),
        sa.Column("cost_raising_conduct", sa.Text()),
        sa.Column("undisputed_facts", sa.Text()),
        sa.Column("court_notes", sa.Text()),
        _ts("terminated_at"),
        sa.Column("confirmation_court_id", sa.Integer()),
        sa.Column("confirmation_applied_on", sa.Date()),
        sa.Column("confirmation_oral", sa.Boolean()),
        sa.Column("confirmation_docket_number", sa.String(80)),
        sa.Column("court_accepted_on", sa.Date()),
        sa.Column("ruling_outcome", _enum("valid", "dismissed", "not_accepted", name="ruling_outcome")),
        sa.Column("ruling_number", sa.String(80)),
        sa.Column("ruled_on", sa.Date()),
        sa.Column("ruling_grounds", postgresql.ARRAY(sa.String(40))),
        sa.Column("ruling_reason", sa.Text()),
        sa.Column("refused_party_id", sa.Integer()),
        sa.Column("refusal_reason", sa.Text()),
        sa.Column("litigation_court_id", sa.Integer()),
        sa.Column("arbitration_body", sa.String(200)),
        sa.Column("referral_record", postgresql.JSONB()),
        _ts("referred_at"),
        sa.Column("enforcement_filed_on", sa.Date()),
        _ts("closed_at"),
        _ts("created_at", nullable=False, default=True),
        _ts("updated_at", nullable=False, default=True),
        sa.PrimaryKeyConstraint("id", name="pk_mediation_case"),
        sa.UniqueConstraint("number", name="uq_mediation_case_number"),
        sa.UniqueConstraint("organisation_id", "year", "seq", name="uq_mediation_case_org_year_seq"),
        _fk("organisation_id", t, "organisation", "RESTRICT"),
        _fk("referring_court_id", t, "organisation", "RESTRICT"),
        _fk("created_by_id", t, "app_user", "SET NULL"),
        _fk("assigned_mediator_id", t, "app_user", "RESTRICT"),
        _fk("confirmation_court_id", t, "organisation", "RESTRICT"),
        _fk("litigation_court_id", t, "organisation", "RESTRICT"),
    )
    for col in ("organisation_id", "referring_court_id", "assigned_mediator_id", "confirmation_court_id",
                "litigation_court_id", "state", "incident_at"):
        op.create_index(f"ix_{t}_{col}", t, [col])
    op.create_index("ix_mediation_case_incident_position", t, ["incident_position"], postgresql_using="gist")

    t = "case_party"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("side", _enum("applicant", "respondent", name="party_side"), nullable=False),
        sa.Column("kind", _enum("person", "organisation", "new_person", name="party_kind"), nullable=False),
        sa.Column("person_id", sa.Integer()),
        sa.Column("organisation_id", sa.Integer()),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("nationality", sa.String(2)),
        sa.Column("id_number", sa.String(40)),
        sa.Column("agent_name", sa.String(120)),
        sa.Column("agent_authority", _enum("general", "special", name="agent_authority")),
        sa.Column("agent_phone", sa.String(40)),
        sa.Column("user_id", sa.Integer()),
        _ts("created_at", nullable=False, default=True),
        _ts("updated_at", nullable=False, default=True),
        sa.PrimaryKeyConstraint("id", name="pk_case_party"),
        _fk("case_id", t, "mediation_case", "CASCADE"),
        _fk("person_id", t, "person", "RESTRICT"),
        _fk("organisation_id", t, "organisation", "RESTRICT"),
        _fk("user_id", t, "app_user", "SET NULL"),
    )
    for col in ("case_id", "person_id", "organisation_id", "user_id"):
        op.create_index(f"ix_{t}_{col}", t, [col])

    t = "case_contact"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("phone", "email", "address", "wechat", "relative", "at_sea_on_vessel",
                                name="contact_kind"), nullable=False),
        sa.Column("value", sa.String(400)),
        sa.Column("vessel_id", sa.Integer()),
        sa.Column("note", sa.String(400)),
        sa.PrimaryKeyConstraint("id", name="pk_case_contact"),
        _fk("party_id", t, "case_party", "CASCADE"),
        _fk("vessel_id", t, "vessel", "RESTRICT"),
    )
    op.create_index("ix_case_contact_party_id", t, ["party_id"])

    t = "case_vessel"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("vessel_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(120)),
        sa.PrimaryKeyConstraint("id", name="pk_case_vessel"),
        sa.UniqueConstraint("case_id", "vessel_id", name="uq_case_vessel_case_vessel"),
        _fk("case_id", t, "mediation_case", "CASCADE"),
        _fk("vessel_id", t, "vessel", "RESTRICT"),
    )
    op.create_index("ix_case_vessel_case_id", t, ["case_id"])
    op.create_index("ix_case_vessel_vessel_id", t, ["vessel_id"])

    t = "case_crew"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("boarding_id", sa.Integer()),
        sa.Column("role", sa.String(120)),
        sa.PrimaryKeyConstraint("id", name="pk_case_crew"),
        sa.UniqueConstraint("case_id", "person_id", name="uq_case_crew_case_person"),
        _fk("case_id", t, "mediation_case", "CASCADE"),
        _fk("person_id", t, "person", "RESTRICT"),
        _fk("boarding_id", t, "boarding", "RESTRICT"),
    )
    op.create_index("ix_case_crew_case_id", t, ["case_id"])
    op.create_index("ix_case_crew_person_id", t, ["person_id"])

    t = "case_evidence"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("file", "ais", name="evidence_kind"), nullable=False),
        sa.Column("file_sha256", sa.String(64)),
        sa.Column("file_name", sa.String(200)),
        sa.Column("file_size", sa.Integer()),
        sa.Column("file_content_type", sa.String(100)),
        sa.Column("ais_evidence_id", sa.Integer()),
        sa.Column("description", sa.Text()),
        sa.Column("party_id", sa.Integer()),
        sa.Column("added_by_id", sa.Integer()),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_evidence"),
        _fk("case_id", t, "mediation_case", "CASCADE"),
        _fk("ais_evidence_id", t, "ais_evidence", "RESTRICT"),
        _fk("party_id", t, "case_party", "SET NULL"),
        _fk("added_by_id", t, "app_user", "SET NULL"),
    )
    op.create_index("ix_case_evidence_case_id", t, ["case_id"])

    t = "case_member"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("role", _enum("judge", "chief_mediator", "legal_aid_lawyer", "department", "expert", "mediator",
                                name="member_role"), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("user_id", sa.Integer()),
        sa.Column("organisation_id", sa.Integer()),
        _ts("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_member"),
        _fk("case_id", t, "mediation_case", "CASCADE"),
        _fk("user_id", t, "app_user", "SET NULL"),
        _fk("organisation_id", t, "organisation", "RESTRICT"),
    )
    op.create_index("ix_case_member_case_id", t, ["case_id"])
    op.create_index("ix_case_member_user_id", t, ["user_id"])

    t = "case_timeline"
    op.create_table(
        t,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("from_state", _enum(*STATES, name="case_state")),
        sa.Column("to_state", _enum(*STATES, name="case_state"), nullable=False),
        _ts("at", nullable=False),
        sa.Column("actor_user_id", sa.Integer()),
        sa.Column("actor_name", sa.String(120)),
        sa.Column("payload", postgresql.JSONB()),
        sa.PrimaryKeyConstraint("id", name="pk_case_timeline"),
        _fk("case_id", t, "mediation_case", "CASCADE"),
    )
    op.create_index("ix_case_timeline_case_id", t, ["case_id"])
    # The timeline is the case's history: rows are appended, never changed (reject_change() is 0003's).
    op.execute("CREATE TRIGGER case_timeline_frozen BEFORE UPDATE OR DELETE ON case_timeline "
               "FOR EACH ROW EXECUTE FUNCTION reject_change()")


def downgrade() -> None:
    op.execute("DROP TRIGGER case_timeline_frozen ON case_timeline")
    for table in ("case_timeline", "case_member", "case_evidence", "case_crew", "case_vessel", "case_contact",
                  "case_party", "mediation_case", "case_number_counter"):
        op.drop_table(table)
