"""Dichtbij's per-process cache (listings.nearby_cache) and the listings version that keys
it (listings.versions): a cached page is reused only while nothing it could show changed."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative
from buurthulp.listings import nearby_cache
from buurthulp.listings.models import (
    Category,
    HelpOffer,
    HelpOfferCategory,
    HelpRequest,
    RequestStatus,
)
from buurthulp.matching import services as matching
from buurthulp.moderation.models import ReviewState
from tests.sql_statements import statements


def version(initiative_id: int) -> int:
    db.session.expire_all()
    return db.session.execute(
        select(Initiative.listings_version).where(Initiative.id == initiative_id)
    ).scalar_one()


def page(client) -> str:
    reply = client.get("/dichtbij")
    assert reply.status_code == 200
    return reply.get_data(as_text=True)


# --- the version ---------------------------------------------------------------------------


def test_a_new_changed_or_deleted_listing_raises_its_initiatives_version(
    ctx, make, bert, initiative, other_initiative
):
    before, other = version(initiative.id), version(other_initiative.id)
    request = make.help_request(requester=bert, initiative=initiative)
    assert version(initiative.id) == before + 1
    request = db.session.get(HelpRequest, request.id)
    request.title = "Naar de huisarts"
    db.session.commit()
    assert version(initiative.id) == before + 2
    db.session.delete(db.session.get(HelpRequest, request.id))
    db.session.commit()
    assert version(initiative.id) == before + 3
    assert version(other_initiative.id) == other


def test_the_matchers_bookkeeping_and_logins_do_not_raise_it(ctx, make, bert, initiative):
    request = make.help_request(requester=bert, initiative=initiative)
    before = version(initiative.id)
    request = db.session.get(HelpRequest, request.id)
    request.match_round = 2
    request.last_invited_at = datetime.now(UTC)
    db.session.get(User, bert.id).last_login_at = datetime.now(UTC)
    db.session.commit()
    assert version(initiative.id) == before


def test_a_rolled_back_change_does_not_raise_it(ctx, make, bert, initiative):
    request = make.help_request(requester=bert, initiative=initiative)
    before = version(initiative.id)
    db.session.get(HelpRequest, request.id).title = "Toch niet"
    db.session.flush()
    db.session.rollback()
    db.session.commit()
    assert version(initiative.id) == before


def test_a_bulk_update_raises_the_initiatives_it_touches(
    ctx, make, anna, bert, initiative, other_initiative
):
    request = make.help_request(requester=bert, initiative=initiative)
    before, other = version(initiative.id), version(other_initiative.id)
    matching.request_accept(
        request_id=request.id, volunteer=db.session.get(User, anna.id), now=datetime.now(UTC)
    )
    assert db.session.get(HelpRequest, request.id).status == RequestStatus.MATCHED
    assert version(initiative.id) > before
    assert version(other_initiative.id) == other


def test_an_offers_categories_and_a_persons_name_raise_it(ctx, make, bert, initiative):
    offer = make.help_offer(volunteer=bert, initiative=initiative)
    before = version(initiative.id)
    db.session.add(HelpOfferCategory(offer_id=offer.id, category=Category.DOG_WALKING))
    db.session.commit()
    assert version(initiative.id) == before + 1
    db.session.get(User, bert.id).first_name = "Bertus"
    db.session.commit()
    assert version(initiative.id) == before + 2


# --- the page ------------------------------------------------------------------------------


def test_a_neighbour_in_the_same_area_gets_the_cached_list_without_their_own(
    app, client, auth, make, anna, bert, initiative
):
    neighbour = make.user(first_name="Dirk", postcode=anna.postcode, initiative=initiative)
    make.help_request(requester=bert, initiative=initiative, title="Van Bert")
    make.help_request(requester=neighbour, initiative=initiative, title="Van Dirk")
    auth.login_direct(anna)
    html = page(client)
    assert "Van Bert" in html and "Van Dirk" in html
    auth.login_direct(neighbour)
    with app.app_context(), statements(db.engine) as seen:
        html = page(client)
    assert "Van Bert" in html and "Van Dirk" not in html  # never one's own
    # The login query only: ranked list and cards came from the cache.
    assert len(seen) == 1, seen
    assert "1 resultaat binnen 2 km" in html
    with app.app_context():
        assert len(nearby_cache.of_app()) == 1


def test_someone_elses_post_withdrawal_or_hiding_shows_at_once(
    app, client, auth, make, anna, bert, initiative
):
    auth.login_direct(anna)
    assert "Hondje uitlaten" not in page(client)
    request = make.help_request(requester=bert, initiative=initiative, title="Hondje uitlaten")
    assert "Hondje uitlaten" in page(client)
    with app.app_context():
        db.session.execute(
            update(HelpRequest)
            .where(HelpRequest.id == request.id)
            .values(review_state=ReviewState.HIDDEN)
        )
        db.session.commit()
    assert "Hondje uitlaten" not in page(client)


def test_another_process_change_is_seen_through_the_database(
    app, make_app, database_url, client, auth, make, anna, bert, initiative
):
    offer = make.help_offer(volunteer=bert, initiative=initiative, title="Fietsen maken")
    auth.login_direct(anna)
    assert "Fietsen maken" in page(client)
    other_process = make_app(database_url)
    with other_process.app_context():
        db.session.get(HelpOffer, offer.id).paused_until = (
            datetime.now(UTC) + timedelta(days=7)
        ).date()
        db.session.commit()
    assert "Fietsen maken" not in page(client)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_menu_placeholder_is_filled_in(client, auth, make, anna, initiative, language):
    with auth.make.app.app_context():
        db.session.get(User, anna.id).locale = language
        db.session.commit()
    auth.login_direct(anna)
    html = page(client)
    assert "@@" not in html
    assert 'name="csrf_token" value=""' not in html
