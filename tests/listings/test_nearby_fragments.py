"""Dichtbij's cards and filter form come from a per-process cache (listings.fragments):
what they show must still follow every change and the reader's language."""

import re

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.listings.models import HelpOffer, HelpRequest


def html_of(client) -> str:
    return client.get("/dichtbij").get_data(as_text=True)


def without_csrf(html: str) -> str:
    """The page without its CSRF tokens (they carry a timestamp)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", html)


def change(app, model, row_id: int, **values) -> None:
    with app.app_context():
        row = db.session.get(model, row_id)
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()


def test_a_changed_listing_or_name_is_shown_at_once(
    app, client, auth, make, anna, bert, initiative
):
    request = make.help_request(requester=bert, initiative=initiative, title="Lift naar de markt")
    offer = make.help_offer(volunteer=bert, initiative=initiative, title="Klusjes")
    auth.login_direct(anna)
    assert "Lift naar de markt" in html_of(client) and "Klusjes" in html_of(client)
    change(app, HelpRequest, request.id, title="Lift naar het ziekenhuis")
    change(app, HelpOffer, offer.id, has_car=True)
    change(app, User, bert.id, first_name="Bertus")
    html = html_of(client)
    assert "Lift naar het ziekenhuis" in html and "Lift naar de markt" not in html
    assert "heeft een auto" in html
    assert "Bertus B." in html and "Bert B." not in html


def test_cards_and_filters_follow_the_readers_language(
    app, client, auth, make, anna, bert, initiative
):
    make.help_request(requester=bert, initiative=initiative, title="Boodschappen", flexible_days=3)
    auth.login_direct(anna)
    dutch = html_of(client)
    assert "Hulpvraag" in dutch and "flexibel, binnen 3 dagen" in dutch and "Afstand" in dutch
    change(app, User, anna.id, locale="en")
    english = html_of(client)
    assert "flexibel, binnen 3 dagen" not in english and "Hulpvraag" not in english
    assert "Afstand" not in english
    change(app, User, anna.id, locale="nl")
    assert without_csrf(html_of(client)) == without_csrf(dutch)


def test_the_filter_form_keeps_the_chosen_values(client, auth, anna):
    auth.login_direct(anna)
    five = client.get("/dichtbij?radius=5&type=aanbod&category=garden").get_data(as_text=True)
    assert '<option selected value="5">' in five and '<option selected value="garden">' in five
    assert 'checked id="type-2" name="type" type="radio" value="aanbod"' in five
    plain = html_of(client)
    assert (
        '<option selected value="2">' in plain and '<option selected value="garden">' not in plain
    )
    assert 'checked id="type-0" name="type" type="radio" value="beide"' in plain
