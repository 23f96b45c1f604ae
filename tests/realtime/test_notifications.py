"""Every matcher notice is also an in-app notification; Mededelingen lists them and the menu
counts the unread ones, without JavaScript."""

import re
from datetime import timedelta

from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest
from buurthulp.matching import lifecycle, services
from buurthulp.realtime import stream
from buurthulp.realtime.models import Event
from tests.matching import flow_support
from tests.matching.flow_support import NOW
from tests.realtime.conftest import events_of, socket_client

people, open_request, outbox = flow_support.people, flow_support.open_request, flow_support.outbox


def _events(user_id: int) -> list[Event]:
    query = select(Event).where(Event.user_id == user_id).order_by(Event.id)
    return list(db.session.execute(query).scalars())


def test_matcher_notices_become_notifications_as_well_as_mail(ctx, people, open_request, outbox):
    help_request = db.session.get(HelpRequest, open_request.id)
    invited = services.invitations_send(help_request=help_request, now=NOW)
    first, second = invited[0].volunteer_id, invited[1].volunteer_id
    assert [e.kind for e in _events(first)] == ["invitation"]
    assert _events(first)[0].title == outbox[0][1]  # the mail's subject

    match = services.invitation_accept(invitation_id=invited[0].id, volunteer_id=first, now=NOW)
    anna = _events(people.requester.id)
    assert [(e.kind, e.data["match_id"]) for e in anna] == [("request_accepted", match.id)]
    assert "Vrijwilliger0 J." in anna[0].body
    assert [e.kind for e in _events(second)] == ["invitation", "invitation_closed"]

    lifecycle.match_cancel(match_id=match.id, by_user=people.requester, reason="Ziek", now=NOW)
    assert _events(first)[-1].kind == "match_closed"
    assert len(outbox) == sum(len(_events(v.id)) for v in [people.requester, *people.volunteers])


def test_a_notice_is_pushed_live_to_an_open_page(app, client, auth, people, open_request, outbox):
    auth.login_as(people.volunteers[0])
    socket = socket_client(app, client)
    with app.app_context():
        help_request = db.session.get(HelpRequest, open_request.id)
        services.invitations_send(help_request=help_request, now=NOW)
    received = events_of(socket)
    assert [e["kind"] for e in received] == ["invitation"]
    assert received[0]["data"] == {"request_id": open_request.id}


def test_meldingen_page_lists_and_marks_read(app, client, auth, pair):
    auth.login_as(pair.requester)
    with app.app_context():
        stream.push(pair.requester.id, "invitation", {}, title="Kunt u helpen?", body="Een buur")
        stream.push(pair.requester.id, "message", {"match_id": pair.match_id}, title="Bericht")
        stream.push(pair.requester.id, "message", {"match_id": pair.match_id})  # no title
    home = client.get("/mijn-hulp").get_data(as_text=True)
    assert 'id="meldingen-teller"> <span class="count">2</span>' in home
    page = client.get("/mededelingen").get_data(as_text=True)
    assert page.index("Bericht") < page.index("Kunt u helpen?")  # newest first
    assert f'href="/koppelingen/{pair.match_id}/gesprek"' in page
    assert page.count("card-new") == 2
    again = client.get("/mededelingen").get_data(as_text=True)
    assert "card-new" not in again
    assert 'id="meldingen-teller" hidden' in again


def test_mededelingen_shows_only_my_own(app, client, auth, pair):
    with app.app_context():
        stream.push(pair.volunteer.id, "notice", {}, title="Alleen voor Bert")
    auth.login_as(pair.requester)
    page = client.get("/mededelingen").get_data(as_text=True)
    assert "Alleen voor Bert" not in page
    assert "U heeft nog geen mededelingen." in page


def test_moderation_queue_change_reaches_connectors_and_coordinators(app, make):
    from buurthulp.initiatives.models import Role

    initiative = make.initiative()
    connector = make.user(initiative=initiative, role=Role.CONNECTOR)
    coordinator = make.user(initiative=initiative, role=Role.COORDINATOR)
    resident = make.user(initiative=initiative)
    elsewhere = make.user(initiative=make.initiative(), role=Role.CONNECTOR)
    with app.app_context():
        stream.moderation_queue_changed(initiative_id=initiative.id, pending=3)
        told = {e.user_id: e for e in db.session.execute(select(Event)).scalars()}
    assert set(told) == {connector.id, coordinator.id}
    assert resident.id not in told and elsewhere.id not in told
    assert told[connector.id].data == {"initiative_id": initiative.id, "pending": 3}
    assert told[connector.id].title == ""  # a panel update, not a notification


def test_pages_load_the_vendored_client_without_inline_script(app, client, auth, pair):
    anonymous = client.get("/").get_data(as_text=True)
    assert "socket.io.min.js" not in anonymous
    auth.login_as(pair.requester)
    page = client.get("/mijn-hulp").get_data(as_text=True)
    versioned = r'<script src="/static/{}\?v=[0-9a-f]{{10}}" defer></script>'
    assert re.search(versioned.format(r"vendor/socket\.io/socket\.io\.min\.js"), page)
    assert re.search(versioned.format(r"js/realtime\.js"), page)
    assert "<script>" not in page
    vendored = client.get("/static/vendor/socket.io/socket.io.min.js")
    assert vendored.status_code == 200 and b"Socket.IO v4" in vendored.data
    vendored.close()
    licence = client.get("/static/vendor/socket.io/LICENSE")
    assert b"MIT License" in licence.data
    licence.close()


def test_completing_a_match_tells_the_other_side_in_the_app_only(ctx, pair, outbox):
    lifecycle.match_complete(
        match_id=pair.match_id, by_user=pair.volunteer, hours=1.5, feedback="", now=NOW
    )
    told = _events(pair.requester.id)
    assert [(e.kind, e.data["match_id"]) for e in told] == [("match_closed", pair.match_id)]
    assert "Bert J." in told[0].body
    assert _events(pair.volunteer.id) == []
    assert outbox == []
    # The second side adding feedback does not close it again.
    lifecycle.match_complete(
        match_id=pair.match_id, by_user=pair.requester, hours=1.5, feedback="Fijn", now=NOW
    )
    assert _events(pair.volunteer.id) == []


def test_events_prune_removes_only_older_events(ctx, pair):
    old = stream.push(pair.requester.id, "notice", {}, title="Oud")
    new = stream.push(pair.requester.id, "notice", {}, title="Nieuw")
    db.session.get(Event, old.id).created_at = NOW - timedelta(days=400)
    db.session.get(Event, new.id).created_at = NOW
    db.session.commit()
    assert stream.events_prune(older_than=NOW - timedelta(days=365)) == 1
    assert [e.id for e in _events(pair.requester.id)] == [new.id]
