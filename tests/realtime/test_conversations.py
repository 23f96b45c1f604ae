"""The conversation of a match: only its two people, stored once per client key, live."""

import pytest
from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.matching.models import Match, MatchStatus
from buurthulp.realtime import conversations
from buurthulp.realtime.models import ConversationMessage, Event
from tests.realtime.conftest import events_of, socket_client

KEY = "sleutel-0123456789"


def _messages() -> list[ConversationMessage]:
    query = select(ConversationMessage).order_by(ConversationMessage.id)
    return list(db.session.execute(query).scalars())


def _url(pair) -> str:
    return f"/koppelingen/{pair.match_id}/gesprek"


def test_form_post_stores_once_even_when_sent_twice(app, client, auth, pair):
    auth.login_as(pair.requester)
    data = {"body": "Zaterdag om tien uur?", "client_key": KEY}
    first = client.post(_url(pair), data=data)
    again = client.post(_url(pair), data=data)  # the browser retried
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    with app.app_context():
        stored = _messages()
        assert [(m.body, m.sender_id) for m in stored] == [
            ("Zaterdag om tien uur?", pair.requester.id)
        ]
        # One notification for Bert, not two.
        told = select(Event).where(Event.user_id == pair.volunteer.id, Event.title != "")
        assert len(db.session.execute(told).scalars().all()) == 1


def test_history_shows_on_open_for_the_other_side(app, client, auth, pair):
    auth.login_as(pair.requester)
    client.post(_url(pair), data={"body": "Zaterdag om tien uur?", "client_key": KEY})
    auth.logout()
    auth.login_as(pair.volunteer)
    page = client.get(_url(pair)).get_data(as_text=True)
    assert "Zaterdag om tien uur?" in page
    assert "Anna V." in page
    assert pair.requester.email not in page


def test_the_same_key_from_the_other_person_is_a_different_message(ctx, pair):
    for sender in (pair.requester, pair.volunteer):
        conversations.message_post(
            match_id=pair.match_id, sender=sender, body="Hoi", client_key=KEY
        )
    assert len(_messages()) == 2


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
def test_only_the_two_people_may_read_or_post(app, client, auth, pair, who):
    if who == "outsider":
        auth.login_as(pair.outsider)
    page = client.get(_url(pair))
    posted = client.post(_url(pair), data={"body": "Ik lees mee", "client_key": KEY})
    if who == "outsider":
        assert page.status_code == posted.status_code == 404
    else:
        assert page.status_code == posted.status_code == 302  # to the login page
    with app.app_context():
        assert _messages() == []


def test_outsider_cannot_post_over_the_socket(app, client, auth, pair):
    auth.login_as(pair.outsider)
    socket = socket_client(app, client)
    answer = socket.emit(
        "send_message", {"match_id": pair.match_id, "body": "Hoi", "client_key": KEY}, callback=True
    )
    assert answer["ok"] is False
    with app.app_context():
        assert _messages() == []


def test_socket_message_reaches_both_pages_live(app, client, auth, pair, make):
    other_client = app.test_client()
    auth.login_as(pair.volunteer)
    bert = socket_client(app, client)
    from tests.factories import Auth

    Auth(other_client, make).login_as(pair.requester)
    anna = socket_client(app, other_client)
    payload = {"match_id": pair.match_id, "body": "Ik kom om tien uur", "client_key": KEY}
    answer = anna.emit("send_message", payload, callback=True)
    assert answer["ok"] is True
    assert anna.emit("send_message", payload, callback=True) == answer  # retried: same message
    to_bert = events_of(bert)
    to_anna = events_of(anna)
    assert [e["data"]["text"] for e in to_bert] == ["Ik kom om tien uur"]
    assert to_bert[0]["title"] == "Nieuw bericht van Anna V."
    assert [e["title"] for e in to_anna] == [""]  # her own copy: no notification


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Schrijf eerst een bericht."), ("x" * 2001, "Maak het bericht korter")],
)
def test_bad_message_is_refused_with_input_kept(app, client, auth, pair, body, message):
    auth.login_as(pair.requester)
    response = client.post(_url(pair), data={"body": body, "client_key": KEY})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page
    assert KEY in page  # the retry keeps its key
    if body:
        assert body in page
    with app.app_context():
        assert _messages() == []


def test_no_posting_after_the_match_stopped(app, client, auth, pair):
    with app.app_context():
        db.session.get(Match, pair.match_id).status = MatchStatus.CANCELLED
        db.session.commit()
    auth.login_as(pair.requester)
    assert client.get(_url(pair)).status_code == 200
    response = client.post(_url(pair), data={"body": "Nog één ding", "client_key": KEY})
    assert response.status_code == 422
    assert "niet meer schrijven" in response.get_data(as_text=True)
    with app.app_context():
        assert _messages() == []


def test_simultaneous_duplicate_sends_are_stored_once(ctx, pair, monkeypatch):
    """Two sends raced past the lookup: the unique constraint keeps one, both get it."""
    first = conversations.message_post(
        match_id=pair.match_id, sender=pair.requester, body="Hoi", client_key=KEY
    )
    monkeypatch.setattr(conversations, "_existing", _missed_once(conversations._existing))
    second = conversations.message_post(
        match_id=pair.match_id, sender=pair.requester, body="Hoi", client_key=KEY
    )
    assert second.id == first.id
    assert len(_messages()) == 1


def _missed_once(lookup):
    calls = []

    def lookup_that_misses_first(*args):
        calls.append(args)
        return None if len(calls) == 1 else lookup(*args)

    return lookup_that_misses_first


def test_a_burst_of_messages_is_slowed_down_for_both_paths(app, client, auth, pair):
    with app.app_context():
        sender = db.session.get(Match, pair.match_id).volunteer
        for n in range(conversations.BURST_MAX):
            conversations.message_post(
                match_id=pair.match_id, sender=sender, body=f"Bericht {n}", client_key=f"k-{n:08}"
            )
        with pytest.raises(conversations.ConversationError) as error:
            conversations.message_post(
                match_id=pair.match_id, sender=sender, body="Nog een", client_key="k-extra-1"
            )
        assert "Wacht even" in str(error.value)
        # The other person can still answer, and a retry of a stored message still works.
        anna = db.session.get(Match, pair.match_id).request.requester
        conversations.message_post(
            match_id=pair.match_id, sender=anna, body="Rustig aan!", client_key="k-anna-01"
        )
        again = conversations.message_post(
            match_id=pair.match_id, sender=sender, body="Bericht 0", client_key="k-00000000"
        )
        assert again.body == "Bericht 0"
    auth.login_as(pair.volunteer)
    response = client.post(
        _url(pair), data={"body": "Via het formulier", "client_key": "k-form-01"}
    )
    assert response.status_code == 422
    assert "Wacht even" in response.get_data(as_text=True)
    assert "Via het formulier" in response.get_data(as_text=True)
