"""Phone intake: a contact person posts for a resident without an account."""

import dataclasses

import pytest
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.accounts.passwords import verify_password
from buurthulp.audit.models import AuditEntry
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.listings import services as listings
from buurthulp.listings.models import HelpRequest, Recurrence, RequestStatus
from buurthulp.matching import lifecycle, queries, search
from buurthulp.matching import services as matching
from buurthulp.matching.models import Invitation
from buurthulp.residents import notes
from buurthulp.residents.intake import IntakeError, phone_intake, proxy_request_create
from buurthulp.residents.models import ProxyResident
from buurthulp.residents.takeover import TakeoverError, proxy_account_create
from tests.residents.conftest import NOTE, NOW, REQUEST, RESIDENT, TODAY, get_user

PASSWORD = "Fietsen-langs-de-IJssel-7"


def intake(world, by=None, street_ids=None, **changes):
    return phone_intake(
        initiative_id=world.a.id,
        resident=dataclasses.replace(RESIDENT, **changes),
        consent=True,
        request=REQUEST,
        by_user=get_user(by or world.connector),
        street_ids=street_ids,
        now=NOW,
        today=TODAY,
    )


def test_intake_records_resident_and_consent_and_invites_volunteers(ctx, world, outbox):
    help_request = intake(world, by=world.contact_x, street_ids={world.street_x})
    resident = db.session.get(ProxyResident, help_request.proxy_resident_id)
    assert (resident.first_name, resident.phone, resident.postcode) == (
        "Mien",
        "0384211234",
        "8011PX",
    )
    assert resident.consent_at == NOW and resident.consent_by_id == world.contact_x.id
    assert resident.street_id == world.street_x
    assert help_request.requester_id is None
    assert help_request.created_by_id == world.contact_x.id
    assert help_request.street_name == "Diezerstraat" and help_request.place == "Zwolle"
    # The matcher's normal path: a first round of invitations, each volunteer told.
    invited = set(
        db.session.execute(
            select(Invitation.volunteer_id).where(Invitation.request_id == help_request.id)
        ).scalars()
    )
    assert invited == {v.id for v in world.volunteers}
    assert {to for to, _, _ in outbox} == {v.email for v in world.volunteers}
    # Nothing the volunteers are told carries the resident's name, address or phone.
    for _, subject, body in outbox:
        assert "Mien" not in subject + body and "0384211234" not in body and "7" not in subject
    entry = db.session.execute(select(AuditEntry)).scalar_one()
    assert (entry.action, entry.subject_id) == ("proxy_request_created", help_request.id)


def test_intake_without_consent_or_with_bad_address_stores_nothing(ctx, world):
    with pytest.raises(IntakeError) as error:
        phone_intake(
            initiative_id=world.a.id,
            resident=dataclasses.replace(RESIDENT, postcode="1234", house_number="x"),
            consent=False,
            request=dataclasses.replace(REQUEST, title=""),
            by_user=get_user(world.connector),
            street_ids=None,
            now=NOW,
            today=TODAY,
        )
    assert {"consent", "postcode", "house_number", "title"} <= set(error.value.errors)
    assert db.session.execute(select(ProxyResident)).first() is None
    assert db.session.execute(select(HelpRequest)).first() is None


def test_street_contact_only_posts_for_own_streets(ctx, world):
    with pytest.raises(IntakeError) as error:
        intake(world, by=world.contact_x, street_ids={world.street_x}, street_name="Sassenstraat")
    assert set(error.value.errors) == {"street_name"}
    # A connector may post for any street; a new street name becomes a street.
    assert intake(world, street_name="Nieuwstraat").street_name == "Nieuwstraat"


def test_volunteer_sees_details_only_after_match_and_contact_is_told(ctx, world, outbox):
    help_request = intake(world, by=world.contact_x, street_ids={world.street_x})
    volunteer = get_user(world.volunteers[0])
    assert queries.contact_visible(volunteer, help_request) is None
    outbox.clear()
    match = matching.request_accept(request_id=help_request.id, volunteer=volunteer, now=NOW)
    help_request = db.session.get(HelpRequest, help_request.id)
    assert queries.contact_visible(volunteer, help_request).id == match.id
    assert help_request.requester_person.full_name == "Mien Bakker"
    # The requester-side notice goes to the contact person.
    told = [to for to, subject, _ in outbox if subject.startswith("Er helpt iemand")]
    assert told == [world.contact_x.email]
    # The contact person is a party: they can close it.
    contact = get_user(world.contact_x)
    assert queries.contact_visible(contact, help_request).id == match.id
    lifecycle.match_complete(match_id=match.id, by_user=contact, hours=1.0, feedback="", now=NOW)
    assert db.session.get(HelpRequest, help_request.id).status == RequestStatus.DONE


def test_volunteer_cancelling_tells_the_contact_person(ctx, world, outbox):
    help_request = intake(world, by=world.contact_x, street_ids={world.street_x})
    volunteer = get_user(world.volunteers[0])
    match = matching.request_accept(request_id=help_request.id, volunteer=volunteer, now=NOW)
    outbox.clear()
    lifecycle.match_cancel(match_id=match.id, by_user=volunteer, reason="Ziek", now=NOW)
    assert [to for to, s, _ in outbox if s.startswith("Gaat niet door")] == [world.contact_x.email]


def test_contact_person_can_withdraw_but_another_contact_cannot(ctx, world):
    help_request = intake(world, by=world.contact_x, street_ids={world.street_x})
    with pytest.raises(listings.ListingError):
        listings.help_request_withdraw(help_request=help_request, editor=get_user(world.contact_y))
    listings.help_request_withdraw(help_request=help_request, editor=get_user(world.contact_x))
    assert db.session.get(HelpRequest, help_request.id).status == RequestStatus.WITHDRAWN


def test_account_in_person_takes_over_requests_and_notes(ctx, world):
    first = intake(world)
    resident = db.session.get(ProxyResident, first.proxy_resident_id)
    second = proxy_request_create(
        resident=resident, request=REQUEST, by_user=get_user(world.connector), now=NOW, today=TODAY
    )
    notes.note_write(
        initiative_id=world.a.id,
        proxy_resident_id=resident.id,
        body=NOTE,
        by_user=get_user(world.connector),
        now=NOW,
    )
    user = proxy_account_create(
        resident=resident,
        email="Mien@Example.nl",
        password=PASSWORD,
        by_user=get_user(world.connector),
        now=NOW,
    )
    assert user.email == "mien@example.nl" and verify_password(user.password_hash, PASSWORD)
    mine = db.session.execute(
        select(HelpRequest.id).where(HelpRequest.requester_id == user.id)
    ).scalars()
    assert set(mine) == {first.id, second.id}
    membership = db.session.execute(select(Membership).filter_by(user_id=user.id)).scalar_one()
    assert (membership.initiative_id, membership.street_id) == (world.a.id, world.street_x)
    note = notes.note_read(
        initiative_id=world.a.id, user_id=user.id, reader=get_user(world.connector), now=NOW
    )
    assert note.body == NOTE
    with pytest.raises(TakeoverError):
        proxy_account_create(
            resident=resident, email="x2@example.nl", password=None, by_user=user, now=NOW
        )


def test_account_by_link_mails_a_working_link(ctx, world, outbox):
    resident = db.session.get(ProxyResident, intake(world).proxy_resident_id)
    outbox.clear()  # the volunteers' invitations
    links = []
    user = proxy_account_create(
        resident=resident,
        email="mien@example.nl",
        password=None,
        by_user=get_user(world.connector),
        now=NOW,
        link_for=lambda token: links.append(token) or f"https://buurthulp.test/{token}",
    )
    assert [to for to, _, _ in outbox] == ["mien@example.nl"]
    assert links[0] in outbox[0][2]
    from buurthulp.accounts.tokens import reset_token_user

    assert reset_token_user(links[0], max_age=3600).id == user.id


def test_account_with_taken_email_is_refused(ctx, world):
    resident = db.session.get(ProxyResident, intake(world).proxy_resident_id)
    with pytest.raises(TakeoverError) as error:
        proxy_account_create(
            resident=resident,
            email=world.resident_x.email,
            password=PASSWORD,
            by_user=get_user(world.connector),
            now=NOW,
        )
    assert error.value.field == "email"
    assert db.session.execute(select(User).filter_by(first_name="Mien")).first() is None


def test_weekly_proxy_request_keeps_its_resident_and_contact(ctx, world):
    weekly = dataclasses.replace(REQUEST, recurrence=Recurrence.WEEKLY)
    help_request = phone_intake(
        initiative_id=world.a.id,
        resident=RESIDENT,
        consent=True,
        request=weekly,
        by_user=get_user(world.contact_x),
        street_ids={world.street_x},
        now=NOW,
        today=TODAY,
    )
    following = lifecycle.weekly_next_occurrence(help_request=help_request, now=NOW)
    assert following.requester_id is None
    assert (following.proxy_resident_id, following.created_by_id) == (
        help_request.proxy_resident_id,
        world.contact_x.id,
    )


def test_the_connector_who_phoned_it_in_is_not_invited_for_it(ctx, make, world):
    connector = get_user(world.connector)
    make.help_offer(volunteer=connector, initiative=world.a, availability=(1 << 21) - 1)
    help_request = intake(world)
    invited = set(
        db.session.execute(
            select(Invitation.volunteer_id).where(Invitation.request_id == help_request.id)
        ).scalars()
    )
    assert invited and connector.id not in invited
    ranked = search.ranked_volunteers(help_request, now=NOW, limit=50)
    assert connector.id not in {r.candidate.volunteer_id for r in ranked}


def test_the_contact_person_talks_with_the_volunteer_for_the_resident(ctx, world):
    from buurthulp.realtime import conversations
    from buurthulp.realtime.models import Event

    help_request = intake(world)
    volunteer = get_user(world.volunteers[0])
    match = matching.request_accept(request_id=help_request.id, volunteer=volunteer, now=NOW)
    connector = get_user(world.connector)
    assert conversations.can_view_conversation(connector, match)
    assert not conversations.can_view_conversation(get_user(world.contact_y), match)
    conversations.message_post(
        match_id=match.id, sender=volunteer, body="Ik kom om tien uur.", client_key="key-0001"
    )
    told = db.session.execute(
        select(Event.user_id).where(Event.kind == "message", Event.title != "")
    ).scalars()
    assert list(told) == [connector.id]
    names = conversations.party_names(db.session.get(type(match), match.id))
    assert set(names) == {connector.id, volunteer.id}
