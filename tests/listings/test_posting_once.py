"""Posting a request or an offer is idempotent: the form's one-time token makes a re-sent
post (after a 503 whose COMMIT went through, a double click, two at the same moment) lead to
the listing already stored, with no second row, invitation or mail. On file SQLite and,
with TEST_DATABASE_URL, on PostgreSQL."""

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from buurthulp.extensions import db
from buurthulp.listings.models import HelpOffer, HelpRequest
from buurthulp.matching.models import Invitation
from tests.factories import Auth
from tests.listings.once_support import (
    answer_lost_after_commit,
    post_at_once,
    resend_fields,
    token_in,
)
from tests.listings.test_offer_views import form_data as offer_data
from tests.listings.test_request_views import form_data as request_data


@pytest.fixture
def outbox(monkeypatch):
    sent = []
    monkeypatch.setattr("buurthulp.matching.notify.send_mail", lambda **mail: sent.append(mail))
    return sent


@pytest.fixture
def volunteer_nearby(make, bert, initiative):
    """Bert offers help near Anna at any time, by car, so her request invites (and mails) him."""
    return make.help_offer(
        volunteer=bert, initiative=initiative, availability=(1 << 21) - 1, has_car=True
    )


def html_of(response) -> str:
    return response.get_data(as_text=True)


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def tokens(app, model) -> list:
    with app.app_context():
        return list(db.session.execute(select(model.submission_token)).scalars())


def fresh_request_form(client) -> dict:
    return {
        **request_data(),
        "submission_token": token_in(html_of(client.get("/hulpvragen/nieuw"))),
    }


def test_the_form_carries_a_new_token_each_time_it_is_shown(client, auth, anna):
    auth.login_direct(anna)
    first = token_in(html_of(client.get("/hulpvragen/nieuw")))
    second = token_in(html_of(client.get("/hulpvragen/nieuw")))
    assert first != second and len(first) >= 16


def test_a_re_sent_request_leads_to_the_stored_one(
    app, client, auth, anna, volunteer_nearby, outbox
):
    auth.login_direct(anna)
    data = fresh_request_form(client)
    first = client.post("/hulpvragen/nieuw", data=data)
    assert first.status_code == 303
    assert "Uw hulpvraag staat erop" in html_of(client.get(first.headers["Location"]))
    invited, mailed = count(app, Invitation), len(outbox)
    assert invited == 1 and mailed == 1  # the first post invited Bert: there is something to repeat

    again = client.post("/hulpvragen/nieuw", data=data, follow_redirects=True)
    assert again.status_code == 200
    assert again.request.path == first.headers["Location"]
    assert "Uw hulpvraag was al geplaatst." in html_of(again)
    assert "Uw hulpvraag staat erop" not in html_of(again)
    assert count(app, HelpRequest) == 1
    assert (count(app, Invitation), len(outbox)) == (invited, mailed)
    assert tokens(app, HelpRequest) == [data["submission_token"]]


def test_a_form_with_errors_keeps_its_token(app, client, auth, anna):
    auth.login_direct(anna)
    data = {**fresh_request_form(client), "title": ""}
    response = client.post("/hulpvragen/nieuw", data=data)
    assert response.status_code == 422
    assert token_in(html_of(response)) == data["submission_token"]
    assert client.post("/hulpvragen/nieuw", data={**data, "title": "Melk"}).status_code == 303
    assert tokens(app, HelpRequest) == [data["submission_token"]]


def test_a_post_without_a_token_works_as_before(app, client, auth, anna):
    """A page shown before this change has no token: it posts as it always did."""
    auth.login_direct(anna)
    for _ in range(2):
        assert client.post("/hulpvragen/nieuw", data=request_data()).status_code == 303
    assert count(app, HelpRequest) == 2


@pytest.mark.parametrize(
    "token", ["kort", "<script>alert(1)</script>-abcdefgh", "x" * 65, "y" * 20 + "\n"]
)
def test_a_malformed_token_is_replaced_not_stored(app, client, auth, anna, token):
    auth.login_direct(anna)
    response = client.post("/hulpvragen/nieuw", data={**request_data(), "submission_token": token})
    assert response.status_code == 303
    [stored] = tokens(app, HelpRequest)
    assert stored != token and len(stored) == 24
    errors = client.post("/hulpvragen/nieuw", data={"submission_token": token})
    assert errors.status_code == 422 and token_in(html_of(errors)) not in ("", token)


def test_someone_elses_token_never_leads_to_their_request(app, client, auth, anna, bert):
    auth.login_direct(anna)
    data = fresh_request_form(client)
    assert client.post("/hulpvragen/nieuw", data=data).status_code == 303
    other = app.test_client()
    Auth(other, auth.make).login_direct(bert)
    response = other.post("/hulpvragen/nieuw", data=data, follow_redirects=True)
    assert "Uw hulpvraag staat erop" in html_of(response)
    with app.app_context():
        rows = db.session.execute(select(HelpRequest.requester_id, HelpRequest.submission_token))
        assert sorted(rows.all()) == sorted([(anna.id, data["submission_token"]), (bert.id, None)])


def test_the_503_page_re_sends_the_token_and_nothing_is_stored_twice(app, client, auth, anna):
    """The COMMIT went through but its answer was lost (PostgreSQL restarted): the person
    sees the 503 page, presses "Opnieuw versturen", and lands on the request stored first."""
    auth.login_direct(anna)
    data = fresh_request_form(client)
    with answer_lost_after_commit(app):
        failed = client.post("/hulpvragen/nieuw", data=data)
    assert failed.status_code == 503
    page = html_of(failed)
    assert "Opnieuw versturen" in page
    fields = resend_fields(page)
    assert ("submission_token", data["submission_token"]) in fields
    assert count(app, HelpRequest) == 1  # stored, although the person was told to try again

    again = client.post("/hulpvragen/nieuw", data=MultiDict(fields), follow_redirects=True)
    assert again.status_code == 200
    assert "Uw hulpvraag was al geplaatst." in html_of(again)
    assert count(app, HelpRequest) == 1
    with app.app_context():
        [request_id] = db.session.execute(select(HelpRequest.id)).scalars()
    assert again.request.path == f"/hulpvragen/{request_id}"


def test_two_identical_requests_at_once_give_one(
    app, make, auth, monkeypatch, anna, volunteer_nearby, outbox
):
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        Auth(client, make).login_direct(anna)
    data = fresh_request_form(clients[0])
    responses = post_at_once(monkeypatch, clients, "/hulpvragen/nieuw", data)
    assert [r.status_code for r in responses] == [303, 303]
    assert len({r.headers["Location"] for r in responses}) == 1
    assert count(app, HelpRequest) == 1
    assert count(app, Invitation) == 1 and len(outbox) == 1
    flashes = [html_of(clients[n].get(r.headers["Location"])) for n, r in enumerate(responses)]
    assert sum("Uw hulpvraag was al geplaatst." in page for page in flashes) == 1


def test_a_re_sent_offer_leads_to_the_stored_one(app, client, auth, bert):
    auth.login_direct(bert)
    token = token_in(html_of(client.get("/hulpaanbod/nieuw")))
    data = {**offer_data(), "submission_token": token}
    first = client.post("/hulpaanbod/nieuw", data=data)
    assert first.status_code == 303
    again = client.post("/hulpaanbod/nieuw", data=data, follow_redirects=True)
    assert again.request.path == first.headers["Location"]
    assert "Uw hulpaanbod was al geplaatst." in html_of(again)
    assert count(app, HelpOffer) == 1


def test_two_identical_offers_at_once_give_one(app, make, auth, monkeypatch, bert):
    clients = [app.test_client() for _ in range(2)]
    for client in clients:
        Auth(client, make).login_direct(bert)
    token = token_in(html_of(clients[0].get("/hulpaanbod/nieuw")))
    data = {**offer_data(), "submission_token": token}
    responses = post_at_once(monkeypatch, clients, "/hulpaanbod/nieuw", data)
    assert [r.status_code for r in responses] == [303, 303]
    assert len({r.headers["Location"] for r in responses}) == 1
    assert count(app, HelpOffer) == 1


@pytest.mark.parametrize(
    ("make_listing", "url"),
    [("help_request", "/hulpvragen/{}/bewerken"), ("help_offer", "/hulpaanbod/{}/bewerken")],
)
def test_edit_pages_have_no_token(client, auth, make, anna, initiative, make_listing, url):
    auth.login_direct(anna)
    owner = "requester" if make_listing == "help_request" else "volunteer"
    listing = getattr(make, make_listing)(**{owner: anna, "initiative": initiative})
    assert 'name="submission_token"' not in html_of(client.get(url.format(listing.id)))
