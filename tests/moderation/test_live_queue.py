"""Moderators' open panel pages get the new count whenever their queue changes."""

from sqlalchemy import select

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.moderation import flags, services
from buurthulp.moderation.models import ModerationMode
from buurthulp.realtime.models import Event
from tests.moderation.conftest import load
from tests.moderation.test_review import post_request, set_mode


def counts_seen_by(user) -> list[int]:
    events = db.session.execute(
        select(Event)
        .where(Event.user_id == user.id, Event.kind == "moderation_queue")
        .order_by(Event.id)
    ).scalars()
    return [event.data["pending"] for event in events]


def test_queue_changes_reach_connectors_and_coordinators_only(ctx, initiative, people):
    set_mode(initiative, people, ModerationMode.PRE)
    first = post_request(initiative, people["anna"])
    post_request(initiative, people["carla"])
    assert counts_seen_by(people["connector"]) == [1, 2]
    assert counts_seen_by(people["coordinator"]) == [1, 2]
    assert counts_seen_by(people["anna"]) == [] and counts_seen_by(people["bert"]) == []

    services.post_approve(listing=first, actor=load(people["connector"]), now=utcnow())
    assert counts_seen_by(people["connector"])[-1] == 1


def test_a_report_counts_until_it_is_handled(ctx, initiative, people):
    help_request = post_request(initiative, people["anna"])  # peer-to-peer: published at once
    assert counts_seen_by(people["connector"]) == []
    flags.flag_create(
        reporter=load(people["bert"]),
        listing=help_request,
        about_author=False,
        reason="Dit is reclame voor een bedrijf.",
        now=utcnow(),
    )
    assert counts_seen_by(people["connector"]) == [1]


def test_the_panel_shows_the_count_and_loads_its_script(app, client, auth, initiative, people):
    with app.app_context():
        set_mode(initiative, people, ModerationMode.PRE)
        post_request(initiative, people["anna"])
    auth.login_direct(people["connector"])
    html = client.get("/paneel/").get_data(as_text=True)
    assert f'data-queue-count="{initiative.id}" aria-live="polite">1<' in html
    assert "js/panel.js" in html
