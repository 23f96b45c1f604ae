"""initiatives.listings_version: bumped with every change Dichtbij shows; covering
indexes for Dichtbij's candidate queries

Revision ID: l1listver01
Revises: k1outreach01
Create Date: 2026-12-02 20:25:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'l1listver01'
down_revision = 'k1outreach01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('listings_version', sa.BigInteger(), server_default='0', nullable=False)
        )
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index(
            'ix_help_requests_nearby', ['status', 'initiative_id', 'latitude'], unique=False,
            postgresql_include=['longitude', 'review_state', 'on_date', 'recurrence', 'category',
                                'created_at', 'requester_id', 'id'],
        )
    with op.batch_alter_table('help_offers', schema=None) as batch_op:
        batch_op.create_index(
            'ix_help_offers_nearby', ['status', 'initiative_id', 'latitude'], unique=False,
            postgresql_include=['longitude', 'review_state', 'paused_until', 'created_at',
                                'volunteer_id', 'id'],
        )


def downgrade():
    with op.batch_alter_table('help_offers', schema=None) as batch_op:
        batch_op.drop_index('ix_help_offers_nearby')
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_help_requests_nearby')
    with op.batch_alter_table('initiatives', schema=None) as batch_op:
        batch_op.drop_column('listings_version')
