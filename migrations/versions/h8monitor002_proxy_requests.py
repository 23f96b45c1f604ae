"""monitor: phone-intake (proxy) requests in the roll-ups

Revision ID: h8monitor002
Revises: e5monitor001
Create Date: 2026-11-23 15:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "h8monitor002"
down_revision = "e5monitor001"
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows count 0 until the next `flask monitor rebuild` (docs/monitor.md).
    for table in ("monitor_daily", "monitor_periods"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("proxy_requests", sa.Integer(), nullable=False, server_default="0")
            )


def downgrade():
    for table in ("monitor_daily", "monitor_periods"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("proxy_requests")
