"""Residents' reports: one per person, three different people hide a post, resolve it."""

import pytest
from sqlalchemy import select

from buurthulp.audit.models import AuditEntry
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.listings.models import HelpRequest
from buurthulp.moderation import flags, queries
from buurthulp.moderation.models import FlagResolution, FlagSubject, ReviewState
from buurthulp.moderation.services import ModerationError
from tests.moderation.conftest import load


@pytest.fixture
def request_of_anna(make, initiative, people):
    return make.help_request(requester=people["anna"], initiative=initiative)


def report(people, name, listing, about_author=False, reason="Lijkt reclame"):
    return flags.flag_create(
        reporter=load(people[name]),
        listing=db.session.get(HelpRequest, listing.id),
        about_author=about_author,
        reason=reason,
        now=utcnow(),
    )


def state(listing):
    db.session.expire_all()
    return db.session.get(HelpRequest, listing.id).review_state


def test_three_different_people_hide_the_post_until_reviewed(ctx, people, request_of_anna):
    report(people, "bert", request_of_anna)
    report(people, "carla", request_of_anna)
    with pytest.raises(ModerationError):
        report(people, "bert", request_of_anna)  # the same person twice counts once
    assert state(request_of_anna) == ReviewState.APPROVED
    report(people, "dirk", request_of_anna)
    assert state(request_of_anna) == ReviewState.HIDDEN
    hidden = db.session.execute(
        select(AuditEntry).filter_by(action="post_hidden_by_reports")
    ).scalar_one()
    assert hidden.actor_id is None and hidden.details == {"reporters": 3}
    [subject] = queries.flag_queue(request_of_anna.initiative_id)
    assert subject.reporters == 3 and subject.subject.id == request_of_anna.id


def test_keep_shows_the_post_again_and_closes_the_reports(ctx, initiative, people, request_of_anna):
    for name in ("bert", "carla", "dirk"):
        report(people, name, request_of_anna)
    closed = flags.flags_resolve(
        initiative_id=initiative.id,
        subject_type=FlagSubject.HELP_REQUEST,
        subject_id=request_of_anna.id,
        resolution=FlagResolution.KEPT,
        actor=load(people["connector"]),
        reason="Gewoon een hulpvraag",
        now=utcnow(),
    )
    assert closed == 3
    assert state(request_of_anna) == ReviewState.APPROVED
    assert queries.flag_queue(initiative.id) == []
    entry = db.session.execute(select(AuditEntry).filter_by(action="flags_kept")).scalar_one()
    assert entry.reason == "Gewoon een hulpvraag"


def test_remove_takes_the_post_off(ctx, initiative, people, request_of_anna):
    report(people, "bert", request_of_anna)
    flags.flags_resolve(
        initiative_id=initiative.id,
        subject_type=FlagSubject.HELP_REQUEST,
        subject_id=request_of_anna.id,
        resolution=FlagResolution.REMOVED,
        actor=load(people["connector"]),
        reason="",
        now=utcnow(),
    )
    assert state(request_of_anna) == ReviewState.REMOVED


def test_reporting_a_person_and_rules(ctx, make, people, request_of_anna):
    flag = report(people, "bert", request_of_anna, about_author=True, reason="Onbeleefd")
    assert (flag.subject_type, flag.subject_id) == (FlagSubject.USER, people["anna"].id)
    with pytest.raises(ModerationError):
        report(people, "anna", request_of_anna)  # not one's own post
    with pytest.raises(ModerationError):
        report(people, "carla", request_of_anna, reason="  ")
    outsider = make.user(initiative=make.initiative(pc4s=("3811",)), postcode="3811AA")
    with pytest.raises(ModerationError):
        flags.flag_create(
            reporter=load(outsider),
            listing=db.session.get(HelpRequest, request_of_anna.id),
            about_author=False,
            reason="x",
            now=utcnow(),
        )


def test_report_page_keeps_input_and_hides_after_three(app, make, people, request_of_anna):
    from tests.factories import Auth

    url = f"/melden/hulpvraag/{request_of_anna.id}"
    client = app.test_client()
    Auth(client, make).login_direct(people["bert"])
    response = client.post(url, data={"about": "post", "reason": "x" * 1001})
    assert response.status_code == 422
    assert "x" * 1001 in response.get_data(as_text=True)
    for name in ("bert", "carla", "dirk"):
        client = app.test_client()
        Auth(client, make).login_direct(people[name])
        response = client.post(url, data={"about": "post", "reason": "Reclame"})
        assert response.status_code == 303
    client = app.test_client()
    Auth(client, make).login_direct(people["bert"])
    assert client.get(f"/hulpvragen/{request_of_anna.id}").status_code == 404
    owner = app.test_client()
    Auth(owner, make).login_direct(people["anna"])
    assert owner.get(url).status_code == 404  # no reporting one's own post
