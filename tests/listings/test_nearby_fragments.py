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


def test_cards_read_with_plain_sql_show_who_asks_and_what_is_offered(
    ctx, make, anna, bert, initiative
):
    from buurthulp.db_types import utcnow
    from buurthulp.listings import fragments
    from buurthulp.listings.models import Category
    from buurthulp.residents.models import ProxyResident

    resident = ProxyResident(
        initiative_id=initiative.id, first_name="Mien", last_name="van der Berg",
        street_name="Walstraat", house_number="7", postcode="8011PX", place="Zwolle",
        latitude=anna.latitude, longitude=anna.longitude, consent_at=utcnow(),
        consent_by_id=anna.id,
    )  # fmt: skip
    db.session.add(resident)
    db.session.commit()
    own = make.help_request(requester=bert, initiative=initiative, title="Eigen vraag")
    by_phone = make.help_request(requester=anna, initiative=initiative, title="Telefonisch")
    change(make.app, HelpRequest, by_phone.id, requester_id=None, proxy_resident_id=resident.id)
    offer = make.help_offer(
        volunteer=bert, initiative=initiative,
        categories=(Category.PAPERWORK, Category.GROCERIES, Category.TRANSPORT),
    )  # fmt: skip
    cards = fragments.load_cards(
        [(HelpRequest, own.id), (HelpRequest, by_phone.id), (HelpOffer, offer.id), (HelpOffer, 0)]
    )
    assert cards[(HelpRequest, own.id)].requester_person.public_name == "Bert B."
    assert cards[(HelpRequest, by_phone.id)].requester_person.public_name == "Mien B."
    assert cards[(HelpOffer, offer.id)].category_values == (
        Category.GROCERIES, Category.TRANSPORT, Category.PAPERWORK,
    )  # fmt: skip
    assert (HelpOffer, 0) not in cards  # gone: left out, not an error


def test_a_title_cannot_take_the_distance_bands_place(client, auth, make, anna, bert, initiative):
    make.help_request(requester=bert, initiative=initiative, title="Hallo <!--band--> daar")
    auth.login_direct(anna)
    html = html_of(client)
    assert "Hallo &lt;!--band--&gt; daar" in html
    assert html.count("<li>0,5-1 km</li>") == 1  # the band once, in its own place
