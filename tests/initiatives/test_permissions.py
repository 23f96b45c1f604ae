"""Who may see and change a listing: members of its initiative, its author, moderators."""

import pytest
from werkzeug.exceptions import Forbidden, NotFound

from buurthulp.extensions import db
from buurthulp.initiatives import permissions
from buurthulp.initiatives.models import Membership, Role
from buurthulp.listings.models import OfferStatus, RequestStatus


@pytest.fixture
def initiative(make):
    return make.initiative(name="Burenhulp Zwolle")


@pytest.fixture
def elsewhere(make):
    return make.initiative(name="Stadsdorp Amersfoort", pc4s=("3811",))


@pytest.fixture
def people(make, initiative, elsewhere):
    def person(role=Role.RESIDENT, where=initiative, **fields):
        return make.user(initiative=where, role=role, **fields)

    return {
        "author": person(),
        "member": person(),
        "street_contact": person(Role.STREET_CONTACT),
        "connector": person(Role.CONNECTOR),
        "coordinator": person(Role.COORDINATOR),
        "outsider": person(where=elsewhere, postcode="3811AA"),
        "outside_connector": person(Role.CONNECTOR, where=elsewhere, postcode="3811AA"),
        "admin": make.user(is_platform_admin=True),
        "loner": make.user(),
    }


@pytest.fixture
def listings(make, initiative, people):
    author = people["author"]
    return {
        "request": make.help_request(requester=author, initiative=initiative),
        "offer": make.help_offer(volunteer=author, initiative=initiative),
    }


def fetch(listing):
    return db.session.get(type(listing), listing.id)


def test_role_in_and_is_member(ctx, people, initiative, elsewhere):
    assert permissions.role_in(people["member"], initiative.id) == Role.RESIDENT
    assert permissions.role_in(people["connector"], initiative.id) == Role.CONNECTOR
    assert permissions.role_in(people["outsider"], initiative.id) is None
    assert permissions.role_in(people["outsider"], elsewhere.id) == Role.RESIDENT
    assert permissions.role_in(None, initiative.id) is None
    assert permissions.is_member(people["coordinator"], initiative.id)
    assert not permissions.is_member(people["admin"], initiative.id)
    assert permissions.member_initiative_ids(people["outsider"]) == [elsewhere.id]
    assert permissions.member_initiative_ids(people["loner"]) == []


def test_member_of_several_initiatives_oldest_first(ctx, make, people, initiative, elsewhere):
    make.membership(user=people["member"], initiative=elsewhere)
    assert permissions.member_initiative_ids(people["member"]) == [initiative.id, elsewhere.id]


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("author", True),
        ("member", True),
        ("street_contact", True),
        ("connector", True),
        ("coordinator", True),
        ("admin", True),
        ("outsider", False),
        ("outside_connector", False),
        ("loner", False),
    ],
)
def test_open_listings_visible_to_members_and_admins(ctx, people, listings, who, visible):
    user = people[who]
    assert permissions.can_view_request(user, fetch(listings["request"])) is visible
    assert permissions.can_view_offer(user, fetch(listings["offer"])) is visible


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("author", True),
        ("connector", True),
        ("coordinator", True),
        ("member", False),
        ("street_contact", False),
        ("admin", False),
        ("outsider", False),
        ("outside_connector", False),
    ],
)
def test_withdrawn_listings_only_author_and_moderators(ctx, people, listings, who, visible):
    request = fetch(listings["request"])
    offer = fetch(listings["offer"])
    request.status = RequestStatus.WITHDRAWN
    offer.status = OfferStatus.WITHDRAWN
    db.session.commit()
    assert permissions.can_view_request(people[who], request) is visible
    assert permissions.can_view_offer(people[who], offer) is visible


@pytest.mark.parametrize(
    ("who", "editable"),
    [
        ("author", True),
        ("connector", True),
        ("coordinator", True),
        ("member", False),
        ("street_contact", False),
        ("admin", False),
        ("outside_connector", False),
    ],
)
def test_can_edit(ctx, people, listings, who, editable):
    assert permissions.can_edit(people[who], fetch(listings["request"])) is editable
    assert permissions.can_edit(people[who], fetch(listings["offer"])) is editable


def test_author_who_left_the_initiative_still_sees_and_edits(ctx, people, listings):
    author = people["author"]
    db.session.execute(db.delete(Membership).where(Membership.user_id == author.id))
    db.session.commit()
    request = fetch(listings["request"])
    assert permissions.can_view_request(author, request)
    assert permissions.can_edit(author, request)


def test_viewable_or_404(ctx, people, listings):
    request = fetch(listings["request"])
    assert permissions.viewable_or_404(people["member"], request) is request
    with pytest.raises(NotFound):
        permissions.viewable_or_404(people["outsider"], request)
    with pytest.raises(NotFound):
        permissions.viewable_or_404(people["member"], None)


def test_editable_or_abort_hides_from_outsiders_and_forbids_members(ctx, people, listings):
    offer = fetch(listings["offer"])
    assert permissions.editable_or_abort(people["connector"], offer) is offer
    with pytest.raises(Forbidden):
        permissions.editable_or_abort(people["member"], offer)
    with pytest.raises(NotFound):
        permissions.editable_or_abort(people["outside_connector"], offer)


def test_author_id_for_both_kinds(ctx, people, listings):
    assert permissions.author_id(fetch(listings["request"])) == people["author"].id
    assert permissions.author_id(fetch(listings["offer"])) == people["author"].id
