"""Live updates in headless Chromium: a message appears on the other person's open page and
the menu's unread count goes up, without a reload, under the strict CSP."""

import pytest
from playwright.sync_api import expect

from buurthulp.extensions import db, socketio
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.matching.models import Match
from tests.browser.actions import log_in
from tests.browser.test_flow import watch_console

pytestmark = pytest.mark.browser


@pytest.fixture
def live_socketio(live_server, monkeypatch):
    """Flask-SocketIO keeps one server per process, the last app's; tests in this worker
    made newer apps since the live server started, so point it back at the live one."""
    wsgi = live_server.app.wsgi_app
    while not hasattr(wsgi, "engineio_app"):  # under middleware such as SocketIOHeaders
        wsgi = wsgi.wsgi_app
    monkeypatch.setattr(socketio, "server", wsgi.engineio_app)
    return live_server


def _matched_pair(live_server):
    make = live_server.make
    initiative = make.initiative()
    anna = make.user(initiative=initiative, first_name="Anna", last_name="Verhoeven")
    bert = make.user(initiative=initiative, first_name="Bert", last_name="Jansen")
    help_request = make.help_request(requester=anna, initiative=initiative)
    with live_server.app.app_context():
        db.session.get(HelpRequest, help_request.id).status = RequestStatus.MATCHED
        match = Match(request_id=help_request.id, volunteer_id=bert.id)
        db.session.add(match)
        db.session.commit()
        return anna, bert, match.id


def test_message_arrives_live_and_the_count_goes_up(live_socketio, new_page):
    anna, bert, match_id = _matched_pair(live_socketio)
    anna_page, bert_page = new_page(), new_page()
    errors: list[str] = []
    watch_console(anna_page, errors)
    watch_console(bert_page, errors)
    conversation = f"/koppelingen/{match_id}/gesprek"
    log_in(anna_page, anna.email)
    log_in(bert_page, bert.email)
    anna_page.goto(conversation)
    bert_page.goto(conversation)

    anna_page.locator("textarea[name=body]").fill("Ik ben er zaterdag om tien uur.")
    anna_page.get_by_role("button", name="Versturen").click()

    bert_messages = bert_page.locator("#berichten")
    bert_messages.get_by_text("Ik ben er zaterdag om tien uur.").wait_for()
    assert "Anna V." in bert_messages.inner_text()
    anna_page.locator("#berichten").get_by_text("Ik ben er zaterdag om tien uur.").wait_for()
    assert anna_page.url.endswith(conversation)  # sent over the socket: no reload
    assert anna_page.locator("textarea[name=body]").input_value() == ""

    bert_page.goto("/mijn-hulp")
    counter = bert_page.locator("#meldingen-teller .count")
    assert counter.inner_text() == "1"  # the first message, counted by the server
    anna_page.locator("textarea[name=body]").fill("Zal ik brood meenemen?")
    anna_page.get_by_role("button", name="Versturen").click()
    expect(counter).to_have_text("2")  # (a string wait_for_function would break the CSP)
    assert errors == []
