"""A request stored by a POST whose connection died right after its COMMIT never had its
first round of invitations. Sending it again from the 503 page leads to the stored request
and starts that round, exactly once, also when re-sends race. On file SQLite and, with
TEST_DATABASE_URL, on PostgreSQL."""

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from buurthulp.accounts.models import User
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative
from buurthulp.listings.models import HelpRequest
from buurthulp.matching.models import Invitation
from buurthulp.moderation import services as moderation
from buurthulp.moderation.models import ModerationMode, ReviewState
from tests.factories import Auth
from tests.listings import test_posting_once
from tests.listings.once_support import answer_lost_after_commit, post_at_once, resend_fields
from tests.listings.test_posting_once import count, fresh_request_form, html_of

outbox = test_posting_once.outbox

URL = "/hulpvragen/nieuw"
ALL_WEEK = (1 << 21) - 1


@pytest.fixture
def volunteers(make, bert, initiative):
    """Bert (about 1 km from Anna) and Els (in her own area) offer help at any time, by car."""
    els = make.user(
        first_name="Els", postcode="8011AB", street_name="Sassenstraat", initiative=initiative
    )
    for volunteer in (bert, els):
        make.help_offer(
            volunteer=volunteer, initiative=initiative, availability=ALL_WEEK, has_car=True
        )
    return [bert, els]


def cut_off_post(app, client) -> MultiDict:
    """A post whose COMMIT went through but whose answer was lost: the request is stored,
    its first round never ran. Returns the 503 page's "Opnieuw versturen" fields."""
    with answer_lost_after_commit(app):
        failed = client.post(URL, data=fresh_request_form(client))
    assert failed.status_code == 503
    assert (count(app, HelpRequest), count(app, Invitation)) == (1, 0)
    return MultiDict(resend_fields(html_of(failed)))


def stored(app) -> HelpRequest:
    with app.app_context():
        return db.session.execute(select(HelpRequest)).scalar_one()


def invited(app) -> list[int]:
    with app.app_context():
        return sorted(db.session.execute(select(Invitation.volunteer_id)).scalars())


def listings_version(app, initiative) -> int:
    with app.app_context():
        return db.session.get(Initiative, initiative.id).listings_version


def mailed_to(outbox) -> list[str]:
    return sorted(mail["to"] for mail in outbox)


def test_a_re_send_starts_the_missed_first_round_once(
    app, client, auth, anna, initiative, volunteers, outbox
):
    auth.login_direct(anna)
    fields = cut_off_post(app, client)
    assert outbox == []
    version = listings_version(app, initiative)

    again = client.post(URL, data=fields)
    request_id = stored(app).id
    assert again.status_code == 303 and again.headers["Location"] == f"/hulpvragen/{request_id}"
    assert "Uw hulpvraag was al geplaatst." in html_of(client.get(again.headers["Location"]))
    assert invited(app) == sorted(v.id for v in volunteers)
    assert mailed_to(outbox) == sorted(v.email for v in volunteers)
    help_request = stored(app)
    assert help_request.match_round == 1 and help_request.last_invited_at is not None
    assert listings_version(app, initiative) == version  # nothing Dichtbij shows has changed

    # Pressed once more: the round ran, nothing new.
    assert client.post(URL, data=fields).status_code == 303
    assert invited(app) == sorted(v.id for v in volunteers) and len(outbox) == 2
    assert stored(app).match_round == 1


def test_two_re_sends_at_once_invite_each_volunteer_once(
    app, make, monkeypatch, anna, volunteers, outbox
):
    """Both re-sends find the stored request before either starts the round; then both
    start it at the same moment. The claim lets one through."""
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        Auth(client, make).login_direct(anna)
    fields = cut_off_post(app, clients[0])

    responses = post_at_once(monkeypatch, clients, URL, fields)
    assert [r.status_code for r in responses] == [303, 303]
    assert {r.headers["Location"] for r in responses} == {f"/hulpvragen/{stored(app).id}"}
    assert invited(app) == sorted(v.id for v in volunteers)
    assert mailed_to(outbox) == sorted(v.email for v in volunteers)
    assert stored(app).match_round == 1


def test_a_re_sent_request_awaiting_approval_invites_nobody(
    app, client, auth, anna, connector, initiative, volunteers, outbox
):
    """Like the first post: a request awaiting a moderator is invited for once approved."""
    with app.app_context():
        moderation.mode_set(
            initiative_id=initiative.id,
            mode=ModerationMode.PRE,
            actor=db.session.get(User, connector.id),
            now=utcnow(),
        )
    auth.login_direct(anna)
    fields = cut_off_post(app, client)
    assert client.post(URL, data=fields).status_code == 303
    help_request = stored(app)
    assert help_request.review_state == ReviewState.PENDING
    assert (invited(app), outbox, help_request.match_round) == ([], [], 0)
    with app.app_context():
        moderation.post_approve(
            listing=db.session.get(HelpRequest, help_request.id),
            actor=db.session.get(User, connector.id),
            now=utcnow(),
        )
    assert invited(app) == sorted(v.id for v in volunteers)
    assert client.post(URL, data=fields).status_code == 303
    assert len(outbox) == 2
