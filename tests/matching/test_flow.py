"""The matcher's flow: invite the best, first accept wins, a decline invites the next."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.listings import services as listing_services
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.matching import services
from buurthulp.matching.models import Invitation, InvitationStatus, Match, MatchingSettings
from buurthulp.matching.services import MatchingError
from tests.matching import flow_support
from tests.matching.flow_support import HOUSE_NUMBER, NOW, POSTCODE

people, open_request, outbox = flow_support.people, flow_support.open_request, flow_support.outbox


def _get(request_id: int) -> HelpRequest:
    return db.session.get(HelpRequest, request_id)


def _invitations(request_id: int) -> list[Invitation]:
    query = select(Invitation).where(Invitation.request_id == request_id).order_by(Invitation.id)
    return list(db.session.execute(query).scalars())


def _send(request_id: int, **kwargs) -> list[Invitation]:
    return services.invitations_send(help_request=_get(request_id), now=NOW, **kwargs)


def test_send_invites_the_best_five_once_and_tells_them(ctx, people, open_request, outbox):
    invitations = _send(open_request.id)
    ids = [v.id for v in people.volunteers]
    assert [i.volunteer_id for i in invitations] == ids[:5]
    assert [(i.round, i.rank) for i in invitations] == [(1, n) for n in range(1, 6)]
    assert all(i.status == InvitationStatus.PENDING and i.distance_km < 0.5 for i in invitations)
    request = _get(open_request.id)
    assert request.match_round == 1 and request.last_invited_at == NOW
    assert [to for to, _, _ in outbox] == [f"vrijwilliger{n}@example.nl" for n in range(5)]
    for _, subject, body in outbox:
        text = subject + body
        assert HOUSE_NUMBER not in text and POSTCODE[:4] not in text
        assert "Verhoeven" not in text and "anna@example.nl" not in text

    second = _send(open_request.id)
    assert [i.volunteer_id for i in second] == ids[5:]
    assert {i.round for i in second} == {2}
    assert _get(open_request.id).match_round == 2


def test_batch_size_comes_from_the_initiative(ctx, people, open_request, outbox):
    db.session.add(MatchingSettings(initiative_id=people.initiative.id, batch_size=2))
    db.session.commit()
    assert len(_send(open_request.id)) == 2


def test_first_accept_wins_and_the_others_are_told(ctx, people, open_request, outbox):
    first, second, *rest = _send(open_request.id)
    outbox.clear()
    match = services.invitation_accept(
        invitation_id=second.id, volunteer_id=second.volunteer_id, now=NOW
    )
    assert match.volunteer_id == second.volunteer_id and match.invitation_id == second.id
    assert _get(open_request.id).status == RequestStatus.MATCHED
    states = {i.id: i.status for i in _invitations(open_request.id)}
    assert states[second.id] == InvitationStatus.ACCEPTED
    assert {states[i.id] for i in [first, *rest]} == {InvitationStatus.CLOSED}
    subjects = sorted(subject for _, subject, _ in outbox)
    assert subjects.count("Al vergeven: Boodschappen doen") == 4
    assert "Er helpt iemand: Boodschappen doen" in subjects

    with pytest.raises(MatchingError, match="al vergeven"):
        services.invitation_accept(invitation_id=first.id, volunteer_id=first.volunteer_id, now=NOW)
    assert len(db.session.execute(select(Match)).all()) == 1


def test_only_the_invited_volunteer_may_answer(ctx, people, open_request, outbox):
    invitation = _send(open_request.id)[0]
    for answer in (services.invitation_accept, services.invitation_decline):
        with pytest.raises(MatchingError, match="bestaat niet"):
            answer(invitation_id=invitation.id, volunteer_id=people.volunteers[1].id, now=NOW)
        with pytest.raises(MatchingError, match="bestaat niet"):
            answer(invitation_id=2**31 - 1, volunteer_id=invitation.volunteer_id, now=NOW)


def test_decline_invites_the_next_in_rank(ctx, people, open_request, outbox):
    invitations = _send(open_request.id)
    outbox.clear()
    new = services.invitation_decline(
        invitation_id=invitations[0].id, volunteer_id=invitations[0].volunteer_id, now=NOW
    )
    assert [(i.volunteer_id, i.round, i.rank) for i in new] == [(people.volunteers[5].id, 1, 6)]
    assert [to for to, _, _ in outbox] == ["vrijwilliger5@example.nl"]
    with pytest.raises(MatchingError, match="al afgeslagen"):
        services.invitation_accept(
            invitation_id=invitations[0].id, volunteer_id=invitations[0].volunteer_id, now=NOW
        )


def test_decline_after_a_match_invites_nobody(ctx, people, open_request, outbox):
    first, second, *_ = _send(open_request.id)
    services.invitation_accept(invitation_id=first.id, volunteer_id=first.volunteer_id, now=NOW)
    with pytest.raises(MatchingError, match="al vergeven"):
        services.invitation_decline(
            invitation_id=second.id, volunteer_id=second.volunteer_id, now=NOW
        )


def test_direct_accept_takes_the_same_path(ctx, people, open_request, outbox):
    invitations = _send(open_request.id)
    volunteer = db.session.get(User, people.volunteers[0].id)
    match = services.request_accept(request_id=open_request.id, volunteer=volunteer, now=NOW)
    assert match.invitation_id == invitations[0].id
    assert {i.status for i in _invitations(open_request.id)[1:]} == {InvitationStatus.CLOSED}
    late = db.session.get(User, people.volunteers[6].id)  # never invited
    with pytest.raises(MatchingError, match="al vergeven"):
        services.request_accept(request_id=open_request.id, volunteer=late, now=NOW)


def test_direct_accept_without_invitation(ctx, people, open_request, outbox):
    volunteer = db.session.get(User, people.volunteers[6].id)
    match = services.request_accept(request_id=open_request.id, volunteer=volunteer, now=NOW)
    assert match.invitation_id is None and _get(open_request.id).status == RequestStatus.MATCHED


@pytest.mark.parametrize(
    ("who", "message"),
    [("requester", "eigen hulpvraag"), ("outsider", "geen lid")],
)
def test_direct_accept_refused(ctx, people, open_request, who, message):
    user = db.session.get(User, getattr(people, who).id)
    with pytest.raises(MatchingError, match=message):
        services.request_accept(request_id=open_request.id, volunteer=user, now=NOW)
    assert _get(open_request.id).status == RequestStatus.OPEN


def test_requester_invites_a_suggested_volunteer(ctx, people, open_request, outbox):
    requester = db.session.get(User, people.requester.id)
    chosen = people.volunteers[3].id
    invitation = services.invitation_create(
        help_request=_get(open_request.id), volunteer_id=chosen, by_user=requester, now=NOW
    )
    assert (invitation.volunteer_id, invitation.rank, invitation.round) == (chosen, 4, 1)
    assert [to for to, _, _ in outbox] == ["vrijwilliger3@example.nl"]
    with pytest.raises(MatchingError, match="al uitgenodigd"):
        services.invitation_create(
            help_request=_get(open_request.id), volunteer_id=chosen, by_user=requester, now=NOW
        )
    with pytest.raises(MatchingError, match="suggesties"):
        services.invitation_create(
            help_request=_get(open_request.id),
            volunteer_id=people.outsider.id,
            by_user=requester,
            now=NOW,
        )
    # The next round does not ask the chosen volunteer again.
    assert chosen not in {i.volunteer_id for i in _send(open_request.id)}


def test_only_the_requester_invites(ctx, people, open_request):
    neighbour = db.session.get(User, people.volunteers[0].id)
    with pytest.raises(MatchingError, match="niemand uitnodigen"):
        services.invitation_create(
            help_request=_get(open_request.id),
            volunteer_id=people.volunteers[1].id,
            by_user=neighbour,
            now=NOW,
        )


def test_withdrawing_closes_pending_invitations(ctx, people, open_request, outbox):
    _send(open_request.id)
    outbox.clear()
    listing_services.help_request_withdraw(
        help_request=_get(open_request.id), editor=db.session.get(User, people.requester.id)
    )
    assert {i.status for i in _invitations(open_request.id)} == {InvitationStatus.CLOSED}
    assert len(outbox) == 5 and all(s.startswith("Ingetrokken") for _, s, _ in outbox)
    with pytest.raises(MatchingError, match="niet meer open"):
        _send(open_request.id)


def test_sending_to_a_matched_request_is_refused(ctx, people, open_request, outbox):
    invitation = _send(open_request.id)[0]
    services.invitation_accept(
        invitation_id=invitation.id, volunteer_id=invitation.volunteer_id, now=NOW
    )
    with pytest.raises(MatchingError, match="al vergeven"):
        _send(open_request.id)


def test_a_failing_mail_server_does_not_undo_the_match(ctx, people, open_request, monkeypatch):
    def broken(**_):
        raise OSError("connection refused")

    monkeypatch.setattr("buurthulp.matching.notify.send_mail", broken)
    invitation = _send(open_request.id)[0]
    services.invitation_accept(
        invitation_id=invitation.id, volunteer_id=invitation.volunteer_id, now=NOW + timedelta(1)
    )
    assert _get(open_request.id).status == RequestStatus.MATCHED
