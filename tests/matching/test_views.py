"""The matcher's pages: Uitnodigingen, Voor u, Suggesties, the match page, and privacy
before and after a match on both sides."""

import pytest
from sqlalchemy import select

from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.matching import services
from buurthulp.matching.models import Invitation, InvitationStatus, Match, MatchStatus
from tests.matching import flow_support
from tests.matching.flow_support import HOUSE_NUMBER, NOW, POSTCODE

people, open_request, outbox = flow_support.people, flow_support.open_request, flow_support.outbox
PHONE = "0612345678"


@pytest.fixture
def invited(app, people, open_request, outbox):
    """Round 1 sent: volunteers 0-4 invited to Anna's request."""
    with app.app_context():
        request = db.session.get(HelpRequest, open_request.id)
        ids = [i.id for i in services.invitations_send(help_request=request, now=NOW)]
    outbox.clear()
    return ids


def _html(response) -> str:
    return response.get_data(as_text=True)


def _invitation(app, invitation_id: int) -> Invitation:
    with app.app_context():
        invitation = db.session.get(Invitation, invitation_id)
        db.session.expunge(invitation)
        return invitation


def _match(app) -> Match | None:
    with app.app_context():
        match = db.session.execute(select(Match)).scalars().first()
        if match is not None:
            db.session.expunge(match)
        return match


def test_pages_need_login(client, people, open_request):
    for url in ("/uitnodigingen", "/voor-u", f"/hulpvragen/{open_request.id}/suggesties"):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen" in response.headers["Location"]


def test_invitations_page_accept_and_match_page(app, client, auth, people, invited):
    auth.login_direct(people.volunteers[0])
    html = _html(client.get("/uitnodigingen"))
    assert "Boodschappen doen" in html and "Ik neem deze aan" in html and "Afslaan" in html
    # Before the match: public name and street only, never the address or phone.
    assert "Anna V." in html and "Verhoeven" not in html
    assert HOUSE_NUMBER not in html and PHONE not in html

    response = client.post(f"/uitnodigingen/{invited[0]}/aannemen")
    match = _match(app)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/koppelingen/{match.id}")
    html = _html(client.get(f"/koppelingen/{match.id}"))
    assert "Anna Verhoeven" in html and f"Diezerstraat {HOUSE_NUMBER}" in html
    assert PHONE in html and "8011 PX" in html


def test_second_accept_gets_a_clear_answer(app, client, auth, people, invited):
    auth.login_direct(people.volunteers[1])
    with app.app_context():
        first = _invitation(app, invited[0])
        services.invitation_accept(invitation_id=first.id, volunteer_id=first.volunteer_id, now=NOW)
    response = client.post(f"/uitnodigingen/{invited[1]}/aannemen", follow_redirects=True)
    assert response.status_code == 200
    assert "Deze hulpvraag is al vergeven." in _html(response)
    assert len(db_matches(app)) == 1


def db_matches(app) -> list:
    with app.app_context():
        return db.session.execute(select(Match.id)).all()


def test_decline_on_the_page(app, client, auth, people, invited):
    auth.login_direct(people.volunteers[0])
    response = client.post(f"/uitnodigingen/{invited[0]}/afslaan", follow_redirects=True)
    assert "afgeslagen" in _html(response)
    assert _invitation(app, invited[0]).status == InvitationStatus.DECLINED


def test_someone_elses_invitation_is_refused(app, client, auth, people, invited):
    auth.login_direct(people.volunteers[1])
    response = client.post(f"/uitnodigingen/{invited[0]}/aannemen", follow_redirects=True)
    assert "Deze uitnodiging bestaat niet." in _html(response)
    assert _invitation(app, invited[0]).status == InvitationStatus.PENDING


def test_voor_u_lists_requests_where_i_rank_and_takes_directly(
    app, client, auth, people, open_request
):
    auth.login_direct(people.volunteers[0])
    html = _html(client.get("/voor-u"))
    assert "Boodschappen doen" in html and "minder dan 500 m" in html
    assert HOUSE_NUMBER not in html and "Verhoeven" not in html
    response = client.post(f"/hulpvragen/{open_request.id}/aannemen")
    assert response.status_code == 303 and "/koppelingen/" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(HelpRequest, open_request.id).status == RequestStatus.MATCHED
    # Taken: it leaves Voor u for everyone.
    auth.login_direct(people.volunteers[1])
    assert "Boodschappen doen" not in _html(client.get("/voor-u"))


def test_voor_u_leaves_out_who_ranks_below_the_batch(app, client, auth, people, open_request):
    auth.login_direct(people.volunteers[6])  # 7th of 7, batch size 5
    assert "Boodschappen doen" not in _html(client.get("/voor-u"))


def test_suggestions_and_invite(app, client, auth, people, open_request, outbox):
    auth.login_direct(people.requester)
    html = _html(client.get(f"/hulpvragen/{open_request.id}/suggesties"))
    assert "Vrijwilliger0 J." in html and "minder dan 500 m" in html and "Nodig uit" in html
    assert "Jansen" not in html
    chosen = people.volunteers[2].id
    response = client.post(
        f"/hulpvragen/{open_request.id}/uitnodigen", data={"volunteer_id": chosen}
    )
    assert response.status_code == 303
    assert [to for to, _, _ in outbox] == ["vrijwilliger2@example.nl"]
    response = client.post(
        f"/hulpvragen/{open_request.id}/uitnodigen", data={"volunteer_id": chosen}
    )
    assert response.status_code == 422 and "al uitgenodigd" in _html(response)
    response = client.post(f"/hulpvragen/{open_request.id}/uitnodigen", data={"volunteer_id": "x"})
    assert response.status_code == 422 and "Kies een buur uit de lijst." in _html(response)


def test_suggestions_are_for_the_requester_only(client, auth, people, open_request):
    auth.login_direct(people.volunteers[0])
    assert client.get(f"/hulpvragen/{open_request.id}/suggesties").status_code == 403
    assert client.post(f"/hulpvragen/{open_request.id}/uitnodigen").status_code == 403
    auth.login_direct(people.outsider)
    assert client.get(f"/hulpvragen/{open_request.id}/suggesties").status_code == 404


@pytest.fixture
def matched(app, invited, people):
    with app.app_context():
        invitation = db.session.get(Invitation, invited[0])
        match = services.invitation_accept(
            invitation_id=invitation.id, volunteer_id=invitation.volunteer_id, now=NOW
        )
        return match.id


def test_privacy_before_and_after_the_match_on_both_sides(
    app, client, auth, people, open_request, invited
):
    volunteer = people.volunteers[0]
    detail = f"/hulpvragen/{open_request.id}"
    auth.login_direct(volunteer)
    html = _html(client.get(detail))
    assert "Anna V." in html and "Verhoeven" not in html and HOUSE_NUMBER not in html
    assert PHONE not in html and "U bent uitgenodigd" in html
    auth.login_direct(people.requester)
    assert "Vrijwilliger0 Jansen" not in _html(client.get(detail))

    with app.app_context():
        services.invitation_accept(invitation_id=invited[0], volunteer_id=volunteer.id, now=NOW)
    auth.login_direct(volunteer)
    html = _html(client.get(detail))
    assert "Anna Verhoeven" in html and f"Diezerstraat {HOUSE_NUMBER}" in html and PHONE in html
    auth.login_direct(people.requester)
    html = _html(client.get(detail))
    assert "Vrijwilliger0 Jansen" in html and "vrijwilliger0@example.nl" in html
    assert "Vrijwilliger0 Jansen" in _html(client.get("/mijn-hulp"))
    # Another invited volunteer, whose invitation closed, still sees nothing private.
    auth.login_direct(people.volunteers[1])
    html = _html(client.get(detail))
    assert "Verhoeven" not in html and HOUSE_NUMBER not in html and PHONE not in html


def test_match_page_only_for_its_two_people(client, auth, people, matched):
    for person in (people.volunteers[1], people.outsider):
        auth.login_direct(person)
        assert client.get(f"/koppelingen/{matched}").status_code == 404
        assert client.post(f"/koppelingen/{matched}/afronden").status_code == 404


def test_complete_on_the_match_page(app, client, auth, people, matched):
    auth.login_direct(people.volunteers[0])
    response = client.post(
        f"/koppelingen/{matched}/afronden", data={"hours": "30", "feedback": "Gezellig"}
    )
    assert response.status_code == 422
    html = _html(response)
    assert "Vul een aantal uren in tussen 0,25 en 24." in html and "Gezellig" in html
    for bad in ("nan", "1e309", "abc"):
        response = client.post(f"/koppelingen/{matched}/afronden", data={"hours": bad})
        assert response.status_code == 422, bad
    response = client.post(
        f"/koppelingen/{matched}/afronden", data={"hours": "1,5", "feedback": "Gezellig"}
    )
    assert response.status_code == 303
    match = _match(app)
    assert (match.status, match.hours, match.volunteer_feedback) == (
        MatchStatus.DONE,
        1.5,
        "Gezellig",
    )
    # The requester adds hers afterwards.
    auth.login_direct(people.requester)
    assert "Afronden" in _html(client.get(f"/koppelingen/{matched}"))
    client.post(f"/koppelingen/{matched}/afronden", data={"hours": "2", "feedback": "Top"})
    assert _match(app).requester_feedback == "Top"


def test_end_on_the_match_page(app, client, auth, people, matched):
    auth.login_direct(people.requester)
    response = client.post(
        f"/koppelingen/{matched}/stoppen", data={"kind": "no_show", "reason": ""}
    )
    assert response.status_code == 422 and "Schrijf kort op waarom." in _html(response)
    response = client.post(f"/koppelingen/{matched}/stoppen", data={"kind": "gek", "reason": "x"})
    assert response.status_code == 422 and "Kies wat er aan de hand is." in _html(response)
    response = client.post(
        f"/koppelingen/{matched}/stoppen", data={"kind": "no_show", "reason": "Niet gekomen"}
    )
    assert response.status_code == 303
    assert _match(app).status == MatchStatus.NO_SHOW
    html = _html(client.get(f"/koppelingen/{matched}"))
    # Ended: the contact details are gone again.
    assert "Vrijwilliger0 Jansen" not in html and "niet gekomen" in html


def test_nav_link_voor_u(client, auth, people):
    auth.login_direct(people.volunteers[0])
    assert 'href="/voor-u"' in _html(client.get("/mijn-hulp"))


def test_publishing_a_request_invites_at_once(app, client, auth, people, outbox):
    auth.login_direct(people.requester)
    data = {
        "title": "Naar de apotheek",
        "category": "groceries",
        "when": "flexible",
        "flexible_days": "3",
        "urgency": "normal",
        "recurrence": "once",
    }
    assert client.post("/hulpvragen/nieuw", data=data).status_code == 303
    with app.app_context():
        request = db.session.execute(select(HelpRequest)).scalars().one()
        assert request.match_round == 1
        count = len(db.session.execute(select(Invitation)).all())
    assert count == 5 and len(outbox) == 5
    assert POSTCODE not in " ".join(body for _, _, body in outbox)
