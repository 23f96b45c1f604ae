"""Download my data, and delete my account (personal data gone, counts kept)."""

import json

import pytest

from buurthulp.accounts import services
from buurthulp.accounts.models import LoginSession, User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.listings.models import (
    Category,
    HelpOffer,
    HelpOfferCategory,
    HelpRequest,
    HelpResponse,
    RequestStatus,
)
from tests.accounts.helpers import add_response, error_messages, is_logged_in, text
from tests.factories import PASSWORD


@pytest.fixture
def world(make, app):
    """Me with a request, an offer and a response; a neighbour with the same."""
    initiative = make.initiative(name="Burenhulp Binnenstad Zwolle")
    me = make.user(
        initiative=initiative, email="anna@example.nl", house_number="12b", phone="0612345678"
    )
    neighbour = make.user(
        initiative=initiative,
        email="bert@example.nl",
        first_name="Bert",
        last_name="Bakker",
        postcode="8012AB",
        house_number="99",
        street_name="Assendorperstraat",
        phone="0698765432",
    )
    open_request = make.help_request(
        requester=me,
        initiative=initiative,
        category=Category.COMPUTER_HELP,
        title="Hulp met mijn tablet",
        description="Mijn kleinzoon woont ver weg.",
    )
    done_request = make.help_request(
        requester=me, initiative=initiative, title="Gras maaien", status=RequestStatus.DONE
    )
    make.help_offer(volunteer=me, initiative=initiative, title="Ik kook graag")
    their_request = make.help_request(
        requester=neighbour, initiative=initiative, title="Bert zoekt een lift"
    )
    make.help_offer(volunteer=neighbour, initiative=initiative, title="Bert klust")
    add_response(
        app, request_id=open_request.id, volunteer_id=neighbour.id, message="Groet, Bert 0698765432"
    )
    add_response(app, request_id=their_request.id, volunteer_id=me.id, message="Ik rijd je, Anna")
    return {
        "me": me,
        "neighbour": neighbour,
        "open": open_request,
        "done": done_request,
        "theirs": their_request,
    }


def test_download_is_a_json_attachment_with_all_my_data(client, auth, world):
    auth.login_as(world["me"])
    response = client.get("/mijn-gegevens/download")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.get_data(as_text=True))

    profile = data["profile"]
    assert profile["email"] == "anna@example.nl"
    assert (profile["house_number"], profile["postcode"], profile["phone"]) == (
        "12b",
        "8011AB",
        "0612345678",
    )
    assert "password_hash" not in profile
    assert data["memberships"] == [
        {
            "initiative": "Burenhulp Binnenstad Zwolle",
            "role": "resident",
            "street": "Diezerstraat",
            "since": data["memberships"][0]["since"],
        }
    ]
    requests = {r["title"]: r for r in data["help_requests"]}
    assert set(requests) == {"Hulp met mijn tablet", "Gras maaien"}
    assert requests["Hulp met mijn tablet"]["description"] == "Mijn kleinzoon woont ver weg."
    assert requests["Hulp met mijn tablet"]["category"] == "computer_help"
    assert requests["Hulp met mijn tablet"]["responses_received"] == 1
    assert [o["title"] for o in data["help_offers"]] == ["Ik kook graag"]
    assert data["help_offers"][0]["categories"] == ["groceries"]
    assert data["help_offers"][0]["availability"] == ["ma-ochtend", "ma-middag", "ma-avond"]
    assert [r["message"] for r in data["help_responses"]] == ["Ik rijd je, Anna"]
    assert len(data["login_sessions"]) == 1
    assert "token" not in json.dumps(data["login_sessions"])


def test_download_holds_nobody_elses_personal_data(client, auth, world):
    auth.login_as(world["me"])
    body = client.get("/mijn-gegevens/download").get_data(as_text=True)
    for theirs in (
        "bert@example.nl",
        "Bakker",
        "Bert",
        "0698765432",
        "Assendorperstraat",
        "8012AB",
    ):
        assert theirs not in body, theirs


def count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_user_delete_removes_personal_data_and_keeps_anonymous_counts(app, ctx, world):
    me = db.session.get(User, world["me"].id)
    services.user_delete(user=me, password=PASSWORD)
    db.session.expire_all()

    assert db.session.get(User, world["me"].id) is None
    assert db.session.execute(db.select(User.email)).scalars().all() == ["bert@example.nl"]
    assert count(Membership) == 1 and count(LoginSession) == 0

    opened = db.session.get(HelpRequest, world["open"].id)
    assert opened.requester_id is None
    assert (opened.title, opened.description, opened.street_name) == ("computerhulp", "", "")
    assert opened.status == RequestStatus.WITHDRAWN
    done = db.session.get(HelpRequest, world["done"].id)
    assert (done.title, done.status, done.requester_id) == (
        "boodschappen",
        RequestStatus.DONE,
        None,
    )
    theirs = db.session.get(HelpRequest, world["theirs"].id)
    assert (theirs.title, theirs.requester_id) == ("Bert zoekt een lift", world["neighbour"].id)

    assert db.session.execute(db.select(HelpOffer.title)).scalars().all() == ["Bert klust"]
    assert count(HelpOfferCategory) == 1
    responses = {r.request_id: r for r in db.session.scalars(db.select(HelpResponse))}
    assert len(responses) == 2, "both responses still count"
    mine = responses[world["theirs"].id]
    assert (mine.volunteer_id, mine.message) == (None, "")
    to_me = responses[world["open"].id]
    assert to_me.volunteer_id == world["neighbour"].id


def test_user_delete_needs_the_password(ctx, world):
    me = db.session.get(User, world["me"].id)
    with pytest.raises(services.AccountError):
        services.user_delete(user=me, password="Niet-mijn-wachtwoord-1")
    db.session.expire_all()
    assert db.session.get(User, world["me"].id) is not None


def test_delete_page_with_password_deletes_and_logs_out(app, client, auth, world):
    auth.login_as(world["me"])
    assert client.get("/mijn-gegevens/verwijderen").status_code == 200
    wrong = client.post("/mijn-gegevens/verwijderen", data={"password": "Niet-mijn-wachtwoord-1"})
    assert wrong.status_code == 422
    assert error_messages(wrong) == ["Het wachtwoord klopt niet."]

    response = client.post("/mijn-gegevens/verwijderen", data={"password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "Uw account en uw persoonlijke gegevens zijn verwijderd." in text(client.get("/"))
    assert not is_logged_in(client)
    assert auth.login("anna@example.nl").status_code == 422
    with app.app_context():
        assert db.session.get(User, world["me"].id) is None
