"""monitor: activities held, participants and unique participants in the roll-ups

Revision ID: j2agenda0001
Revises: j1activity01
Create Date: 2026-12-02 17:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "j2agenda0001"
down_revision = "j1activity01"
branch_labels = None
depends_on = None

ADDITIVE = ("activities_held", "activity_participants")


def upgrade():
    # Existing rows count 0 until the next `flask monitor rebuild` (docs/monitor.md).
    for table in ("monitor_daily", "monitor_periods"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in ADDITIVE:
                batch_op.add_column(
                    sa.Column(name, sa.Integer(), nullable=False, server_default="0")
                )
    with op.batch_alter_table("monitor_periods", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unique_participants", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("monitor_periods", schema=None) as batch_op:
        batch_op.drop_column("unique_participants")
    for table in ("monitor_daily", "monitor_periods"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for name in ADDITIVE:
                batch_op.drop_column(name)
