"""The search table always equals the active offers it is derived from."""

import random
from datetime import timedelta

import pytest
from sqlalchemy import select

from buurthulp.accounts import services as account_services
from buurthulp.extensions import db
from buurthulp.listings import services
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import Category, HelpOffer, HelpOfferCategory, OfferStatus
from buurthulp.matching import offer_search
from buurthulp.matching.offer_search import OfferSearchRow
from buurthulp.moderation.models import VISIBLE_STATES, ReviewState
from tests.listings.test_services import offer_fields

COLUMNS = ("category", "grid_cell", "offer_id", *offer_search.COPIED)


def _table() -> set[tuple]:
    db.session.expire_all()
    table = OfferSearchRow.__table__
    return {tuple(r) for r in db.session.execute(select(*(table.c[n] for n in COLUMNS)))}


@pytest.fixture
def initiative(make):
    return make.initiative()


def _derived() -> set[tuple]:
    return {tuple(r) for r in db.session.execute(offer_search._source(None))}


def test_service_changes_are_mirrored(ctx, make, initiative):
    volunteer = make.user(initiative=initiative, password="Geheim-wachtwoord-9")
    offer = services.help_offer_create(
        volunteer=volunteer, initiative_id=initiative.id, fields=offer_fields()
    )
    rows = _table()
    assert {(r[0], r[2]) for r in rows} == {
        (Category.GROCERIES, offer.id),
        (Category.GARDEN, offer.id),
    }
    assert rows == _derived()

    offer = db.session.get(HelpOffer, offer.id)
    services.help_offer_update(
        offer=offer,
        editor=volunteer,
        fields=offer_fields(
            categories=(Category.MEAL,),
            availability=0b1,
            paused_until=local_today() + timedelta(days=5),
        ),
    )
    rows = _table()
    assert [(r[0], r[COLUMNS.index("availability")]) for r in rows] == [(Category.MEAL, 1)]
    assert rows == _derived()

    services.help_offer_withdraw(offer=db.session.get(HelpOffer, offer.id), editor=volunteer)
    assert _table() == set()

    again = services.help_offer_create(
        volunteer=volunteer, initiative_id=initiative.id, fields=offer_fields()
    )
    assert {r[2] for r in _table()} == {again.id}
    account_services.user_delete(user=volunteer, password="Geheim-wachtwoord-9")
    assert _table() == set()


def test_random_orm_changes_keep_the_table_equal(ctx, make, initiative):
    rng = random.Random(11)
    volunteers = [make.user(initiative=initiative) for _ in range(4)]
    offers = [
        make.help_offer(volunteer=v, initiative=initiative, categories=(Category.GARDEN,))
        for v in volunteers
    ]
    ids = [o.id for o in offers]
    for _ in range(60):
        offer = db.session.get(HelpOffer, rng.choice(ids))
        action = rng.randrange(6)
        if action == 0:
            offer.availability = rng.randrange(1, 1 << 21)
        elif action == 1:
            offer.status = rng.choice(list(OfferStatus))
        elif action == 2:
            present = {c.category for c in offer.categories}
            missing = [c for c in Category if c not in present]
            db.session.add(HelpOfferCategory(offer_id=offer.id, category=rng.choice(missing)))
        elif action == 3 and len(offer.categories) > 1:
            offer.categories.remove(rng.choice(offer.categories))
        elif action == 4:
            offer.has_car, offer.weekly_cap = not offer.has_car, rng.randint(1, 5)
        else:
            offer.paused_until = local_today() + timedelta(days=rng.randrange(-3, 4))
        db.session.commit()
        assert _table() == _derived()
    assert any(r for r in _table())


@pytest.mark.parametrize("state", [s for s in ReviewState if s not in VISIBLE_STATES])
def test_offers_out_of_sight_of_moderation_are_not_searched(ctx, make, initiative, state):
    volunteer = make.user(initiative=initiative)
    offer = make.help_offer(volunteer=volunteer, initiative=initiative)
    assert {r[2] for r in _table()} == {offer.id}
    offer = db.session.get(HelpOffer, offer.id)
    offer.review_state = state
    db.session.commit()
    assert _table() == set() == _derived()
    offer.review_state = ReviewState.APPROVED
    db.session.commit()
    assert {r[2] for r in _table()} == {offer.id}
