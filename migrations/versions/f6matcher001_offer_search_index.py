"""matcher speed: the offer_search table, filled from the active offers

Revision ID: f6matcher001
Revises: 2b199ecd407c
Create Date: 2026-11-23 14:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "f6matcher001"
down_revision = "2b199ecd407c"
branch_labels = None
depends_on = None

COPIED = [
    "initiative_id",
    "volunteer_id",
    "latitude",
    "longitude",
    "availability",
    "max_distance_km",
    "has_car",
    "paused_until",
    "weekly_cap",
    "languages",
]


def upgrade():
    op.create_table(
        "offer_search",
        sa.Column(
            "category",
            sa.Enum(
                "groceries",
                "dog_walking",
                "transport",
                "odd_jobs",
                "garden",
                "company",
                "paperwork",
                "computer_help",
                "meal",
                "other",
                name="category",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("grid_cell", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("initiative_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("latitude", sa.Double(), nullable=False),
        sa.Column("longitude", sa.Double(), nullable=False),
        sa.Column("availability", sa.Integer(), nullable=False),
        sa.Column("max_distance_km", sa.Double(), nullable=False),
        sa.Column("has_car", sa.Boolean(), nullable=False),
        sa.Column("paused_until", sa.Date(), nullable=True),
        sa.Column("weekly_cap", sa.Integer(), nullable=False),
        sa.Column("languages", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["help_offers.id"],
            name=op.f("fk_offer_search_offer_id_help_offers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("category", "grid_cell", "offer_id", name=op.f("pk_offer_search")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_offer_search_covering",
        "offer_search",
        ["category", "grid_cell"],
        unique=False,
        postgresql_include=["offer_id", *COPIED],
    )
    op.create_index(op.f("ix_offer_search_volunteer_id"), "offer_search", ["volunteer_id"])
    op.execute(_fill_from_active_offers())


def _fill_from_active_offers():
    """INSERT INTO offer_search SELECT ... FROM help_offer_categories JOIN active help_offers."""
    offers = sa.table(
        "help_offers",
        *(sa.column(name) for name in ["id", "grid_cell", "status", *COPIED]),
    )
    categories = sa.table("help_offer_categories", sa.column("category"), sa.column("offer_id"))
    search = sa.table(
        "offer_search",
        *(sa.column(name) for name in ["category", "grid_cell", "offer_id", *COPIED]),
    )
    rows = (
        sa.select(
            categories.c.category,
            offers.c.grid_cell,
            offers.c.id,
            *(offers.c[name] for name in COPIED),
        )
        .select_from(categories.join(offers, offers.c.id == categories.c.offer_id))
        .where(offers.c.status == sa.literal_column("'active'"))
    )
    return search.insert().from_select(["category", "grid_cell", "offer_id", *COPIED], rows)


def downgrade():
    op.drop_index(op.f("ix_offer_search_volunteer_id"), table_name="offer_search")
    op.drop_index("ix_offer_search_covering", table_name="offer_search")
    op.drop_table("offer_search")
