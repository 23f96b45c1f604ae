"""The Socket.IO handshake and handlers: logged-in only, same origin only, per-user rooms,
and a reconnect that replays exactly what was missed."""

from buurthulp.accounts.login_sessions import sessions_end_all
from buurthulp.extensions import db
from buurthulp.realtime import stream
from buurthulp.realtime.models import ConversationMessage, Event
from tests.realtime.conftest import events_of, socket_client

POLLING = "/socket.io/?EIO=4&transport=polling"


def test_anonymous_handshake_is_refused(app, client):
    socket = socket_client(app, client)
    assert not socket.is_connected()


def test_logged_in_user_connects_and_gets_only_their_own_events(app, client, auth, pair):
    auth.login_as(pair.requester)
    socket = socket_client(app, client)
    assert socket.is_connected()
    with app.app_context():
        stream.push(pair.volunteer.id, "notice", {"n": 1}, title="Voor Bert")
        mine = stream.push(pair.requester.id, "notice", {"n": 2}, title="Voor Anna")
    received = events_of(socket)
    assert [e["id"] for e in received] == [mine.id]
    assert received[0]["title"] == "Voor Anna" and received[0]["data"] == {"n": 2}


def test_a_logged_out_session_is_refused(app, client, auth, pair):
    auth.login_as(pair.requester)
    with client.session_transaction() as session:
        old_cookie_session = dict(session)
    auth.logout()
    with client.session_transaction() as session:
        session.update(old_cookie_session)  # a copied cookie from before the logout
    assert not socket_client(app, client).is_connected()


def test_every_event_rechecks_the_login_session(app, client, auth, pair):
    auth.login_as(pair.requester)
    socket = socket_client(app, client)
    assert socket.is_connected()
    with app.app_context():
        sessions_end_all(user_id=pair.requester.id)  # logged out on another device
        db.session.commit()
    answer = socket.emit(
        "send_message",
        {"match_id": pair.match_id, "body": "Hallo", "client_key": "k" * 20},
        callback=True,
    )
    assert answer == {"ok": False, "error": "login required"}
    assert not socket.is_connected()
    with app.app_context():
        assert db.session.query(ConversationMessage).count() == 0


def test_reconnect_replays_exactly_the_missed_events_in_order(app, client, auth, pair):
    auth.login_as(pair.requester)
    with app.app_context():
        seen = [stream.push(pair.requester.id, "notice", {"n": n}).id for n in range(3)]
    socket = socket_client(app, client, auth={"last_id": seen[-1]})
    assert events_of(socket) == []
    socket.disconnect()
    with app.app_context():
        missed = [stream.push(pair.requester.id, "notice", {"n": n}).id for n in range(3, 7)]
        stream.push(pair.volunteer.id, "notice", {"n": 99})  # someone else's
    socket = socket_client(app, client, auth={"last_id": seen[-1]})
    replayed = events_of(socket)
    assert [e["id"] for e in replayed] == missed
    assert [e["data"]["n"] for e in replayed] == [3, 4, 5, 6]
    with app.app_context():
        live = stream.push(pair.requester.id, "notice", {"n": 7}).id
    assert [e["id"] for e in events_of(socket)] == [live]  # no repeats of the replay


def test_a_fresh_page_without_last_id_gets_no_replay(app, client, auth, pair):
    auth.login_as(pair.requester)
    with app.app_context():
        stream.push(pair.requester.id, "notice", {})
    for auth_data in (None, {}, {"last_id": "abc"}, {"last_id": -5}, "junk"):
        socket = socket_client(app, client, auth=auth_data)
        assert socket.is_connected()
        assert events_of(socket) == []
        socket.disconnect()


def test_cross_origin_handshake_is_refused(app, client, auth, pair):
    auth.login_as(pair.requester)
    evil = client.get(POLLING, headers={"Origin": "https://evil.example"})
    assert evil.status_code == 400
    same = client.get(POLLING, headers={"Origin": "http://localhost"})
    assert same.status_code == 200
    assert same.get_data(as_text=True).startswith("0{")  # the engine.io open packet


def test_configured_base_url_is_the_only_allowed_origin(make_app, database_url):
    app = make_app(database_url, SERVER_BASE_URL="https://buurthulp.example.nl")
    client = app.test_client()
    headers = {"Origin": "https://buurthulp.example.nl"}
    assert client.get(POLLING, headers=headers).status_code == 200
    assert client.get(POLLING, headers={"Origin": "http://localhost"}).status_code == 400


def test_sync_brings_what_a_page_missed(app, client, auth, pair):
    user = pair.requester
    auth.login_as(user)
    page = socket_client(app, client)
    with app.app_context():
        seen = stream.push(user.id, "notice", {"n": 0}).id
        events_of(page)
        # Stored by another process whose emit did not get through (Redis down, say).
        missed = [Event(user_id=user.id, kind="notice", data={"n": n}) for n in (1, 2)]
        db.session.add_all(missed)
        db.session.commit()
        missed_ids = [e.id for e in missed]
    assert events_of(page) == []
    answer = page.emit("sync", {"last_id": seen}, callback=True)
    assert answer == {"ok": True, "replayed": 2}
    assert [e["id"] for e in events_of(page)] == missed_ids
    assert page.emit("sync", {"last_id": "junk"}, callback=True)["ok"] is False
