"""Every listings form under hostile input: never a 500, and a script always rendered escaped."""

import re
from datetime import timedelta

import pytest

from buurthulp.extensions import db
from buurthulp.listings.availability import slot_key
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import HelpOffer, HelpRequest, HelpResponse

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
BIG = "x" * 100 * 1024
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
VALUES = {
    "empty": "",
    "big": BIG,
    "unicode": "Zoë 🚲 ß 中文 \u202eomgekeerd",
    "script": SCRIPT,
    "word": "abc",
    "negative": "-1",
    "float_overflow": "1e309",
    "huge_int": "9" * 5000,
    "nul": "a\x00b",
    "bad_date": "9999-99-99",
    "space": " ",
    "list": ["1", "<b>2</b>"],
}

REQUEST = {
    "title": "Boodschappen",
    "description": "Melk en brood",
    "category": "groceries",
    "when": "fixed",
    "on_date": (local_today() + timedelta(days=2)).isoformat(),
    "time_from": "10:00",
    "time_until": "12:00",
    "flexible_days": "",
    "urgency": "normal",
    "recurrence": "once",
    "needs_car": "y",
}
OFFER = {
    "title": "Ik doe boodschappen",
    "description": "Op maandag",
    "categories": ["groceries", "garden"],
    "availability": [slot_key(0, 0), slot_key(4, 2)],
    "max_distance_km": "2",
    "has_car": "y",
    "paused_until": "",
}
HELP = {"message": "Ik kan zaterdag."}


@pytest.fixture
def targets(make, anna, bert, initiative):
    """URL -> valid data, for each listings POST form, posted as Bert."""
    request = make.help_request(requester=anna, initiative=initiative)
    own_request = make.help_request(requester=bert, initiative=initiative)
    own_offer = make.help_offer(volunteer=bert, initiative=initiative)
    return {
        "/hulpvragen/nieuw": REQUEST,
        f"/hulpvragen/{own_request.id}/bewerken": REQUEST,
        f"/hulpvragen/{request.id}/helpen": HELP,
        "/hulpaanbod/nieuw": OFFER,
        f"/hulpaanbod/{own_offer.id}/bewerken": OFFER,
    }


def check(response, value):
    assert response.status_code in (200, 303, 422), response.status_code
    html = response.get_data(as_text=True)
    assert SCRIPT not in html
    assert "<b>2</b>" not in html
    return html


# One field at a time is 40-odd posts per value: the values that take different paths.
ALONE = ["empty", "big", "unicode", "script", "word", "huge_int", "nul", "list"]


@pytest.mark.parametrize("kind", ALONE)
def test_every_field_alone(client, auth, bert, targets, kind):
    value = VALUES[kind]
    auth.login_direct(bert)
    for url, valid in targets.items():
        for name in valid:
            response = client.post(url, data={**valid, name: value})
            html = check(response, value)
            if (
                kind == "script"
                and response.status_code == 422
                and name in ("title", "description")
            ):
                assert ESCAPED in html, (url, name)


@pytest.mark.parametrize("kind", list(VALUES))
def test_every_field_at_once(client, auth, bert, targets, kind):
    value = VALUES[kind]
    auth.login_direct(bert)
    for url, valid in targets.items():
        response = client.post(url, data=dict.fromkeys(valid, value))
        check(response, value)
        # A help message may be empty, and a list's first value is a fine message.
        if kind == "big" or (kind in ("empty", "list") and valid is not HELP):
            assert response.status_code == 422, (url, kind)


def test_control_characters_never_reach_the_database(client, app, auth, bert, targets):
    auth.login_direct(bert)
    for url, valid in targets.items():
        data = dict(valid)
        data.update(title="Boodschappen\x00\x07", description="a\x00b", message="ja\x0b")
        assert client.post(url, data=data).status_code in (303, 422)
    with app.app_context():
        texts = [
            text
            for query in (
                db.select(HelpRequest.title, HelpRequest.description),
                db.select(HelpOffer.title, HelpOffer.description),
                db.select(HelpResponse.message),
            )
            for row in db.session.execute(query)
            for text in row
        ]
    assert "Boodschappen" in texts
    assert all(CONTROL.search(text) is None for text in texts)


def test_withdraw_buttons_ignore_junk(client, auth, make, bert, initiative):
    request = make.help_request(requester=bert, initiative=initiative)
    offer = make.help_offer(volunteer=bert, initiative=initiative)
    auth.login_direct(bert)
    for url in (f"/hulpvragen/{request.id}/intrekken", f"/hulpaanbod/{offer.id}/intrekken"):
        response = client.post(url, data={"status": SCRIPT, "x": BIG})
        assert response.status_code == 303


def test_invalid_utf8_bytes(client, auth, bert, targets):
    auth.login_direct(bert)
    for url in targets:
        response = client.post(
            url,
            data=b"title=%FF%FE%FD&message=%C3%28",
            content_type="application/x-www-form-urlencoded",
        )
        check(response, None)


# Values that mean something: no page is page 1, no (or a blank) category is all;
# of a list the first value counts.
USABLE = {
    ("page", "empty"),
    ("category", "empty"),
    ("category", "space"),
    ("page", "list"),
    ("radius", "list"),
}


@pytest.mark.parametrize("param", ["radius", "type", "category", "page"])
def test_nearby_query_values(client, auth, bert, param):
    auth.login_direct(bert)
    for kind, value in VALUES.items():
        response = client.get("/dichtbij", query_string={param: value})
        assert response.status_code == 200, kind
        html = check(response, value)
        if (param, kind) not in USABLE:
            assert "kennen we niet" in html or "pagina bestaat niet" in html, kind


def test_a_posted_script_is_stored_and_shown_escaped(client, auth, anna, bert):
    auth.login_direct(bert)
    data = {**REQUEST, "title": SCRIPT, "description": SCRIPT}
    request_url = client.post("/hulpvragen/nieuw", data=data).headers["Location"]
    offer_url = client.post("/hulpaanbod/nieuw", data={**OFFER, "title": SCRIPT}).headers[
        "Location"
    ]
    for url in (request_url, offer_url, "/mijn-hulp"):
        assert ESCAPED in check(client.get(url), SCRIPT), url
    auth.login_direct(anna)
    helped = client.post(f"{request_url}/helpen", data={"message": SCRIPT})
    assert helped.status_code == 303
    for url in ("/dichtbij", request_url, offer_url, "/mijn-hulp"):
        assert ESCAPED in check(client.get(url), SCRIPT), url
    auth.login_direct(bert)
    # <title>, heading, description, and now the helper's message: all escaped.
    assert check(client.get(request_url), SCRIPT).count(ESCAPED) == 4
