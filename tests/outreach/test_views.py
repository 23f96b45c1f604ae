"""The outreach pages: who may log and read check-ins and referrals, the list of residents
not contacted, the sociale kaart in the panel and for members."""

import pytest
from sqlalchemy import func, select

from buurthulp.extensions import db
from buurthulp.listings.clock import local_today
from buurthulp.outreach.models import CheckIn, LivingSituation, Referral, Service

CHECK_IN = {"kind": "visit", "on_date": "", "outcome": "wants_help"}


def url(world, who: str, tail: str = "") -> str:
    if who == "proxy":
        return f"/paneel/{world.a.id}/telefoonbewoners/{world.proxy_x}/contact{tail}"
    resident = {"x": world.resident_x, "y": world.resident_y}[who]
    return f"/paneel/{world.a.id}/bewoners/{resident.id}/contact{tail}"


def count(app, model) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.mark.parametrize("role", ["contact_x", "connector", "coordinator", "admin"])
def test_street_contact_connectors_and_coordinators_log_and_read(app, client, auth, world, role):
    auth.login_direct(getattr(world, role))
    for who in ("x", "proxy"):
        response = client.post(url(world, who, "/contactmoment"), data=CHECK_IN)
        assert response.status_code == 303, response.get_data(as_text=True)
        page = client.get(url(world, who)).get_data(as_text=True)
        assert "wil graag hulp" in page
    assert count(app, CheckIn) == 2


@pytest.mark.parametrize("role", ["contact_y", "connector_b", "resident_x"])
def test_others_get_403_or_404_and_nothing_is_stored(app, client, auth, world, role):
    auth.login_direct(getattr(world, role))
    for who in ("x", "proxy"):
        for tail, data in (
            ("/contactmoment", CHECK_IN),
            ("/woonsituatie", {"lives_alone": "yes", "consent": "y"}),
            ("/doorverwijzing", {"service_id": str(world.service), "follow_up_on": "01-01-2099"}),
        ):
            assert client.post(url(world, who, tail), data=data).status_code in (403, 404)
        assert client.get(url(world, who)).status_code in (403, 404)
    for model in (CheckIn, LivingSituation, Referral):
        assert count(app, model) == 0


def test_a_check_in_from_a_street_contact_is_not_shown_to_another_street(app, client, auth, world):
    auth.login_direct(world.contact_x)
    client.post(url(world, "x", "/contactmoment"), data=CHECK_IN)
    auth.logout()
    auth.login_direct(world.contact_y)
    assert client.get(url(world, "x")).status_code == 404
    listing = client.get(f"/paneel/{world.a.id}/contactmomenten").get_data(as_text=True)
    assert "Kees" not in listing and "Riet" in listing


def test_bad_check_in_keeps_what_was_typed(client, auth, world):
    auth.login_direct(world.contact_x)
    response = client.post(
        url(world, "x", "/contactmoment"), data={"kind": "visit", "on_date": "31-02-2026"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Vul een datum in" in page and "31-02-2026" in page
    assert '<input checked id="kind-0" name="kind" required type="radio" value="visit">' in page


def test_note_field_only_when_the_initiative_allows_free_text(client, auth, world):
    auth.login_direct(world.contact_x)
    assert 'name="note"' not in client.get(url(world, "x")).get_data(as_text=True)
    auth.logout()
    auth.login_direct(world.coordinator)
    setting = f"/paneel/{world.a.id}/contactmomenten/instelling"
    assert client.post(setting, data={"free_text_notes": "yes"}).status_code == 303
    page = client.get(url(world, "x")).get_data(as_text=True)
    assert 'name="note"' in page and "geen medische details" in page
    response = client.post(
        url(world, "x", "/contactmoment"), data={**CHECK_IN, "note": "Veel pijn, medicijnen op"}
    )
    assert response.status_code == 422
    assert "medische details" in response.get_data(as_text=True)


def test_street_contact_cannot_change_the_setting(client, auth, world):
    auth.login_direct(world.contact_x)
    setting = f"/paneel/{world.a.id}/contactmomenten/instelling"
    assert client.post(setting, data={"free_text_notes": "yes"}).status_code == 403


def test_not_contacted_list_and_weeks_field(app, client, auth, world):
    auth.login_direct(world.contact_x)
    client.post(url(world, "proxy", "/woonsituatie"), data={"lives_alone": "yes", "consent": "y"})
    page = client.get(f"/paneel/{world.a.id}/contactmomenten").get_data(as_text=True)
    # Mien lives alone: first; Kees after; Riet lives in another street.
    assert page.index("Mien") < page.index("Kees") and "Riet" not in page
    client.post(url(world, "x", "/contactmoment"), data=CHECK_IN)
    page = client.get(f"/paneel/{world.a.id}/contactmomenten?weken=2").get_data(as_text=True)
    assert "Kees" not in page and "Mien" in page
    response = client.get(f"/paneel/{world.a.id}/contactmomenten?weken=tien")
    assert response.status_code == 422
    assert "Vul een aantal weken in" in response.get_data(as_text=True)
    assert 'value="tien"' in response.get_data(as_text=True)


def test_referral_and_follow_up_through_the_pages(app, client, auth, world):
    auth.login_direct(world.contact_x)
    follow_up = local_today().strftime("%d-%m-%Y")
    response = client.post(
        url(world, "x", "/doorverwijzing"),
        data={"service_id": str(world.service), "follow_up_on": follow_up},
    )
    assert response.status_code == 303
    # Another initiative's service is not a choice.
    response = client.post(
        url(world, "x", "/doorverwijzing"),
        data={"service_id": str(world.b_service), "follow_up_on": follow_up},
    )
    assert response.status_code == 422
    page = client.get(f"/paneel/{world.a.id}/doorverwijzingen").get_data(as_text=True)
    assert "Wijkteam Zwolle-Centrum" in page and "Opvolgen: nu" in page
    with app.app_context():
        referral_id = db.session.execute(select(Referral.id)).scalar_one()
    done = f"/paneel/{world.a.id}/doorverwijzingen/{referral_id}/opvolgen"
    auth.logout()
    auth.login_direct(world.contact_y)
    assert client.post(done, data={"outcome": "helped"}).status_code == 404
    auth.logout()
    auth.login_direct(world.contact_x)
    assert client.post(done, data={"outcome": "helped"}).status_code == 303
    page = client.get(f"/paneel/{world.a.id}/doorverwijzingen").get_data(as_text=True)
    assert "Wijkteam Zwolle-Centrum" not in page


def test_sociale_kaart_is_kept_by_connectors_and_coordinators(app, client, auth, world):
    new = f"/paneel/{world.a.id}/sociale-kaart/nieuw"
    data = {"kind": "gp", "name": "Huisartsenpraktijk De Vecht", "phone": "038 421 1234"}
    auth.login_direct(world.contact_x)
    assert client.get(new).status_code == 403
    assert client.post(new, data=data).status_code == 403
    assert "Vraag naar Marja" in client.get(f"/paneel/{world.a.id}/sociale-kaart").text
    auth.logout()
    auth.login_direct(world.connector)
    assert client.post(new, data=data).status_code == 303
    bad = client.post(new, data={**data, "website": "javascript:alert(1)"})
    assert bad.status_code == 422 and "Vul een webadres in" in bad.text
    edit = f"/paneel/{world.a.id}/sociale-kaart/{world.b_service}"
    assert client.get(edit).status_code == 404
    assert count(app, Service) == 3


def test_members_see_the_sociale_kaart_without_panel_notes(client, auth, world, make):
    auth.login_direct(world.resident_x)
    page = client.get(f"/sociale-kaart/{world.a.id}")
    assert page.status_code == 200
    assert "Wijkteam Zwolle-Centrum" in page.text and 'href="tel:0384989898"' in page.text
    assert "Vraag naar Marja" not in page.text
    assert client.get(f"/sociale-kaart/{world.b.id}").status_code == 404
    assert client.get("/sociale-kaart").headers["Location"].endswith(f"/sociale-kaart/{world.a.id}")
    auth.logout()
    assert "/inloggen" in client.get(f"/sociale-kaart/{world.a.id}").headers["Location"]


def test_living_situation_is_never_shown_outside_the_panel(client, auth, world):
    auth.login_direct(world.contact_x)
    client.post(url(world, "x", "/woonsituatie"), data={"lives_alone": "yes", "consent": "y"})
    assert "woont alleen" in client.get(url(world, "x")).text
    auth.logout()
    auth.login_direct(world.resident_y)
    for page in ("/mijn-gegevens", f"/sociale-kaart/{world.a.id}", "/dichtbij"):
        assert "woont alleen" not in client.get(page, follow_redirects=True).text.lower()
