"""The matcher's search table: one row per active, visible offer and category, kept by the ORM.

A row repeats what the ranking reads of an offer, keyed by (category, grid cell, offer),
so that one category's offers near a point are a few range scans of one index that holds
every column needed: a WITHOUT ROWID table on SQLite, an index with INCLUDE columns on
PostgreSQL. Nothing else reads this table and nothing writes it but this module: after
every flush that touched an offer or its categories, that offer's rows are rewritten
from help_offers (INSERT ... SELECT), so they equal the committed offer whatever
changed it through the ORM. Bulk loads that bypass the ORM call `rebuild()`.
"""

from collections.abc import Iterable
from datetime import date

from sqlalchemy import ForeignKey, Index, String, delete, event, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from buurthulp.enum_column import enum_column
from buurthulp.extensions import db
from buurthulp.listings.models import Category, HelpOffer, HelpOfferCategory, OfferStatus
from buurthulp.moderation.models import VISIBLE_STATES

# What the ranking reads of an offer besides its id, in the order of a search row.
RANKING_COLUMNS = (
    "volunteer_id",
    "latitude",
    "longitude",
    "availability",
    "max_distance_km",
    "has_car",
    "paused_until",
    "weekly_cap",
    "languages",
)
COPIED = ("initiative_id", *RANKING_COLUMNS)


class OfferSearchRow(db.Model):
    __tablename__ = "offer_search"

    category: Mapped[Category] = mapped_column(enum_column(Category), primary_key=True)
    grid_cell: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(
        ForeignKey("help_offers.id", ondelete="CASCADE"), primary_key=True
    )
    initiative_id: Mapped[int]
    volunteer_id: Mapped[int] = mapped_column(index=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    availability: Mapped[int]
    max_distance_km: Mapped[float]
    has_car: Mapped[bool]
    paused_until: Mapped[date | None]
    weekly_cap: Mapped[int]
    languages: Mapped[str] = mapped_column(String(40))

    __table_args__ = (
        Index(
            "ix_offer_search_covering",
            "category",
            "grid_cell",
            postgresql_include=["offer_id", *COPIED],
        ),
        {"sqlite_with_rowid": False},
    )


def _source(offer_ids: Iterable[int] | None):
    offers, categories = HelpOffer.__table__, HelpOfferCategory.__table__
    query = (
        select(
            categories.c.category,
            offers.c.grid_cell,
            offers.c.id,
            *(offers.c[name] for name in COPIED),
        )
        .join(offers, offers.c.id == categories.c.offer_id)
        .where(
            offers.c.status == OfferStatus.ACTIVE.value,
            # Waiting for approval or hidden after reports: not offered to anyone meanwhile.
            offers.c.review_state.in_([state.value for state in VISIBLE_STATES]),
        )
    )
    if offer_ids is not None:
        query = query.where(offers.c.id.in_(list(offer_ids)))
    return query


def _write(connection, offer_ids: Iterable[int] | None) -> None:
    table = OfferSearchRow.__table__
    columns = ["category", "grid_cell", "offer_id", *COPIED]
    clear = delete(table)
    if offer_ids is not None:
        clear = clear.where(table.c.offer_id.in_(list(offer_ids)))
    connection.execute(clear)
    connection.execute(insert(table).from_select(columns, _source(offer_ids)))


def rebuild() -> None:
    """Rewrite the whole table from help_offers (after a bulk load; not committed)."""
    _write(db.session.connection(), None)


def _touched_offer_ids(session: Session) -> set[int]:
    ids = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, HelpOffer) and obj.id is not None:
            ids.add(obj.id)
        elif isinstance(obj, HelpOfferCategory) and obj.offer_id is not None:
            ids.add(obj.offer_id)
    return ids


@event.listens_for(Session, "after_flush")
def _refresh_touched_offers(session: Session, flush_context) -> None:
    # session.new/dirty/deleted still hold what this flush wrote; their ids are assigned now.
    ids = _touched_offer_ids(session)
    if ids:
        _write(session.connection(), sorted(ids))
