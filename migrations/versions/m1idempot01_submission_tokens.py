"""listings: one-time submission tokens, so a re-sent post is stored once

Revision ID: m1idempot01
Revises: l1listver01
Create Date: 2026-12-03 10:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "m1idempot01"
down_revision = "l1listver01"
branch_labels = None
depends_on = None

TABLES = ("help_requests", "help_offers")


def upgrade():
    # Nullable: existing rows and posts from a form without a token have none.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("submission_token", sa.String(length=64), nullable=True))
            batch_op.create_unique_constraint(
                batch_op.f(f"uq_{table}_submission_token"), ["submission_token"]
            )


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"uq_{table}_submission_token"), type_="unique")
            batch_op.drop_column("submission_token")
