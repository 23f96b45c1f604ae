"""Help offer pages: post, detail, edit, withdraw."""

from datetime import timedelta

import pytest

from buurthulp.extensions import db
from buurthulp.listings.availability import slot_bit, slot_key
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import Category, HelpOffer, OfferStatus


def html_of(response) -> str:
    return response.get_data(as_text=True)


def form_data(**changes) -> dict:
    data = {
        "title": "Ik doe graag boodschappen",
        "description": "Ook voor de buren verderop.",
        "categories": ["groceries", "garden"],
        "availability": [slot_key(0, 0), slot_key(5, 2)],
        "max_distance_km": "5",
        "has_car": "y",
        "paused_until": "",
    }
    data.update(changes)
    return data


def saved_offers(app) -> list[HelpOffer]:
    with app.app_context():
        query = db.select(HelpOffer).options(db.selectinload(HelpOffer.categories))
        return list(db.session.execute(query).scalars())


def test_new_offer_form_has_the_availability_table(client, auth, bert):
    auth.login_direct(bert)
    html = html_of(client.get("/hulpaanbod/nieuw"))
    assert '<table class="availability">' in html
    assert html.count('type="checkbox" name="availability"') == 21
    assert 'value="ma-ochtend"' in html and 'value="zo-avond"' in html
    assert 'aria-label="maandag ochtend"' in html
    assert '<option selected value="2">2 km</option>' in html
    assert 'value="0.5">0,5 km</option>' in html


def test_post_offer_stores_the_bitmask(client, app, auth, bert, initiative):
    auth.login_direct(bert)
    response = client.post("/hulpaanbod/nieuw", data=form_data())
    assert response.status_code == 303
    [offer] = saved_offers(app)
    assert response.headers["Location"] == f"/hulpaanbod/{offer.id}"
    assert offer.availability == slot_bit(0, 0) | slot_bit(5, 2)
    assert offer.category_values == [Category.GROCERIES, Category.GARDEN]
    assert offer.max_distance_km == 5.0 and offer.has_car and offer.paused_until is None
    assert (offer.street_name, offer.initiative_id) == ("Assendorperstraat", initiative.id)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Vul een korte titel in."),
        ({"categories": []}, "categories", "Kies minstens één soort hulp."),
        ({"categories": ["knutselen"]}, "categories", "Kies soorten hulp uit de lijst."),
        ({"availability": []}, "availability", "Kies minstens één dagdeel"),
        ({"availability": ["ma-nacht"]}, "availability", "Kies dagdelen uit de tabel."),
        ({"max_distance_km": "3"}, "max_distance_km", "Kies een afstand uit de lijst."),
        ({"max_distance_km": "ver"}, "max_distance_km", "Kies een afstand uit de lijst."),
        ({"max_distance_km": "nan"}, "max_distance_km", "Kies een afstand uit de lijst."),
        (
            {"paused_until": (local_today() - timedelta(days=1)).isoformat()},
            "paused_until",
            "Deze datum is al voorbij.",
        ),
        ({"paused_until": "volgende week"}, "paused_until", "Vul een datum in"),
    ],
)
def test_validation_errors_next_to_the_field(client, app, auth, bert, changes, field, message):
    auth.login_direct(bert)
    response = client.post("/hulpaanbod/nieuw", data=form_data(**changes))
    html = html_of(response)
    assert response.status_code == 422
    assert f'<p class="error-message" id="{field}-error">{message}' in html
    # Everything typed is kept, including the ticked boxes.
    assert "Ook voor de buren verderop.</textarea>" in html
    if "availability" not in changes:
        assert (
            'value="ma-ochtend" id="availability-ma-ochtend" aria-label="maandag ochtend" checked'
            in html
        )
    assert saved_offers(app) == []


def test_all_errors_at_once(client, auth, bert):
    auth.login_direct(bert)
    response = client.post("/hulpaanbod/nieuw", data={"title": ""})
    html = html_of(response)
    for field in ("title", "categories", "availability"):
        assert f'id="{field}-error"' in html


def test_detail_page(client, auth, make, anna, bert, initiative):
    offer = make.help_offer(
        volunteer=bert,
        initiative=initiative,
        title="Tuinman",
        categories=(Category.GARDEN,),
        availability=slot_bit(2, 1),
        max_distance_km=5.0,
    )
    auth.login_direct(anna)
    html = html_of(client.get(f"/hulpaanbod/{offer.id}"))
    assert "Tuinman" in html and "Bert B." in html and "0,5-1 km" in html
    assert "tot 5 km" in html and "tuin" in html
    assert html.count("<td>ja</td>") == 1
    assert "/bewerken" not in html


def test_paused_offer_shows_holiday(client, auth, make, bert, initiative):
    until = local_today() + timedelta(days=5)
    offer = make.help_offer(volunteer=bert, initiative=initiative, paused_until=until)
    auth.login_direct(bert)
    html = html_of(client.get(f"/hulpaanbod/{offer.id}"))
    assert "op vakantie" in html and f"tot en met {until.day} " in html


def test_edit_offer_prefills_and_saves(client, app, auth, make, bert, initiative):
    offer = make.help_offer(
        volunteer=bert,
        initiative=initiative,
        categories=(Category.MEAL,),
        availability=slot_bit(6, 2),
        max_distance_km=3.0,
    )
    auth.login_direct(bert)
    html = html_of(client.get(f"/hulpaanbod/{offer.id}/bewerken"))
    assert 'value="zo-avond" id="availability-zo-avond" aria-label="zondag avond" checked' in html
    assert 'checked id="categories-8" name="categories" type="checkbox" value="meal"' in html
    assert '<option selected value="3">3 km</option>' in html  # an old distance stays
    pause = (local_today() + timedelta(days=14)).isoformat()
    data = form_data(max_distance_km="3", paused_until=pause, categories=["meal", "company"])
    response = client.post(f"/hulpaanbod/{offer.id}/bewerken", data=data)
    assert response.status_code == 303
    [saved] = saved_offers(app)
    assert saved.paused_until.isoformat() == pause and saved.max_distance_km == 3.0
    assert saved.category_values == [Category.COMPANY, Category.MEAL]


def test_edit_and_withdraw_permissions(client, app, auth, make, anna, bert, carla, initiative):
    offer = make.help_offer(volunteer=bert, initiative=initiative)
    auth.login_direct(anna)
    assert client.get(f"/hulpaanbod/{offer.id}/bewerken").status_code == 403
    assert client.post(f"/hulpaanbod/{offer.id}/intrekken").status_code == 403
    auth.login_direct(carla)
    assert client.get(f"/hulpaanbod/{offer.id}").status_code == 404
    assert client.get(f"/hulpaanbod/{offer.id}/bewerken").status_code == 404
    assert client.post(f"/hulpaanbod/{offer.id}/intrekken").status_code == 404
    assert saved_offers(app)[0].status == OfferStatus.ACTIVE


def test_withdraw_offer(client, app, auth, make, anna, bert, connector, initiative):
    offer = make.help_offer(volunteer=bert, initiative=initiative)
    auth.login_direct(bert)
    response = client.post(f"/hulpaanbod/{offer.id}/intrekken")
    assert response.status_code == 303 and response.headers["Location"] == "/mijn-hulp"
    assert saved_offers(app)[0].status == OfferStatus.WITHDRAWN
    assert client.get(f"/hulpaanbod/{offer.id}/bewerken").status_code == 303
    auth.login_direct(anna)
    assert client.get(f"/hulpaanbod/{offer.id}").status_code == 404
    auth.login_direct(connector)
    assert "ingetrokken" in html_of(client.get(f"/hulpaanbod/{offer.id}"))
