"""The listings version of an initiative: raised with every change Dichtbij could show.

Dichtbij keeps its ranked results per process (nearby_cache), keyed by the viewer's
initiatives and the sum of their `listings_version`. The session events below raise the
version of each touched initiative in the same transaction as the change, just before its
COMMIT, so whoever reads the new version also sees the change, and nothing is cached under
a version that is older than its data. What counts as a change:

- a request or offer inserted, deleted, or updated in a column other than the matcher's
  bookkeeping (`BOOKKEEPING`); an offer's categories;
- the name of a person whose name a card shows (a user or a phone-intake resident);
- a bulk UPDATE or DELETE of requests or offers: the initiatives its WHERE matches are read
  first (one indexed query; the statements here all pick rows by id).

A person deleted raises every initiative's version (rare; their memberships are gone by the
time the flush is over, so there is nothing left to narrow it down with).
"""

from sqlalchemy import event, func, inspect, select, update
from sqlalchemy.orm import Session

from buurthulp.accounts import viewer_facts
from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative, Membership
from buurthulp.listings.models import HelpOffer, HelpOfferCategory, HelpRequest
from buurthulp.residents.models import ProxyResident

_TOUCHED = "listings_touched"  # session.info: {"initiatives": set, "offers": set, "all": bool}
EVERYONE = "all"

# Columns the matcher and the scheduler change on every round; Dichtbij shows none of them.
BOOKKEEPING = {
    HelpRequest: {"match_round", "last_invited_at", "radius_km", "needs_attention", "updated_at"},
    HelpOffer: {"updated_at", "grid_cell"},
}
# Execution options of a bulk UPDATE that sets BOOKKEEPING columns only (the matcher's
# first-round claim): nothing Dichtbij shows changes, so no version is raised.
_BOOKKEEPING_ONLY = "listings_bookkeeping_only"
BOOKKEEPING_ONLY = {_BOOKKEEPING_ONLY: True}
NAMES = ("first_name", "last_name")  # what public_name is made of
LISTING_TABLES = {HelpRequest.__tablename__, HelpOffer.__tablename__}
SHOWN_TABLES = {User.__tablename__, HelpOfferCategory.__tablename__, ProxyResident.__tablename__}


def _touched(session: Session) -> dict:
    return session.info.setdefault(_TOUCHED, {"initiatives": set(), "offers": set()})


def _changed(obj, names) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in names if name in attrs)


def _shown_columns(model) -> list[str]:
    keys = [attr.key for attr in inspect(model).column_attrs]
    return [key for key in keys if key not in BOOKKEEPING.get(model, ())]


@event.listens_for(Session, "after_flush")
def _record_flush(session: Session, _context) -> None:
    touched = None
    for obj in (*session.new, *session.dirty, *session.deleted):
        kind = type(obj)
        if kind in (HelpRequest, HelpOffer):
            if obj in session.dirty and not _changed(obj, _shown_columns(kind)):
                continue
            touched = touched or _touched(session)
            touched["initiatives"].add(obj.initiative_id)
        elif kind is HelpOfferCategory:
            touched = touched or _touched(session)
            touched["offers"].add(obj.offer_id)
        elif kind is ProxyResident and (obj not in session.dirty or _changed(obj, NAMES)):
            touched = touched or _touched(session)
            touched["initiatives"].add(obj.initiative_id)
        elif kind is User and obj not in session.new:
            if obj in session.deleted:
                _touched(session)[EVERYONE] = True
            elif _changed(obj, NAMES):
                touched = touched or _touched(session)
                touched["initiatives"].update(m.initiative_id for m in obj.memberships)


@event.listens_for(Session, "do_orm_execute")
def _record_bulk(state) -> None:
    if not (state.is_update or state.is_delete):
        return
    if state.execution_options.get(_BOOKKEEPING_ONLY):
        return
    table = state.statement.table  # for update(Model): an annotated copy of the table
    if table.name in LISTING_TABLES:
        where = state.statement.whereclause
        query = select(table.c.initiative_id).distinct()
        if where is not None:
            query = query.where(where)
        found = state.session.execute(query).scalars()
        _touched(state.session)["initiatives"].update(found)
    elif table.name in SHOWN_TABLES:
        _touched(state.session)[EVERYONE] = True


@event.listens_for(Session, "before_commit")
def _raise_versions(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit's own flush comes after this event
    touched = session.info.pop(_TOUCHED, None)
    if not touched:
        return
    ids = set(touched["initiatives"])
    if touched["offers"] and not touched.get(EVERYONE):
        offers = select(HelpOffer.initiative_id).where(HelpOffer.id.in_(touched["offers"]))
        ids.update(session.execute(offers).scalars())
    query = update(Initiative).values(listings_version=Initiative.listings_version + 1)
    if not touched.get(EVERYONE):
        ids.discard(None)
        if not ids:
            return
        query = query.where(Initiative.id.in_(sorted(ids)))  # sorted: a fixed lock order
    session.execute(query.execution_options(synchronize_session=False))


@event.listens_for(Session, "after_rollback")
@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, *_args) -> None:
    session.info.pop(_TOUCHED, None)


def _stamp_of_viewer():
    return (
        select(func.coalesce(func.sum(Initiative.listings_version), 0))
        .join(Membership, Membership.initiative_id == Initiative.id)
        .where(Membership.user_id == User.id)
        .scalar_subquery()
    )


viewer_facts.register("listings_stamp", _stamp_of_viewer)


def listings_stamp(user_id: int, initiative_ids: list[int]) -> int:
    """The sum of the versions of the viewer's initiatives: it rises with every change
    Dichtbij could show them. Read with the login (viewer_facts) when it can be."""

    def read() -> int:
        query = select(func.coalesce(func.sum(Initiative.listings_version), 0)).where(
            Initiative.id.in_(initiative_ids)
        )
        return int(db.session.execute(query).scalar_one())

    return viewer_facts.fact(user_id, "listings_stamp", read, int)
