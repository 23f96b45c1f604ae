"""After the match: done with hours and feedback from both sides, cancel and no-show reopen
the request, and a weekly request's next occurrence asks the same volunteer first."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, Recurrence, RequestStatus
from buurthulp.matching import lifecycle, services
from buurthulp.matching.models import Invitation, InvitationStatus, Match, MatchStatus
from buurthulp.matching.services import MatchingError
from tests.matching import flow_support
from tests.matching.flow_support import NOW

people, open_request, outbox = flow_support.people, flow_support.open_request, flow_support.outbox
LATER = NOW + timedelta(days=1)


def _user(person) -> User:
    return db.session.get(User, person.id)


@pytest.fixture
def match(ctx, people, open_request, outbox):
    invitations = services.invitations_send(
        help_request=db.session.get(HelpRequest, open_request.id), now=NOW
    )
    first = invitations[0]
    made = services.invitation_accept(
        invitation_id=first.id, volunteer_id=first.volunteer_id, now=NOW
    )
    outbox.clear()
    return made


def _request(match: Match) -> HelpRequest:
    return db.session.get(HelpRequest, match.request_id)


def test_both_sides_complete_with_hours_and_feedback(people, match):
    volunteer, requester = _user(people.volunteers[0]), _user(people.requester)
    done = lifecycle.match_complete(
        match_id=match.id, by_user=volunteer, hours=1.5, feedback="Fijn gedaan", now=LATER
    )
    assert (done.status, done.hours, done.volunteer_feedback) == (
        MatchStatus.DONE,
        1.5,
        "Fijn gedaan",
    )
    assert done.closed_at == LATER and _request(match).status == RequestStatus.DONE
    done = lifecycle.match_complete(
        match_id=match.id, by_user=requester, hours=2, feedback="Dank je wel!", now=LATER
    )
    # The volunteer's hours stand; the requester adds her feedback.
    assert (done.hours, done.requester_feedback) == (1.5, "Dank je wel!")
    with pytest.raises(MatchingError, match="al afgerond"):
        lifecycle.match_complete(
            match_id=match.id, by_user=requester, hours=2, feedback="", now=LATER
        )


@pytest.mark.parametrize("hours", [0, 0.2, 24.5, -1, None])
def test_hours_out_of_range(people, match, hours):
    with pytest.raises(MatchingError, match="tussen 0,25 en 24") as raised:
        lifecycle.match_complete(
            match_id=match.id, by_user=_user(people.requester), hours=hours, feedback="", now=LATER
        )
    assert raised.value.field == "hours"
    assert db.session.get(Match, match.id).status == MatchStatus.ACCEPTED


def test_feedback_too_long(people, match):
    with pytest.raises(MatchingError, match="korter") as raised:
        lifecycle.match_complete(
            match_id=match.id,
            by_user=_user(people.requester),
            hours=1,
            feedback="x" * 1001,
            now=LATER,
        )
    assert raised.value.field == "feedback"


def test_only_the_two_people_can_touch_the_match(people, match):
    stranger = _user(people.volunteers[1])
    with pytest.raises(MatchingError, match="bestaat niet"):
        lifecycle.match_complete(
            match_id=match.id, by_user=stranger, hours=1, feedback="", now=LATER
        )
    with pytest.raises(MatchingError, match="bestaat niet"):
        lifecycle.match_cancel(match_id=match.id, by_user=stranger, reason="weg", now=LATER)


@pytest.mark.parametrize(
    ("end", "status"),
    [
        (lifecycle.match_cancel, MatchStatus.CANCELLED),
        (lifecycle.match_no_show, MatchStatus.NO_SHOW),
    ],
)
def test_cancel_and_no_show_reopen_and_invite_others(people, match, outbox, end, status):
    ended = end(match_id=match.id, by_user=_user(people.requester), reason="Ziek", now=LATER)
    assert (ended.status, ended.close_reason, ended.closed_at) == (status, "Ziek", LATER)
    request = _request(match)
    assert request.status == RequestStatus.OPEN and request.match_round == 2
    new = (
        db.session.execute(
            select(Invitation).where(Invitation.request_id == request.id, Invitation.round == 2)
        )
        .scalars()
        .all()
    )
    # Everyone not asked before: the two left of the seven, never the one who had it.
    assert {i.volunteer_id for i in new} == {v.id for v in people.volunteers[5:]}
    assert outbox[0][0] == "vrijwilliger0@example.nl" and outbox[0][1].startswith("Gaat niet door")
    # It can be matched again.
    again = services.invitation_accept(
        invitation_id=new[0].id, volunteer_id=new[0].volunteer_id, now=LATER
    )
    assert again.status == MatchStatus.ACCEPTED and _request(match).status == RequestStatus.MATCHED
    with pytest.raises(MatchingError, match="al beëindigd"):
        end(match_id=match.id, by_user=_user(people.requester), reason="Nog eens", now=LATER)


def test_cancel_needs_a_reason(people, match):
    with pytest.raises(MatchingError, match="waarom") as raised:
        lifecycle.match_cancel(
            match_id=match.id, by_user=_user(people.volunteers[0]), reason="  ", now=LATER
        )
    assert raised.value.field == "reason"


def test_completed_match_cannot_be_cancelled(people, match):
    volunteer = _user(people.volunteers[0])
    lifecycle.match_complete(match_id=match.id, by_user=volunteer, hours=1, feedback="", now=LATER)
    with pytest.raises(MatchingError, match="al beëindigd"):
        lifecycle.match_cancel(match_id=match.id, by_user=volunteer, reason="Toch niet", now=LATER)


def test_weekly_next_occurrence_invites_the_same_volunteer_first(people, match, outbox):
    previous = _request(match)
    previous.recurrence = Recurrence.WEEKLY
    db.session.commit()
    new = lifecycle.weekly_next_occurrence(help_request=previous, now=LATER)
    assert new.previous_request_id == previous.id and new.status == RequestStatus.OPEN
    assert (new.title, new.flexible_days, new.recurrence) == (
        previous.title,
        previous.flexible_days,
        Recurrence.WEEKLY,
    )
    invitations = (
        db.session.execute(select(Invitation).where(Invitation.request_id == new.id))
        .scalars()
        .all()
    )
    assert [(i.volunteer_id, i.rank, i.status) for i in invitations] == [
        (people.volunteers[0].id, 1, InvitationStatus.PENDING)
    ]
    assert (new.match_round, new.last_invited_at) == (1, LATER)
    assert [to for to, _, _ in outbox] == ["vrijwilliger0@example.nl"]
    # The scheduler may run again: nothing more happens.
    assert lifecycle.weekly_next_occurrence(help_request=previous, now=LATER) is None


def test_weekly_with_a_date_moves_a_week(make, people, outbox, ctx):
    request = make.help_request(
        requester=people.requester, initiative=people.initiative, recurrence=Recurrence.WEEKLY
    )
    request = db.session.get(HelpRequest, request.id)
    new = lifecycle.weekly_next_occurrence(help_request=request, now=NOW)
    assert new.on_date == request.on_date + timedelta(days=7)
    # No previous volunteer: a normal first round.
    assert new.match_round == 1 and len(outbox) == 5


def test_only_weekly_requests_recur(people, match):
    with pytest.raises(MatchingError, match="wekelijkse"):
        lifecycle.weekly_next_occurrence(help_request=_request(match), now=LATER)
