"""foundation

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 05:50:49.113521
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


AUDIT_GUARD = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_event is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table('audit_event',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_user_id', sa.Integer(), nullable=True),
    sa.Column('actor_username', sa.String(length=80), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('object_type', sa.String(length=60), nullable=False),
    sa.Column('object_id', sa.String(length=80), nullable=True),
    sa.Column('before', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('after', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('request_id', sa.String(length=64), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('hash', name=op.f('uq_audit_event_hash'))
    )
    op.create_index(op.f('ix_audit_event_at'), 'audit_event', ['at'], unique=False)
    op.create_index('ix_audit_event_object', 'audit_event', ['object_type', 'object_id'], unique=False)
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt'))
    )
    op.create_index('ix_login_attempt_client_at', 'login_attempt', ['client', 'at'], unique=False)
    op.create_index('ix_login_attempt_username_at', 'login_attempt', ['username', 'at'], unique=False)
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('kind', sa.Enum('mediation_committee', 'mediation_centre', 'fishery_bureau', 'maritime_court', 'company', 'manning_agency', 'other', name='org_kind', native_enum=False, length=40), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=True),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('legal_representative', sa.String(length=100), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['organisation.id'], name=op.f('fk_organisation_parent_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('name', name=op.f('uq_organisation_name'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_latin', sa.String(length=120), nullable=True),
    sa.Column('sex', sa.Enum('male', 'female', 'other', name='sex', native_enum=False, length=30), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('nationality', sa.String(length=2), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('address', sa.Text(), nullable=True),
    sa.Column('emergency_contact_name', sa.String(length=120), nullable=True),
    sa.Column('emergency_contact_phone', sa.String(length=40), nullable=True),
    sa.Column('emergency_contact_relation', sa.String(length=40), nullable=True),
    sa.Column('family_address', sa.Text(), nullable=True),
    sa.Column('languages', sa.ARRAY(sa.String(length=8)), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    op.create_index('ix_person_name_latin_trgm', 'person', ['name_latin'], unique=False, postgresql_using='gin', postgresql_ops={'name_latin': 'gin_trgm_ops'})
    op.create_index('ix_person_name_trgm', 'person', ['name'], unique=False, postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.create_table('app_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('roles', sa.ARRAY(sa.String(length=32)), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_app_user_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_user')),
    sa.UniqueConstraint('username', name=op.f('uq_app_user_username'))
    )
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('cert_type', sa.Enum('fisher_general', 'fisher_officer', 'medical', 'safety_training', 'other', name='certificate_type', native_enum=False, length=30), nullable=False),
    sa.Column('number', sa.String(length=60), nullable=True),
    sa.Column('issuer', sa.String(length=120), nullable=True),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_certificate_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate'))
    )
    op.create_index(op.f('ix_certificate_expiry_date'), 'certificate', ['expiry_date'], unique=False)
    op.create_index(op.f('ix_certificate_person_id'), 'certificate', ['person_id'], unique=False)
    op.create_table('identity_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('doc_type', sa.Enum('resident_id', 'passport', 'seafarer_passport', 'seafarer_id', name='document_type', native_enum=False, length=30), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('issuing_country', sa.String(length=2), nullable=False),
    sa.Column('issue_date', sa.Date(), nullable=True),
    sa.Column('expiry_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_identity_document_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_document')),
    sa.UniqueConstraint('doc_type', 'issuing_country', 'number', name='uq_identity_document_number')
    )
    op.create_index(op.f('ix_identity_document_number'), 'identity_document', ['number'], unique=False)
    op.create_index(op.f('ix_identity_document_person_id'), 'identity_document', ['person_id'], unique=False)
    op.create_table('vessel',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=120), nullable=True),
    sa.Column('name_en', sa.String(length=120), nullable=True),
    sa.Column('mmsi', sa.String(length=9), nullable=True),
    sa.Column('imo', sa.String(length=7), nullable=True),
    sa.Column('call_sign', sa.String(length=10), nullable=True),
    sa.Column('flag_state', sa.String(length=2), nullable=False),
    sa.Column('port_of_registry', sa.String(length=80), nullable=True),
    sa.Column('registration_number', sa.String(length=60), nullable=True),
    sa.Column('fishing_licence_number', sa.String(length=60), nullable=True),
    sa.Column('vessel_type', sa.Enum('trawler', 'purse_seiner', 'longliner', 'squid_jigger', 'gillnetter', 'carrier_reefer', 'support_vessel', 'other', name='vessel_type', native_enum=False, length=30), nullable=False),
    sa.Column('distant_water', sa.Boolean(), nullable=False),
    sa.Column('length_overall_m', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('gross_tonnage', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('engine_power_kw', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('build_year', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=True),
    sa.Column('approved_crew_size', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('active', 'laid_up', 'scrapped', name='vessel_status', native_enum=False, length=30), nullable=False),
    sa.Column('registered', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('ais_name', sa.String(length=40), nullable=True),
    sa.Column('ais_call_sign', sa.String(length=10), nullable=True),
    sa.Column('ais_imo', sa.String(length=10), nullable=True),
    sa.Column('ais_ship_type', sa.Integer(), nullable=True),
    sa.Column('ais_to_bow', sa.Integer(), nullable=True),
    sa.Column('ais_to_stern', sa.Integer(), nullable=True),
    sa.Column('ais_to_port', sa.Integer(), nullable=True),
    sa.Column('ais_to_starboard', sa.Integer(), nullable=True),
    sa.Column('ais_draught', sa.Numeric(precision=5, scale=1), nullable=True),
    sa.Column('ais_destination', sa.String(length=40), nullable=True),
    sa.Column('ais_last_seen', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['operator_id'], ['organisation.id'], name=op.f('fk_vessel_operator_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['organisation.id'], name=op.f('fk_vessel_owner_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vessel'))
    )
    op.create_index('ix_vessel_call_sign', 'vessel', ['call_sign'], unique=False)
    op.create_index('ix_vessel_mmsi', 'vessel', ['mmsi'], unique=False)
    op.create_index('ix_vessel_name_en_trgm', 'vessel', ['name_en'], unique=False, postgresql_using='gin', postgresql_ops={'name_en': 'gin_trgm_ops'})
    op.create_index('ix_vessel_name_zh_trgm', 'vessel', ['name_zh'], unique=False, postgresql_using='gin', postgresql_ops={'name_zh': 'gin_trgm_ops'})
    op.create_index(op.f('ix_vessel_owner_id'), 'vessel', ['owner_id'], unique=False)
    op.create_index('uq_vessel_imo_active', 'vessel', ['imo'], unique=True, postgresql_where=sa.text("status = 'active' AND imo IS NOT NULL"))
    op.create_index('uq_vessel_mmsi_active', 'vessel', ['mmsi'], unique=True, postgresql_where=sa.text("status = 'active'"))
    op.create_table('api_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('token_sha256', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_api_token_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_token')),
    sa.UniqueConstraint('token_sha256', name=op.f('uq_api_token_token_sha256'))
    )
    op.create_index(op.f('ix_api_token_user_id'), 'api_token', ['user_id'], unique=False)
    op.create_table('boarding',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('vessel_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=60), nullable=True),
    sa.Column('embark_date', sa.Date(), nullable=False),
    sa.Column('embark_port', sa.String(length=80), nullable=True),
    sa.Column('disembark_date', sa.Date(), nullable=True),
    sa.Column('disembark_port', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_boarding_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vessel_id'], ['vessel.id'], name=op.f('fk_boarding_vessel_id_vessel'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_boarding'))
    )
    op.create_index(op.f('ix_boarding_person_id'), 'boarding', ['person_id'], unique=False)
    op.create_index('ix_boarding_vessel_dates', 'boarding', ['vessel_id', 'embark_date', 'disembark_date'], unique=False)
    op.create_table('web_session',
    sa.Column('id_sha256', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_web_session_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id_sha256', name=op.f('pk_web_session'))
    )
    op.create_index(op.f('ix_web_session_user_id'), 'web_session', ['user_id'], unique=False)
    op.create_table('work_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=True),
    sa.Column('vessel_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.String(length=60), nullable=True),
    sa.Column('wage_amount', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('wage_currency', sa.String(length=3), nullable=False),
    sa.Column('wage_period', sa.Enum('month', 'voyage', 'year', 'day', 'share', name='wage_period', native_enum=False, length=30), nullable=False),
    sa.Column('share_percent', sa.Numeric(precision=5, scale=2), nullable=True),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('copy_on_board', sa.Boolean(), nullable=False),
    sa.Column('signed_at_place', sa.String(length=120), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('file_name', sa.String(length=200), nullable=True),
    sa.Column('file_size', sa.Integer(), nullable=True),
    sa.Column('file_content_type', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['employer_id'], ['organisation.id'], name=op.f('fk_work_agreement_employer_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_work_agreement_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vessel_id'], ['vessel.id'], name=op.f('fk_work_agreement_vessel_id_vessel'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_agreement'))
    )
    op.create_index(op.f('ix_work_agreement_person_id'), 'work_agreement', ['person_id'], unique=False)
    op.create_index(op.f('ix_work_agreement_vessel_id'), 'work_agreement', ['vessel_id'], unique=False)
    op.execute(AUDIT_GUARD)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_update ON audit_event")
    op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
    op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    op.drop_index(op.f('ix_work_agreement_vessel_id'), table_name='work_agreement')
    op.drop_index(op.f('ix_work_agreement_person_id'), table_name='work_agreement')
    op.drop_table('work_agreement')
    op.drop_index(op.f('ix_web_session_user_id'), table_name='web_session')
    op.drop_table('web_session')
    op.drop_index('ix_boarding_vessel_dates', table_name='boarding')
    op.drop_index(op.f('ix_boarding_person_id'), table_name='boarding')
    op.drop_table('boarding')
    op.drop_index(op.f('ix_api_token_user_id'), table_name='api_token')
    op.drop_table('api_token')
    op.drop_index('uq_vessel_mmsi_active', table_name='vessel', postgresql_where=sa.text("status = 'active'"))
    op.drop_index('uq_vessel_imo_active', table_name='vessel', postgresql_where=sa.text("status = 'active' AND imo IS NOT NULL"))
    op.drop_index(op.f('ix_vessel_owner_id'), table_name='vessel')
    op.drop_index('ix_vessel_name_zh_trgm', table_name='vessel', postgresql_using='gin', postgresql_ops={'name_zh': 'gin_trgm_ops'})
    op.drop_index('ix_vessel_name_en_trgm', table_name='vessel', postgresql_using='gin', postgresql_ops={'name_en': 'gin_trgm_ops'})
    op.drop_index('ix_vessel_mmsi', table_name='vessel')
    op.drop_index('ix_vessel_call_sign', table_name='vessel')
    op.drop_table('vessel')
    op.drop_index(op.f('ix_identity_document_person_id'), table_name='identity_document')
    op.drop_index(op.f('ix_identity_document_number'), table_name='identity_document')
    op.drop_table('identity_document')
    op.drop_index(op.f('ix_certificate_person_id'), table_name='certificate')
    op.drop_index(op.f('ix_certificate_expiry_date'), table_name='certificate')
    op.drop_table('certificate')
    op.drop_table('app_user')
    op.drop_index('ix_person_name_trgm', table_name='person', postgresql_using='gin', postgresql_ops={'name': 'gin_trgm_ops'})
    op.drop_index('ix_person_name_latin_trgm', table_name='person', postgresql_using='gin', postgresql_ops={'name_latin': 'gin_trgm_ops'})
    op.drop_table('person')
    op.drop_table('organisation')
    op.drop_index('ix_login_attempt_username_at', table_name='login_attempt')
    op.drop_index('ix_login_attempt_client_at', table_name='login_attempt')
    op.drop_table('login_attempt')
    op.drop_index('ix_audit_event_object', table_name='audit_event')
    op.drop_index(op.f('ix_audit_event_at'), table_name='audit_event')
    op.drop_table('audit_event')
