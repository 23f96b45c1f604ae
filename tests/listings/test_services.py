"""Writes: post, change and withdraw requests and offers; "Ik wil helpen"."""

from datetime import time, timedelta

import pytest

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.listings import services
from buurthulp.listings.availability import slot_bit
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import (
    Category,
    HelpOffer,
    HelpRequest,
    HelpResponse,
    OfferStatus,
    Recurrence,
    RequestStatus,
    Urgency,
)
from buurthulp.listings.rules import OfferFields, RequestFields


def request_fields(**changes) -> RequestFields:
    values = {
        "title": "  Boodschappen op vrijdag  ",
        "description": "Melk en brood.",
        "category": Category.GROCERIES,
        "on_date": local_today() + timedelta(days=3),
        "time_from": time(10),
        "time_until": time(12),
        "urgency": Urgency.HIGH,
        "recurrence": Recurrence.WEEKLY,
        "needs_car": True,
    }
    values.update(changes)
    return RequestFields(**values)


def offer_fields(**changes) -> OfferFields:
    values = {
        "title": "Ik doe boodschappen",
        "description": "",
        "categories": (Category.GROCERIES, Category.GARDEN),
        "availability": slot_bit(0, 0) | slot_bit(5, 2),
        "max_distance_km": 5.0,
        "has_car": True,
    }
    values.update(changes)
    return OfferFields(**values)


def get(model, id_):
    return db.session.get(model, id_)


# Requests


def test_create_request_copies_location_but_not_the_address(ctx, anna, initiative):
    created = services.help_request_create(
        requester=anna, initiative_id=initiative.id, fields=request_fields()
    )
    saved = get(HelpRequest, created.id)
    assert saved.title == "Boodschappen op vrijdag"
    assert (saved.street_name, saved.place) == ("Diezerstraat", "Zwolle")
    assert (saved.latitude, saved.longitude) == (anna.latitude, anna.longitude)
    assert saved.status == RequestStatus.OPEN
    assert saved.urgency == Urgency.HIGH and saved.recurrence == Recurrence.WEEKLY
    assert saved.needs_car is True
    assert saved.requester_id == anna.id and saved.initiative_id == initiative.id
    columns = {c.name for c in HelpRequest.__table__.columns}
    assert not {"house_number", "postcode"} & columns


def test_location_stays_when_the_requester_moves(ctx, anna, initiative):
    created = services.help_request_create(
        requester=anna, initiative_id=initiative.id, fields=request_fields()
    )
    user = get(User, anna.id)
    user.latitude, user.street_name = 53.0, "Elders"
    db.session.commit()
    assert get(HelpRequest, created.id).street_name == "Diezerstraat"


def test_create_flexible_request_drops_the_fixed_fields(ctx, anna, initiative):
    fields = request_fields(on_date=None, time_from=None, time_until=None, flexible_days=7)
    created = services.help_request_create(
        requester=anna, initiative_id=initiative.id, fields=fields
    )
    saved = get(HelpRequest, created.id)
    assert saved.flexible_days == 7 and saved.on_date is None and saved.time_from is None


def test_create_request_refuses_broken_rules_and_saves_nothing(ctx, anna, initiative):
    fields = request_fields(title=" ", on_date=local_today() - timedelta(days=1))
    with pytest.raises(services.ListingError) as caught:
        services.help_request_create(requester=anna, initiative_id=initiative.id, fields=fields)
    assert set(caught.value.errors) == {"title", "on_date"}
    assert db.session.execute(db.select(HelpRequest)).first() is None


def test_create_request_only_in_own_initiative(ctx, anna, other_initiative):
    with pytest.raises(services.ListingError) as caught:
        services.help_request_create(
            requester=anna, initiative_id=other_initiative.id, fields=request_fields()
        )
    assert list(caught.value.errors) == ["initiative_id"]


def test_update_request_by_author_and_connector(ctx, make, anna, connector, initiative):
    existing = make.help_request(requester=anna, initiative=initiative)
    request = get(HelpRequest, existing.id)
    services.help_request_update(
        help_request=request, editor=anna, fields=request_fields(title="Nieuwe titel")
    )
    assert get(HelpRequest, existing.id).title == "Nieuwe titel"
    services.help_request_update(
        help_request=request,
        editor=connector,
        fields=request_fields(title="Door de buurtverbinder", flexible_days=3, on_date=None),
    )
    saved = get(HelpRequest, existing.id)
    assert saved.title == "Door de buurtverbinder" and saved.flexible_days == 3
    assert saved.requester_id == anna.id


def test_update_request_refused_for_others_and_when_not_open(ctx, make, anna, bert, initiative):
    existing = make.help_request(requester=anna, initiative=initiative)
    request = get(HelpRequest, existing.id)
    with pytest.raises(services.ListingError):
        services.help_request_update(help_request=request, editor=bert, fields=request_fields())
    request.status = RequestStatus.MATCHED
    db.session.commit()
    with pytest.raises(services.ListingError):
        services.help_request_update(help_request=request, editor=anna, fields=request_fields())
    assert get(HelpRequest, existing.id).title == "Boodschappen doen"


def test_update_may_keep_a_passed_date(ctx, make, anna, initiative):
    old = local_today() - timedelta(days=2)
    existing = make.help_request(requester=anna, initiative=initiative, on_date=old)
    request = get(HelpRequest, existing.id)
    services.help_request_update(
        help_request=request, editor=anna, fields=request_fields(on_date=old, title="Zelfde dag")
    )
    assert get(HelpRequest, existing.id).title == "Zelfde dag"


def test_withdraw_request(ctx, make, anna, bert, initiative):
    existing = make.help_request(requester=anna, initiative=initiative)
    request = get(HelpRequest, existing.id)
    with pytest.raises(services.ListingError):
        services.help_request_withdraw(help_request=request, editor=bert)
    services.help_request_withdraw(help_request=request, editor=anna)
    assert get(HelpRequest, existing.id).status == RequestStatus.WITHDRAWN
    with pytest.raises(services.ListingError):
        services.help_request_withdraw(help_request=request, editor=anna)


# "Ik wil helpen"


def test_help_response_once_per_person(ctx, make, anna, bert, initiative):
    existing = make.help_request(requester=anna, initiative=initiative)
    request = get(HelpRequest, existing.id)
    response = services.help_response_create(
        help_request=request, volunteer=bert, message="  Ik kan zaterdag.  "
    )
    assert get(HelpResponse, response.id).message == "Ik kan zaterdag."
    with pytest.raises(services.ListingError) as caught:
        services.help_response_create(help_request=request, volunteer=bert)
    assert list(caught.value.errors) == [""]
    count = db.session.execute(db.select(db.func.count(HelpResponse.id))).scalar_one()
    assert count == 1


def test_help_response_not_on_own_request(ctx, make, anna, initiative):
    existing = make.help_request(requester=anna, initiative=initiative)
    with pytest.raises(services.ListingError):
        services.help_response_create(help_request=get(HelpRequest, existing.id), volunteer=anna)


def test_help_response_only_members_and_open_requests(ctx, make, anna, bert, carla, initiative):
    existing = make.help_request(requester=anna, initiative=initiative)
    request = get(HelpRequest, existing.id)
    with pytest.raises(services.ListingError) as caught:
        services.help_response_create(help_request=request, volunteer=carla)
    assert list(caught.value.errors) == ["initiative_id"]
    request.status = RequestStatus.WITHDRAWN
    db.session.commit()
    with pytest.raises(services.ListingError):
        services.help_response_create(help_request=request, volunteer=bert)


@pytest.mark.parametrize("message", ["x" * 1001, "null\x00byte"])
def test_help_response_message_rules(ctx, make, anna, bert, initiative, message):
    existing = make.help_request(requester=anna, initiative=initiative)
    with pytest.raises(services.ListingError) as caught:
        services.help_response_create(
            help_request=get(HelpRequest, existing.id), volunteer=bert, message=message
        )
    assert list(caught.value.errors) == ["message"]


def test_listing_error_reads_as_dutch(rctx, make, anna, initiative):
    existing = make.help_request(requester=anna, initiative=initiative)
    with pytest.raises(services.ListingError, match="Dit is uw eigen hulpvraag."):
        services.help_response_create(help_request=get(HelpRequest, existing.id), volunteer=anna)


# Offers


def test_create_offer(ctx, bert, initiative):
    created = services.help_offer_create(
        volunteer=bert, initiative_id=initiative.id, fields=offer_fields()
    )
    saved = get(HelpOffer, created.id)
    assert saved.category_values == [Category.GROCERIES, Category.GARDEN]
    assert saved.availability == slot_bit(0, 0) | slot_bit(5, 2)
    assert saved.max_distance_km == 5.0 and saved.has_car
    assert (saved.street_name, saved.latitude) == ("Assendorperstraat", bert.latitude)
    assert saved.status == OfferStatus.ACTIVE


def test_create_offer_refuses_broken_rules(ctx, bert, initiative):
    fields = offer_fields(categories=(), availability=0, max_distance_km=7.0)
    with pytest.raises(services.ListingError) as caught:
        services.help_offer_create(volunteer=bert, initiative_id=initiative.id, fields=fields)
    assert set(caught.value.errors) == {"categories", "availability", "max_distance_km"}
    assert db.session.execute(db.select(HelpOffer)).first() is None


def test_update_offer_changes_categories_and_pause(ctx, make, bert, initiative):
    existing = make.help_offer(
        volunteer=bert, initiative=initiative, categories=(Category.GROCERIES, Category.MEAL)
    )
    offer = get(HelpOffer, existing.id)
    pause = local_today() + timedelta(days=10)
    fields = offer_fields(categories=(Category.MEAL, Category.TRANSPORT), paused_until=pause)
    services.help_offer_update(offer=offer, editor=bert, fields=fields)
    db.session.expire_all()
    saved = get(HelpOffer, existing.id)
    assert saved.category_values == [Category.TRANSPORT, Category.MEAL]
    assert saved.paused_until == pause


def test_update_offer_keeps_an_old_distance(ctx, make, bert, initiative):
    existing = make.help_offer(volunteer=bert, initiative=initiative, max_distance_km=3.0)
    offer = get(HelpOffer, existing.id)
    services.help_offer_update(
        offer=offer, editor=bert, fields=offer_fields(max_distance_km=3.0, title="Anders")
    )
    assert get(HelpOffer, existing.id).title == "Anders"


def test_offer_update_and_withdraw_permissions(ctx, make, anna, bert, connector, initiative):
    existing = make.help_offer(volunteer=bert, initiative=initiative)
    offer = get(HelpOffer, existing.id)
    with pytest.raises(services.ListingError):
        services.help_offer_update(offer=offer, editor=anna, fields=offer_fields())
    with pytest.raises(services.ListingError):
        services.help_offer_withdraw(offer=offer, editor=anna)
    services.help_offer_withdraw(offer=offer, editor=connector)
    assert get(HelpOffer, existing.id).status == OfferStatus.WITHDRAWN
    with pytest.raises(services.ListingError):
        services.help_offer_update(offer=offer, editor=bert, fields=offer_fields())
    with pytest.raises(services.ListingError):
        services.help_offer_withdraw(offer=offer, editor=bert)
