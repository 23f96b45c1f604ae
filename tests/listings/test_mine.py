"""Mijn hulp: my requests with their state and helpers, my offers, where I offered help."""

from datetime import timedelta

from buurthulp.listings.clock import local_today
from buurthulp.listings.models import OfferStatus, RequestStatus


def html_of(response) -> str:
    return response.get_data(as_text=True)


def section(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}</h2>")
    end = html.find("<h2>", start + 1)
    return html[start : end if end != -1 else None]


def test_my_requests_with_state_and_number_of_helpers(
    client, auth, make, anna, bert, connector, initiative
):
    busy = make.help_request(requester=anna, initiative=initiative, title="Veel hulp")
    make.help_response(request=busy, volunteer=bert)
    make.help_response(request=busy, volunteer=connector)
    make.help_request(requester=anna, initiative=initiative, title="Nog niemand")
    make.help_request(
        requester=anna, initiative=initiative, title="Gestopt", status=RequestStatus.WITHDRAWN
    )
    make.help_request(requester=bert, initiative=initiative, title="Van Bert")
    auth.login_direct(anna)
    mine = section(html_of(client.get("/mijn-hulp")), "Mijn hulpvragen")
    assert "Veel hulp" in mine and "2 mensen willen helpen" in mine
    assert "Nog niemand" in mine and "Nog niemand heeft aangeboden te helpen." in mine
    assert "Gestopt" in mine and "ingetrokken" in mine
    assert "Van Bert" not in mine


def test_my_offers_active_paused_withdrawn(client, auth, make, bert, initiative):
    today = local_today()
    make.help_offer(volunteer=bert, initiative=initiative, title="Actief aanbod")
    make.help_offer(
        volunteer=bert,
        initiative=initiative,
        title="Vakantie aanbod",
        paused_until=today + timedelta(days=3),
    )
    make.help_offer(
        volunteer=bert, initiative=initiative, title="Oud aanbod", status=OfferStatus.WITHDRAWN
    )
    auth.login_direct(bert)
    offers = section(html_of(client.get("/mijn-hulp")), "Mijn hulpaanbod")
    assert offers.count('<li class="card">') == 3
    assert "actief" in offers and "op vakantie tot en met" in offers and "ingetrokken" in offers


def test_where_i_offered_help(client, auth, make, anna, bert, initiative):
    open_request = make.help_request(requester=anna, initiative=initiative, title="Open vraag")
    gone = make.help_request(
        requester=anna, initiative=initiative, title="Weg vraag", status=RequestStatus.WITHDRAWN
    )
    make.help_response(request=open_request, volunteer=bert)
    make.help_response(request=gone, volunteer=bert)
    auth.login_direct(bert)
    helping = section(html_of(client.get("/mijn-hulp")), "Hier wilt u helpen")
    assert f'href="/hulpvragen/{open_request.id}"' in helping
    assert "Weg vraag" in helping and f'href="/hulpvragen/{gone.id}"' not in helping
    assert "Anna V., Diezerstraat, Zwolle" in helping


def test_empty_page_points_the_way(client, auth, anna):
    auth.login_direct(anna)
    html = html_of(client.get("/mijn-hulp"))
    assert "U heeft nog geen hulp gevraagd." in html
    assert "U heeft nog geen hulp aangeboden." in html
    assert 'href="/hulpvragen/nieuw"' in html and 'href="/hulpaanbod/nieuw"' in html
