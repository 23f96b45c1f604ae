"""Moderation modes, the review queue, and what the matcher does with posts that wait."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from buurthulp.audit.models import AuditEntry
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.listings import queries as listing_queries
from buurthulp.listings import services as listing_services
from buurthulp.listings.models import HelpRequest
from buurthulp.matching.models import Invitation
from buurthulp.moderation import queries, services
from buurthulp.moderation.models import ModerationMode, ReviewState
from tests.listings.test_services import offer_fields, request_fields
from tests.moderation.conftest import load


@pytest.fixture
def app_settings(mail_settings):
    return mail_settings


def wait_for_mail(smtp_server, count=1):
    import time

    deadline = time.monotonic() + 5
    while len(smtp_server.messages) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return smtp_server.messages


@pytest.fixture
def rctx(app):
    """A request context: the rejection mail builds an absolute link."""
    with app.test_request_context():
        yield


def set_mode(initiative, people, mode):
    services.mode_set(
        initiative_id=initiative.id, mode=mode, actor=load(people["coordinator"]), now=utcnow()
    )


def post_request(initiative, user):
    return listing_services.help_request_create(
        requester=load(user), initiative_id=initiative.id, fields=request_fields(needs_car=False)
    )


def volunteer(make, initiative, user):
    make.help_offer(volunteer=user, initiative=initiative, availability=(1 << 21) - 1)


def invitations_for(request_id):
    return (
        db.session.execute(select(Invitation).where(Invitation.request_id == request_id))
        .scalars()
        .all()
    )


def visible_to(user, help_request) -> bool:
    found = listing_queries.nearby_listings(viewer=load(user), radius_km=10)
    return any(item.listing.id == help_request.id for item in found.items)


def test_pre_moderation_holds_a_post_until_approved_then_invites(
    make, ctx, initiative, people, smtp_server
):
    volunteer(make, initiative, people["bert"])
    set_mode(initiative, people, ModerationMode.PRE)
    help_request = post_request(initiative, people["anna"])
    assert help_request.review_state == ReviewState.PENDING
    assert invitations_for(help_request.id) == []
    assert not visible_to(people["bert"], help_request)
    assert queries.review_queue(initiative.id)["pending"] == [help_request]

    services.post_approve(listing=help_request, actor=load(people["connector"]), now=utcnow())
    assert help_request.review_state == ReviewState.APPROVED
    assert [i.volunteer_id for i in invitations_for(help_request.id)] == [people["bert"].id]
    assert visible_to(people["bert"], help_request)
    entry = db.session.execute(select(AuditEntry).filter_by(action="post_approve")).scalar_one()
    assert (entry.actor_id, entry.subject_id) == (people["connector"].id, help_request.id)


def test_first_post_moderation_only_holds_the_first_post(ctx, initiative, people):
    set_mode(initiative, people, ModerationMode.FIRST_POST)
    first = post_request(initiative, people["anna"])
    assert first.review_state == ReviewState.PENDING
    services.post_approve(listing=first, actor=load(people["connector"]), now=utcnow())
    second = post_request(initiative, people["anna"])
    assert second.review_state == ReviewState.APPROVED
    offer = listing_services.help_offer_create(
        volunteer=load(people["carla"]), initiative_id=initiative.id, fields=offer_fields()
    )
    assert offer.review_state == ReviewState.PENDING
    assert not visible_to(people["anna"], offer)


def test_post_moderation_publishes_at_once_and_queues_for_review(
    make, ctx, initiative, people, smtp_server
):
    volunteer(make, initiative, people["bert"])
    set_mode(initiative, people, ModerationMode.POST)
    help_request = post_request(initiative, people["anna"])
    assert help_request.review_state == ReviewState.UNREVIEWED
    assert visible_to(people["bert"], help_request)
    assert len(invitations_for(help_request.id)) == 1
    assert queries.review_queue(initiative.id)["unreviewed"] == [help_request]
    services.post_approve(listing=help_request, actor=load(people["connector"]), now=utcnow())
    assert len(invitations_for(help_request.id)) == 1  # not invited twice
    assert queries.review_queue(initiative.id)["unreviewed"] == []


def test_peer_to_peer_is_the_default(ctx, initiative, people):
    assert queries.moderation_mode(initiative.id) == ModerationMode.PEER
    assert post_request(initiative, people["anna"]).review_state == ReviewState.APPROVED


def test_reject_mails_the_reason_and_the_author_can_edit_and_resubmit(
    rctx, initiative, people, smtp_server
):
    set_mode(initiative, people, ModerationMode.PRE)
    help_request = post_request(initiative, people["anna"])
    with pytest.raises(services.ModerationError):
        services.post_reject(
            listing=help_request, actor=load(people["connector"]), reason=" ", now=utcnow()
        )
    services.post_reject(
        listing=help_request,
        actor=load(people["connector"]),
        reason="Noem geen telefoonnummer in de tekst.",
        now=utcnow(),
    )
    assert help_request.review_state == ReviewState.REJECTED
    assert help_request.title == "Boodschappen op vrijdag"  # the input is kept
    [mail] = wait_for_mail(smtp_server)
    assert mail["To"] == people["anna"].email
    body = mail.get_content()
    assert "Noem geen telefoonnummer in de tekst." in body
    assert f"/hulpvragen/{help_request.id}/bewerken" in body
    entry = db.session.execute(select(AuditEntry).filter_by(action="post_reject")).scalar_one()
    assert entry.reason == "Noem geen telefoonnummer in de tekst."

    listing_services.help_request_update(
        help_request=help_request,
        editor=load(people["anna"]),
        fields=request_fields(title="Boodschappen"),
    )
    assert db.session.get(HelpRequest, help_request.id).review_state == ReviewState.PENDING


def test_a_moderators_edit_is_audited(ctx, initiative, people):
    help_request = post_request(initiative, people["anna"])
    listing_services.help_request_update(
        help_request=help_request,
        editor=load(people["connector"]),
        fields=request_fields(title="Boodschappen"),
    )
    entry = db.session.execute(select(AuditEntry).filter_by(action="post_edit")).scalar_one()
    assert entry.actor_id == people["connector"].id


def test_a_waiting_request_cannot_be_accepted_and_is_not_escalated(make, ctx, initiative, people):
    from buurthulp.matching import escalation
    from buurthulp.matching import services as matching

    set_mode(initiative, people, ModerationMode.PRE)
    help_request = post_request(initiative, people["anna"])
    with pytest.raises(matching.MatchingError):
        matching.request_accept(
            request_id=help_request.id, volunteer=load(people["bert"]), now=utcnow()
        )
    outcome = escalation.escalate_due(now=utcnow() + timedelta(days=2))
    assert help_request.id not in outcome["widened"] + outcome["flagged"]


def test_others_cannot_open_a_waiting_post_but_author_and_moderators_can(
    app, make, initiative, people
):
    from tests.factories import Auth

    with app.app_context():
        set_mode(initiative, people, ModerationMode.PRE)
        url = f"/hulpvragen/{post_request(initiative, people['anna']).id}"
    for name, status in (("bert", 404), ("anna", 200), ("connector", 200)):
        client = app.test_client()
        Auth(client, make).login_direct(people[name])
        response = client.get(url)
        assert response.status_code == status, name
        if name == "anna":
            assert "wacht op goedkeuring" in response.get_data(as_text=True)
            assert "wacht op goedkeuring" in client.get("/mijn-hulp").get_data(as_text=True)
