"""Viewer facts: what every page needs about the signed-in person, read with the login in
one round trip, and asked again once the request has committed a change."""

from buurthulp.accounts import login_sessions, viewer_facts
from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from buurthulp.initiatives.permissions import member_initiative_ids
from buurthulp.panel.scope import has_any_panel_role
from buurthulp.realtime import stream
from tests.sql_statements import statements


def test_a_signed_in_page_costs_one_query_with_menu_and_news(app, client, auth, make):
    initiative = make.initiative(name="Stadsdorp Zuid")
    coordinator = make.user(initiative=initiative, role=Role.COORDINATOR)
    with app.app_context():
        stream.push(coordinator.id, "notice", title="Nieuw bericht")
        stream.push(coordinator.id, "notice", title="Nog een bericht")
    auth.login_direct(coordinator)
    with app.app_context():
        engine = db.engine
    with statements(engine) as seen:
        html = client.get("/privacy").get_data(as_text=True)
    assert len(seen) == 1, seen
    assert '<span class="count">2</span>' in html  # unread news in the menu
    assert ">Paneel<" in html  # a panel role shows the panel link


def test_facts_match_what_the_queries_say(app, make):
    first, second = make.initiative(name="Een"), make.initiative(name="Twee")
    person = make.user(initiative=second)
    make.membership(user=person, initiative=first, role=Role.STREET_CONTACT)
    token = _session_for(app, person)
    with app.test_request_context():
        user = login_sessions.user_for_token(token)
        from_facts = (member_initiative_ids(user), has_any_panel_role(user))
        assert stream.counters(user.id) == (0, 0)
        viewer_facts.forget()
        assert (member_initiative_ids(user), has_any_panel_role(user)) == from_facts
        assert from_facts == (sorted([first.id, second.id]), True)


def test_a_commit_in_the_request_drops_the_facts(app, make):
    person = make.user(initiative=make.initiative(name="Een"))
    token = _session_for(app, person)
    with app.test_request_context():
        user = login_sessions.user_for_token(token)
        assert stream.counters(user.id) == (0, 0)
        stream.push(user.id, "notice", title="Welkom")  # commits
        latest, unread = stream.counters(user.id)
        assert unread == 1 and latest > 0


def _session_for(app, person) -> str:
    with app.app_context():
        token = login_sessions.session_start(user=db.session.get(User, person.id), remember=False)
        db.session.commit()
    return token
