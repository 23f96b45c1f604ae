"""activities and sign-ups

Revision ID: j1activity01
Revises: h8monitor002
Create Date: 2026-12-02 16:29:40.312622

"""
from alembic import op
import sqlalchemy as sa
import buurthulp.db_types


# revision identifiers, used by Alembic.
revision = 'j1activity01'
down_revision = 'h8monitor002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('meal_club', 'games', 'language_cafe', 'coffee_morning', 'walking_group', 'day_activities', 'other', name='activitykind', native_enum=False, length=32), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('venue_name', sa.String(length=120), nullable=False),
    sa.Column('venue_street', sa.String(length=160), nullable=False),
    sa.Column('venue_postcode', sa.String(length=6), nullable=False),
    sa.Column('place', sa.String(length=80), nullable=False),
    sa.Column('latitude', sa.Double(), nullable=False),
    sa.Column('longitude', sa.Double(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=True),
    sa.Column('weekly', sa.Boolean(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('cost_cents', sa.Integer(), nullable=False),
    sa.Column('wheelchair_accessible', sa.Boolean(), nullable=False),
    sa.Column('hearing_loop', sa.Boolean(), nullable=False),
    sa.Column('accessibility_notes', sa.String(length=300), nullable=False),
    sa.Column('transport_available', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'cancelled', name='activitystatus', native_enum=False, length=32), nullable=False),
    sa.Column('review_state', sa.Enum('approved', 'unreviewed', 'pending', 'rejected', 'hidden', 'removed', name='reviewstate', native_enum=False, length=32), nullable=False),
    sa.Column('rejection_reason', sa.String(length=500), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', buurthulp.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', buurthulp.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signup_version', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_activities_capacity_positive')),
    sa.CheckConstraint('cost_cents >= 0', name=op.f('ck_activities_cost_not_negative')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_activities_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_activities_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activities'))
    )
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.create_index('ix_activities_initiative_id_starts_on', ['initiative_id', 'starts_on'], unique=False)

    op.create_table('activity_settings',
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('residents_may_propose', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiatives.id'], name=op.f('fk_activity_settings_initiative_id_initiatives'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('initiative_id', name=op.f('pk_activity_settings'))
    )
    op.create_table('activity_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('occurs_on', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('proxy_resident_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('confirmed', 'waiting', 'cancelled', name='signupstatus', native_enum=False, length=32), nullable=False),
    sa.Column('signed_up_at', buurthulp.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signed_up_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', buurthulp.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('lift_request_id', sa.Integer(), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('reminded_at', buurthulp.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint('(user_id IS NULL) <> (proxy_resident_id IS NULL)', name=op.f('ck_activity_signups_one_participant')),
    sa.ForeignKeyConstraint(['activity_id'], ['activities.id'], name=op.f('fk_activity_signups_activity_id_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lift_request_id'], ['help_requests.id'], name=op.f('fk_activity_signups_lift_request_id_help_requests'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proxy_resident_id'], ['proxy_residents.id'], name=op.f('fk_activity_signups_proxy_resident_id_proxy_residents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signed_up_by_id'], ['users.id'], name=op.f('fk_activity_signups_signed_up_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_activity_signups_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_signups')),
    sa.UniqueConstraint('activity_id', 'occurs_on', 'proxy_resident_id', name='uq_activity_signups_date_proxy'),
    sa.UniqueConstraint('activity_id', 'occurs_on', 'user_id', name='uq_activity_signups_date_user')
    )
    with op.batch_alter_table('activity_signups', schema=None) as batch_op:
        batch_op.create_index('ix_activity_signups_activity_id_occurs_on', ['activity_id', 'occurs_on', 'status'], unique=False)
        batch_op.create_index('ix_activity_signups_user_id', ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('activity_signups', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_signups_user_id')
        batch_op.drop_index('ix_activity_signups_activity_id_occurs_on')

    op.drop_table('activity_signups')
    op.drop_table('activity_settings')
    with op.batch_alter_table('activities', schema=None) as batch_op:
        batch_op.drop_index('ix_activities_initiative_id_starts_on')

    op.drop_table('activities')
