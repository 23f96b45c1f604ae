"""Notes, verification, the unmatched queue and the residents overview, without Flask views."""

import pytest
from sqlalchemy import select

from buurthulp.accounts.queries import personal_data
from buurthulp.audit.models import AuditEntry
from buurthulp.extensions import db
from buurthulp.listings import services as listings
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.matching import search
from buurthulp.matching import services as matching
from buurthulp.matching.models import Invitation, InvitationStatus, Match
from buurthulp.residents import notes, overview, unmatched, verification
from buurthulp.residents.intake import phone_intake
from tests.residents.conftest import NOTE, NOW, REQUEST, RESIDENT, TODAY, get_user


def actions() -> list[tuple[str, int | None, str, int]]:
    rows = db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
    return [(e.action, e.actor_id, e.subject_type, e.subject_id) for e in rows]


def test_note_reads_and_changes_are_audited_without_the_text(ctx, world):
    contact = get_user(world.contact_x)
    assert (
        notes.note_read(
            initiative_id=world.a.id, user_id=world.resident_x.id, reader=contact, now=NOW
        )
        is None
    )
    notes.note_write(
        initiative_id=world.a.id, user_id=world.resident_x.id, body=NOTE, by_user=contact, now=NOW
    )
    note = notes.note_read(
        initiative_id=world.a.id, user_id=world.resident_x.id, reader=contact, now=NOW
    )
    assert note.body == NOTE and note.updated_by_id == contact.id
    subject = ("user", world.resident_x.id)
    assert actions() == [
        ("note_read", contact.id, *subject),
        ("note_changed", contact.id, *subject),
        ("note_read", contact.id, *subject),
    ]
    entries = db.session.execute(select(AuditEntry)).scalars()
    assert all(NOTE not in repr((e.reason, e.details)) for e in entries)


def test_note_rejects_long_or_control_text(ctx, world):
    for body in ("x" * (notes.NOTE_MAX + 1), "a\x00b"):
        with pytest.raises(notes.NoteError):
            notes.note_write(
                initiative_id=world.a.id,
                user_id=world.resident_x.id,
                body=body,
                by_user=get_user(world.connector),
                now=NOW,
            )
    assert actions() == []


def test_note_is_not_in_the_residents_own_data_export(ctx, world):
    notes.note_write(
        initiative_id=world.a.id,
        user_id=world.resident_x.id,
        body=NOTE,
        by_user=get_user(world.connector),
        now=NOW,
    )
    assert NOTE not in repr(personal_data(get_user(world.resident_x)))
    assert NOTE not in repr(personal_data(get_user(world.connector)))


@pytest.fixture
def verified_only(ctx, world):
    verification.setting_change(
        initiative_id=world.a.id,
        unverified_may_accept=False,
        by_user=get_user(world.coordinator),
        now=NOW,
    )
    return world


def test_unverified_member_cannot_accept_when_the_initiative_says_so(ctx, verified_only):
    world = verified_only
    help_request = listings.help_request_create(
        requester=get_user(world.resident_x), initiative_id=world.a.id, fields=REQUEST, today=TODAY
    )
    volunteer = get_user(world.volunteers[0])
    # Nobody is verified yet: the matcher invites nobody, and picking directly is refused.
    assert db.session.execute(select(Invitation)).first() is None
    assert search.ranked_volunteers(help_request, now=NOW) == []
    with pytest.raises(matching.MatchingError) as error:
        matching.request_accept(request_id=help_request.id, volunteer=volunteer, now=NOW)
    assert "geverifieerde buren" in str(error.value)
    with pytest.raises(listings.ListingError) as error:
        listings.help_response_create(help_request=help_request, volunteer=volunteer)
    assert "geverifieerde buren" in str(error.value)
    assert db.session.execute(select(Match)).first() is None

    verification.member_verify(
        member=volunteer, initiative_id=world.a.id, by_user=get_user(world.contact_x), now=NOW
    )
    ranked = search.ranked_volunteers(db.session.get(HelpRequest, help_request.id), now=NOW)
    assert [r.candidate.volunteer_id for r in ranked] == [volunteer.id]
    match = matching.request_accept(request_id=help_request.id, volunteer=volunteer, now=NOW)
    assert match.volunteer_id == volunteer.id
    assert ("member_verified", world.contact_x.id, "user", volunteer.id) in actions()


def test_by_default_unverified_members_may_accept(ctx, world):
    assert verification.may_accept(volunteer_id=world.volunteers[0].id, initiative_id=world.a.id)


def test_verification_refuses_non_members_self_and_twice(ctx, world):
    contact = get_user(world.contact_x)
    with pytest.raises(verification.VerificationError):
        verification.member_verify(
            member=get_user(world.connector_b), initiative_id=world.a.id, by_user=contact, now=NOW
        )
    with pytest.raises(verification.VerificationError):
        verification.member_verify(
            member=contact, initiative_id=world.a.id, by_user=contact, now=NOW
        )
    member = get_user(world.resident_x)
    verification.member_verify(member=member, initiative_id=world.a.id, by_user=contact, now=NOW)
    with pytest.raises(verification.VerificationError):
        verification.member_verify(
            member=member, initiative_id=world.a.id, by_user=contact, now=NOW
        )
    found = verification.verification_of(user_id=member.id, initiative_id=world.a.id)
    assert (found.verified_by_id, found.verified_at) == (contact.id, NOW)


def _flagged(world, requester):
    help_request = listings.help_request_create(
        requester=get_user(requester), initiative_id=world.a.id, fields=REQUEST, today=TODAY
    )
    help_request.needs_attention = True
    db.session.commit()
    return help_request


def test_queue_shows_flagged_requests_in_scope_only(ctx, world):
    in_x = _flagged(world, world.resident_x)
    in_y = _flagged(world, world.resident_y)
    listings.help_request_create(
        requester=get_user(world.resident_x), initiative_id=world.a.id, fields=REQUEST, today=TODAY
    )  # not flagged
    proxy = phone_intake(
        initiative_id=world.a.id,
        resident=RESIDENT,
        consent=True,
        request=REQUEST,
        by_user=get_user(world.connector),
        street_ids=None,
        now=NOW,
        today=TODAY,
    )
    proxy.needs_attention = True
    db.session.commit()
    ids = lambda found: [r.id for r in found]  # noqa: E731
    assert ids(unmatched.unmatched_requests(world.a.id, {world.street_x})) == [in_x.id, proxy.id]
    assert ids(unmatched.unmatched_requests(world.a.id, {world.street_y})) == [in_y.id]
    assert ids(unmatched.unmatched_requests(world.a.id, None)) == [in_x.id, in_y.id, proxy.id]
    assert unmatched.unmatched_requests(world.b.id, None) == []
    assert unmatched.unmatched_requests(world.a.id, set()) == []


def test_match_by_phone_follows_first_accept_wins(ctx, world):
    help_request = _flagged(world, world.resident_x)
    first, second = (get_user(v) for v in world.volunteers[:2])
    contact = get_user(world.contact_x)
    match = unmatched.match_by_phone(
        help_request=help_request, volunteer_id=first.id, by_user=contact, now=NOW
    )
    assert match.volunteer_id == first.id
    stored = db.session.get(HelpRequest, help_request.id)
    assert stored.status == RequestStatus.MATCHED and stored.needs_attention is False
    with pytest.raises(matching.MatchingError) as error:
        unmatched.match_by_phone(
            help_request=stored, volunteer_id=second.id, by_user=contact, now=NOW
        )
    assert str(error.value) == str(matching.ALREADY_TAKEN)
    assert len(db.session.execute(select(Match)).all()) == 1
    # The first accept closed every other pending invitation.
    pending = db.session.execute(
        select(Invitation).filter_by(request_id=help_request.id, status=InvitationStatus.PENDING)
    ).first()
    assert pending is None
    assert ("matched_by_phone", contact.id, "help_request", help_request.id) in actions()


def test_match_by_phone_refuses_the_requester_and_non_members(ctx, world):
    help_request = _flagged(world, world.resident_x)
    contact = get_user(world.contact_x)
    for volunteer in (world.resident_x, world.connector_b):
        with pytest.raises(matching.MatchingError):
            unmatched.match_by_phone(
                help_request=help_request, volunteer_id=volunteer.id, by_user=contact, now=NOW
            )
    assert db.session.get(HelpRequest, help_request.id).status == RequestStatus.OPEN


def test_invite_by_hand_invites_a_suggested_volunteer(ctx, make, world, outbox):
    help_request = _flagged(world, world.resident_x)
    # Everyone was invited and declined; a fourth volunteer joined later.
    db.session.execute(Invitation.__table__.update().values(status=InvitationStatus.DECLINED.value))
    db.session.commit()
    late = make.user(initiative=world.a, email="laat@example.nl", first_name="Laat")
    make.help_offer(volunteer=late, initiative=world.a, availability=(1 << 21) - 1)
    suggestions, _ = unmatched.candidates(help_request, now=NOW)
    assert {s.volunteer.id for s in suggestions} == {late.id, *(v.id for v in world.volunteers)}
    outbox.clear()
    invitation = unmatched.invite_by_hand(
        help_request=help_request, volunteer_id=late.id, by_user=get_user(world.contact_x), now=NOW
    )
    assert invitation.status == InvitationStatus.PENDING and invitation.volunteer_id == late.id
    assert [to for to, _, _ in outbox] == ["laat@example.nl"]
    assert ("invited_by_hand", world.contact_x.id, "help_request", help_request.id) in actions()
    with pytest.raises(matching.MatchingError):  # already invited once
        unmatched.invite_by_hand(
            help_request=help_request,
            volunteer_id=world.volunteers[0].id,
            by_user=get_user(world.contact_x),
            now=NOW,
        )
    with pytest.raises(matching.MatchingError):  # not a suggestion
        unmatched.invite_by_hand(
            help_request=help_request,
            volunteer_id=world.connector_b.id,
            by_user=get_user(world.contact_x),
            now=NOW,
        )


def test_overview_counts_requests_per_resident_in_scope(ctx, world):
    listings.help_request_create(
        requester=get_user(world.resident_x), initiative_id=world.a.id, fields=REQUEST, today=TODAY
    )
    withdrawn = listings.help_request_create(
        requester=get_user(world.resident_x), initiative_id=world.a.id, fields=REQUEST, today=TODAY
    )
    listings.help_request_withdraw(help_request=withdrawn, editor=get_user(world.resident_x))
    listings.help_request_create(
        requester=get_user(world.resident_y), initiative_id=world.a.id, fields=REQUEST, today=TODAY
    )
    phone_intake(
        initiative_id=world.a.id,
        resident=RESIDENT,
        consent=True,
        request=REQUEST,
        by_user=get_user(world.connector),
        street_ids=None,
        now=NOW,
        today=TODAY,
    )
    rows = overview.residents_overview(world.a.id, {world.street_x})
    by_name = {r.name: r for r in rows}
    assert "Riet de Vries" not in by_name  # Sassenstraat
    kees = by_name["Kees de Vries"]
    assert (kees.counts[RequestStatus.OPEN], kees.counts[RequestStatus.WITHDRAWN]) == (1, 1)
    assert by_name["Mien Bakker"].kind == "proxy" and by_name["Mien Bakker"].asked == 1
    assert rows[0].asked and not rows[-1].asked  # who asked comes first
    everyone = {r.name for r in overview.residents_overview(world.a.id, None)}
    assert {"Kees de Vries", "Riet de Vries", "Mien Bakker"} <= everyone
    assert overview.residents_overview(world.b.id, None)[0].name != "Kees de Vries"


def test_invite_by_hand_refuses_an_unverified_volunteer_when_required(ctx, verified_only):
    world = verified_only
    help_request = _flagged(world, world.resident_x)
    volunteer = world.volunteers[0]
    assert unmatched.unverified_among(help_request, [volunteer.id]) == {volunteer.id}
    with pytest.raises(matching.MatchingError) as error:
        unmatched.invite_by_hand(
            help_request=help_request,
            volunteer_id=volunteer.id,
            by_user=get_user(world.contact_x),
            now=NOW,
        )
    assert "nog geen geverifieerde buur" in str(error.value)
