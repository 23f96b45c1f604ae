"""Escalation with explicit clocks: a wider round when nobody accepted in time, then a flag."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.matching import services
from buurthulp.matching.escalation import escalate_due
from buurthulp.matching.models import Invitation, MatchingSettings
from tests.matching import flow_support
from tests.matching.flow_support import NOW

people, open_request, outbox = flow_support.people, flow_support.open_request, flow_support.outbox
WAIT = timedelta(minutes=240)  # the default escalate_after_minutes


def _request(request_id: int) -> HelpRequest:
    db.session.expire_all()
    return db.session.get(HelpRequest, request_id)


def _invited(request_id: int) -> int:
    query = select(func.count(Invitation.id)).where(Invitation.request_id == request_id)
    return db.session.execute(query).scalar_one()


@pytest.fixture
def sent(ctx, people, open_request, outbox):
    """Round 1 sent at NOW, to the nearest 2 (batch size 2, so later rounds find more)."""
    db.session.add(MatchingSettings(initiative_id=people.initiative.id, batch_size=2))
    db.session.commit()
    services.invitations_send(help_request=_request(open_request.id), now=NOW)
    return open_request.id


def test_nothing_before_the_time(sent):
    assert escalate_due(now=NOW + WAIT - timedelta(seconds=1)) == {"widened": [], "flagged": []}
    assert _request(sent).match_round == 1 and _invited(sent) == 2


def test_next_round_wider_and_idempotent(sent):
    later = NOW + WAIT
    assert escalate_due(now=later) == {"widened": [sent], "flagged": []}
    request = _request(sent)
    assert (request.match_round, request.radius_km, request.last_invited_at) == (2, 4.0, later)
    assert _invited(sent) == 4
    # Run twice at the same moment: nothing more.
    assert escalate_due(now=later) == {"widened": [], "flagged": []}
    assert _invited(sent) == 4


def test_after_the_last_round_the_request_needs_attention(sent):
    clock = NOW
    for expected_round in (2, 3):
        clock += WAIT
        assert escalate_due(now=clock)["widened"] == [sent]
        assert _request(sent).match_round == expected_round
    clock += WAIT
    assert escalate_due(now=clock) == {"widened": [], "flagged": [sent]}
    request = _request(sent)
    assert request.needs_attention and request.match_round == 3 and request.radius_km == 6.0
    assert escalate_due(now=clock + 10 * WAIT) == {"widened": [], "flagged": []}


def test_settings_per_initiative(sent, people):
    settings = db.session.get(MatchingSettings, people.initiative.id)
    settings.escalate_after_minutes, settings.max_rounds, settings.radius_step_km = 30, 1, 5.0
    db.session.commit()
    assert escalate_due(now=NOW + timedelta(minutes=29))["flagged"] == []
    assert escalate_due(now=NOW + timedelta(minutes=30))["flagged"] == [sent]


def test_accepted_requests_are_left_alone(sent):
    invitation = db.session.execute(select(Invitation)).scalars().first()
    services.invitation_accept(
        invitation_id=invitation.id, volunteer_id=invitation.volunteer_id, now=NOW
    )
    assert escalate_due(now=NOW + 10 * WAIT) == {"widened": [], "flagged": []}
    request = _request(sent)
    assert request.status == RequestStatus.MATCHED and not request.needs_attention


def test_a_match_clears_the_flag(sent):
    _request(sent).needs_attention = True
    db.session.commit()
    invitation = db.session.execute(select(Invitation)).scalars().first()
    services.invitation_accept(
        invitation_id=invitation.id, volunteer_id=invitation.volunteer_id, now=NOW
    )
    assert not _request(sent).needs_attention


def test_requests_never_invited_are_not_escalated(ctx, people, open_request):
    """Widening needs a round that happened; a missed first round is first_rounds_due's
    (tests/scheduler/test_weekly_and_escalation.py)."""
    assert escalate_due(now=NOW + 100 * WAIT) == {"widened": [], "flagged": []}
