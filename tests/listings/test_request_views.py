"""Help request pages: post, detail, "Ik wil helpen", edit, withdraw."""

from datetime import timedelta

import pytest

from buurthulp.extensions import db
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import HelpRequest, HelpResponse, RequestStatus


def html_of(response) -> str:
    return response.get_data(as_text=True)


def form_data(**changes) -> dict:
    data = {
        "title": "Boodschappen op vrijdag",
        "description": "Melk, brood en kaas.",
        "category": "groceries",
        "when": "fixed",
        "on_date": (local_today() + timedelta(days=3)).isoformat(),
        "time_from": "10:00",
        "time_until": "12:00",
        "flexible_days": "",
        "urgency": "high",
        "recurrence": "once",
        "needs_car": "y",
    }
    data.update(changes)
    return data


def saved_requests(app) -> list[HelpRequest]:
    with app.app_context():
        return list(db.session.execute(db.select(HelpRequest)).scalars())


@pytest.mark.parametrize(
    "url", ["/hulpvragen/nieuw", "/hulpvragen/1", "/hulpvragen/1/bewerken", "/mijn-hulp"]
)
def test_login_required(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_new_request_form(client, auth, anna):
    auth.login_direct(anna)
    response = client.get("/hulpvragen/nieuw")
    html = html_of(response)
    assert response.status_code == 200
    assert '<form method="post" novalidate class="stack">' in html
    for name in ("title", "description", "on_date", "time_from", "time_until", "flexible_days"):
        assert f'name="{name}"' in html
    assert "Op een vaste dag" in html and "Flexibel" in html
    assert 'name="initiative_id"' not in html  # only one initiative: nothing to choose


def test_post_request(client, app, auth, anna, initiative):
    auth.login_direct(anna)
    response = client.post("/hulpvragen/nieuw", data=form_data())
    assert response.status_code == 303
    [saved] = saved_requests(app)
    assert response.headers["Location"] == f"/hulpvragen/{saved.id}"
    assert saved.title == "Boodschappen op vrijdag" and saved.needs_car
    assert saved.initiative_id == initiative.id and saved.street_name == "Diezerstraat"
    assert saved.urgency == "high" and saved.time_from.hour == 10
    assert "Uw hulpvraag staat erop" in html_of(client.get(response.headers["Location"]))


def test_post_flexible_request_ignores_the_fixed_fields(client, app, auth, anna):
    auth.login_direct(anna)
    data = form_data(when="flexible", flexible_days="7", on_date="rommel", time_from="x")
    assert client.post("/hulpvragen/nieuw", data=data).status_code == 303
    [saved] = saved_requests(app)
    assert (saved.flexible_days, saved.on_date, saved.time_from) == (7, None, None)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": "   "}, "Vul een korte titel in."),
        ({"on_date": (local_today() - timedelta(days=1)).isoformat()}, "Deze datum is al voorbij"),
        ({"time_from": "14:00", "time_until": "13:00"}, "De eindtijd moet na de begintijd liggen."),
        ({"on_date": ""}, "Kies de datum waarop u hulp nodig heeft."),
        ({"on_date": "31-02-2026"}, "Vul een datum in, bijvoorbeeld"),
        ({"time_until": "25:00"}, "Vul een tijd in, bijvoorbeeld 12:00."),
        ({"when": "flexible", "flexible_days": "61"}, "Kies een aantal dagen van 1 tot en met 60."),
        ({"when": "flexible", "flexible_days": "zeven"}, "Vul een aantal dagen in"),
        ({"category": "hobby"}, "Kies een soort hulp."),
        ({"urgency": ""}, "Kies hoe dringend het is."),
        ({"when": "soms"}, "Kies een vaste dag of flexibel."),
    ],
)
def test_validation_errors_next_to_the_field(client, app, auth, anna, changes, message):
    auth.login_direct(anna)
    data = form_data(**changes)
    response = client.post("/hulpvragen/nieuw", data=data)
    html = html_of(response)
    assert response.status_code == 422
    assert 'class="error-message"' in html and message in html
    assert "Er is iets niet goed ingevuld" in html
    # What was typed is still there.
    assert 'value="Melk, brood en kaas."' not in html  # a textarea keeps it as content
    assert "Melk, brood en kaas.</textarea>" in html
    if changes.get("title") is None:
        assert 'value="Boodschappen op vrijdag"' in html
    assert saved_requests(app) == []


def test_several_initiatives_offer_a_choice(client, app, auth, make, anna, other_initiative):
    make.membership(user=anna, initiative=other_initiative)
    auth.login_direct(anna)
    html = html_of(client.get("/hulpvragen/nieuw"))
    assert 'name="initiative_id"' in html
    assert "Burenhulp Zwolle" in html and "Buurtcollectief Amersfoort" in html
    assert (
        client.post(
            "/hulpvragen/nieuw", data=form_data(initiative_id=str(other_initiative.id))
        ).status_code
        == 303
    )
    assert saved_requests(app)[0].initiative_id == other_initiative.id


def test_cannot_choose_a_foreign_initiative(client, app, auth, make, anna, carla, other_initiative):
    third = make.initiative(name="Noaberzorgpunt", pc4s=("7511",))
    make.membership(user=anna, initiative=other_initiative)
    auth.login_direct(anna)
    response = client.post("/hulpvragen/nieuw", data=form_data(initiative_id=str(third.id)))
    assert response.status_code == 422
    assert "Kies een bewonersinitiatief uit de lijst." in html_of(response)
    assert saved_requests(app) == []


def test_without_initiative_no_form(client, auth, make):
    auth.login_direct(make.user())
    html = html_of(client.get("/hulpvragen/nieuw"))
    assert "Nog geen bewonersinitiatief" in html and 'name="title"' not in html


def test_detail_for_a_neighbour_offers_help(client, auth, make, anna, bert, initiative):
    request = make.help_request(
        requester=anna, initiative=initiative, title="Lamp ophangen", description="Regel 1\nRegel 2"
    )
    auth.login_direct(bert)
    html = html_of(client.get(f"/hulpvragen/{request.id}"))
    assert "Lamp ophangen" in html and "Anna V." in html and "0,5-1 km" in html
    assert "Diezerstraat, Zwolle" in html
    assert f'action="/hulpvragen/{request.id}/helpen"' in html
    assert "Wie wil helpen" not in html
    assert "/bewerken" not in html and "/intrekken" not in html


def test_ik_wil_helpen_once(client, app, auth, make, anna, bert, initiative):
    request = make.help_request(requester=anna, initiative=initiative)
    auth.login_direct(bert)
    url = f"/hulpvragen/{request.id}/helpen"
    response = client.post(url, data={"message": "Ik kan zaterdag."})
    assert response.status_code == 303
    html = html_of(client.get(response.headers["Location"]))
    assert "U heeft aangeboden te helpen." in html and f'action="{url}"' not in html
    again = client.post(url, data={"message": "Nog een keer"})
    assert again.status_code == 422
    assert "U heeft al aangeboden te helpen." in html_of(again)
    with app.app_context():
        assert db.session.execute(db.select(db.func.count(HelpResponse.id))).scalar_one() == 1


def test_ik_wil_helpen_not_on_own_request(client, app, auth, make, anna, initiative):
    request = make.help_request(requester=anna, initiative=initiative)
    auth.login_direct(anna)
    assert f"/hulpvragen/{request.id}/helpen" not in html_of(
        client.get(f"/hulpvragen/{request.id}")
    )
    response = client.post(f"/hulpvragen/{request.id}/helpen", data={})
    assert response.status_code == 422 and "Dit is uw eigen hulpvraag." in html_of(response)
    with app.app_context():
        assert db.session.execute(db.select(HelpResponse)).first() is None


def test_ik_wil_helpen_message_too_long(client, auth, make, anna, bert, initiative):
    request = make.help_request(requester=anna, initiative=initiative)
    auth.login_direct(bert)
    response = client.post(f"/hulpvragen/{request.id}/helpen", data={"message": "x" * 1500})
    assert response.status_code == 422
    assert "Maak uw bericht korter: hoogstens 1000 tekens." in html_of(response)


def test_requester_sees_who_offered_help(client, auth, make, anna, bert, initiative):
    request = make.help_request(requester=anna, initiative=initiative)
    make.help_response(request=request, volunteer=bert, message="Ik heb een fiets met krat.")
    auth.login_direct(anna)
    html = html_of(client.get(f"/hulpvragen/{request.id}"))
    assert "Wie wil helpen" in html
    assert "Bert B." in html and "0,5-1 km" in html and "Ik heb een fiets met krat." in html
    assert f"/hulpvragen/{request.id}/bewerken" in html
    assert f"/hulpvragen/{request.id}/intrekken" in html
    assert "Assendorperstraat" not in html  # the helper's street is not shown, only the band


def test_non_member_gets_404(client, auth, make, anna, carla, initiative):
    request = make.help_request(requester=anna, initiative=initiative)
    auth.login_direct(carla)
    for response in (
        client.get(f"/hulpvragen/{request.id}"),
        client.post(f"/hulpvragen/{request.id}/helpen"),
        client.get(f"/hulpvragen/{request.id}/bewerken"),
        client.post(f"/hulpvragen/{request.id}/intrekken"),
        client.get("/hulpvragen/999999"),
        client.get("/hulpvragen/99999999999999999999"),
    ):
        assert response.status_code == 404
        assert "Pagina niet gevonden" in html_of(response)


def test_non_author_cannot_edit_or_withdraw(client, app, auth, make, anna, bert, initiative):
    request = make.help_request(requester=anna, initiative=initiative)
    auth.login_direct(bert)
    assert client.get(f"/hulpvragen/{request.id}/bewerken").status_code == 403
    assert client.post(f"/hulpvragen/{request.id}/bewerken", data=form_data()).status_code == 403
    assert client.post(f"/hulpvragen/{request.id}/intrekken").status_code == 403
    assert saved_requests(app)[0].status == RequestStatus.OPEN


def test_edit_keeps_values_and_saves(client, app, auth, make, anna, initiative):
    request = make.help_request(requester=anna, initiative=initiative, title="Oud", flexible_days=4)
    auth.login_direct(anna)
    html = html_of(client.get(f"/hulpvragen/{request.id}/bewerken"))
    assert 'value="Oud"' in html and 'value="4"' in html
    assert 'checked id="when-1" name="when" required type="radio" value="flexible"' in html
    response = client.post(f"/hulpvragen/{request.id}/bewerken", data=form_data(title="Nieuw"))
    assert response.status_code == 303
    [saved] = saved_requests(app)
    assert saved.title == "Nieuw" and saved.flexible_days is None and saved.on_date is not None


def test_edit_errors_are_422(client, auth, make, anna, initiative):
    request = make.help_request(requester=anna, initiative=initiative)
    auth.login_direct(anna)
    response = client.post(f"/hulpvragen/{request.id}/bewerken", data=form_data(title=""))
    assert response.status_code == 422 and "Vul een korte titel in." in html_of(response)


def test_connector_may_edit_and_withdraw(client, app, auth, make, anna, connector, initiative):
    request = make.help_request(requester=anna, initiative=initiative)
    auth.login_direct(connector)
    html = html_of(client.get(f"/hulpvragen/{request.id}"))
    assert f"/hulpvragen/{request.id}/bewerken" in html
    response = client.post(f"/hulpvragen/{request.id}/bewerken", data=form_data(title="Netter"))
    assert response.status_code == 303
    response = client.post(f"/hulpvragen/{request.id}/intrekken")
    assert response.headers["Location"] == f"/hulpvragen/{request.id}"
    [saved] = saved_requests(app)
    assert saved.title == "Netter" and saved.status == RequestStatus.WITHDRAWN


def test_withdraw_by_author(client, app, auth, make, anna, bert, initiative):
    request = make.help_request(requester=anna, initiative=initiative)
    auth.login_direct(anna)
    response = client.post(f"/hulpvragen/{request.id}/intrekken")
    assert response.status_code == 303 and response.headers["Location"] == "/mijn-hulp"
    assert saved_requests(app)[0].status == RequestStatus.WITHDRAWN
    assert "De hulpvraag is ingetrokken." in html_of(client.get("/mijn-hulp"))
    # Withdrawn: the author can still see it, but not edit it; a neighbour gets 404.
    response = client.get(f"/hulpvragen/{request.id}/bewerken")
    assert response.status_code == 303
    again = client.post(f"/hulpvragen/{request.id}/intrekken", follow_redirects=True)
    assert "al afgerond of ingetrokken" in html_of(again)
    auth.login_direct(bert)
    assert client.get(f"/hulpvragen/{request.id}").status_code == 404
