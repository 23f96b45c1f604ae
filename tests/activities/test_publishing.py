"""Publishing activities: organisers publish, residents propose (when allowed) for approval;
a named public venue, never a resident's home; edit, cancel, approve and reject."""

from datetime import time

import pytest
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.activities import lifts, services
from buurthulp.activities.fields import ActivityFields
from buurthulp.activities.models import Activity, ActivityKind, ActivitySignup, ActivityStatus
from buurthulp.audit.models import AuditEntry
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.geo.postcodes import locate
from buurthulp.initiatives.models import Role
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.moderation.models import ReviewState
from buurthulp.residents.models import ProxyResident
from tests.activities.core_factories import in_days, make_activity, make_signup


def fields(**changes) -> ActivityFields:
    values = {
        "title": "Taalcafé",
        "kind": ActivityKind.LANGUAGE_CAFE,
        "description": "Samen Nederlands praten",
        "venue_name": "Bibliotheek Diezerpoort",
        "venue_street": "Kerkstraat 12",
        "venue_postcode": "8011 ab",
        "place": "",
        "starts_on": in_days(5),
        "start_time": time(10, 0),
        "end_time": time(11, 30),
    }
    values.update(changes)
    return ActivityFields(**values)


@pytest.fixture
def outbox(monkeypatch):
    sent = []
    monkeypatch.setattr(
        "buurthulp.matching.notify.send_mail",
        lambda *, to, subject, body, **_: sent.append((to, subject, body)),
    )
    return sent


@pytest.fixture
def people(make):
    initiative = make.initiative()
    return {
        "initiative": initiative,
        "connector": make.user(initiative=initiative, role=Role.CONNECTOR, email="c@example.nl"),
        "resident": make.user(
            initiative=initiative, email="r@example.nl", street_name="Walstraat", house_number="9"
        ),
    }


def get(model, obj):
    return db.session.get(model, obj.id)


def create(people, who="connector", **changes):
    return services.activity_create(
        author=get(User, people[who]),
        initiative_id=people["initiative"].id,
        fields=fields(**changes),
    )


def test_organiser_publishes_with_the_place_from_the_postcode(app, ctx, people):
    activity = create(people, cost_cents=350, capacity=12)
    area = locate("8011AB")[1]
    assert activity.review_state == ReviewState.APPROVED
    assert (activity.venue_postcode, activity.place) == ("8011AB", area.place)
    assert (activity.latitude, activity.longitude) == (area.latitude, area.longitude)
    assert (activity.cost_cents, activity.capacity) == (350, 12)


def test_resident_proposes_only_when_allowed_and_waits_for_approval(app, ctx, people):
    with pytest.raises(services.ActivityError, match="geen activiteit plaatsen"):
        create(people, "resident")
    services.settings_set(
        initiative_id=people["initiative"].id,
        residents_may_propose=True,
        actor=get(User, people["connector"]),
        now=utcnow(),
    )
    activity = create(people, "resident")
    assert activity.review_state == ReviewState.PENDING


@pytest.mark.parametrize("street", ["Walstraat 9", "walstraat  9", "WALSTRAAT 9"])
def test_a_members_home_is_refused_as_venue(app, ctx, people, street):
    with pytest.raises(services.ActivityError) as refused:
        create(people, venue_street=street)
    assert "adres van een bewoner" in str(refused.value.errors["venue_street"])
    assert db.session.execute(select(Activity)).first() is None


def test_a_phone_residents_home_is_refused_too(app, ctx, people):
    db.session.add(
        ProxyResident(
            initiative_id=people["initiative"].id,
            first_name="Mien",
            last_name="Bakker",
            street_name="Sassenstraat",
            house_number="7a",
            postcode="8011PX",
            place="Zwolle",
            latitude=52.5,
            longitude=6.1,
            consent_at=utcnow(),
        )
    )
    db.session.commit()
    with pytest.raises(services.ActivityError, match="adres van een bewoner"):
        create(people, venue_street="Sassenstraat 7 A")
    assert create(people, venue_street="Sassenstraat 8").id  # next door is a public hall


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"venue_name": ""}, "venue_name"),
        ({"venue_postcode": "1234"}, "venue_postcode"),
        ({"starts_on": in_days(-1)}, "starts_on"),
        ({"starts_on": in_days(400)}, "starts_on"),
        ({"start_time": None}, "start_time"),
        ({"end_time": time(9, 0)}, "end_time"),
        ({"ends_on": in_days(30)}, "ends_on"),
        ({"weekly": True, "ends_on": in_days(1)}, "ends_on"),
        ({"capacity": 0}, "capacity"),
        ({"cost_cents": -5}, "cost"),
    ],
)
def test_broken_rules_name_their_field(app, ctx, people, changes, field):
    with pytest.raises(services.ActivityError) as refused:
        create(people, **changes)
    assert field in refused.value.errors


def test_edit_by_another_organiser_is_logged(app, ctx, people, make):
    activity = create(people)
    other = make.user(initiative=people["initiative"], role=Role.COORDINATOR)
    services.activity_update(
        activity=activity, editor=get(User, other), fields=fields(title="Nieuw"), now=utcnow()
    )
    entry = db.session.execute(select(AuditEntry)).scalar_one()
    assert (entry.action, entry.subject_id) == ("activity_edit", activity.id)
    assert get(Activity, activity).title == "Nieuw"


def test_cancel_tells_coming_signups_and_withdraws_their_lifts(app, ctx, people, outbox):
    activity = make_activity(app, people["initiative"], transport_available=True)
    signup = make_signup(app, activity, user=people["resident"])
    lift = lifts.lift_request_create(
        signup=db.session.get(ActivitySignup, signup.id),
        actor=get(User, people["resident"]),
        today=in_days(0),
        now=utcnow(),
    )
    outbox.clear()
    services.activity_cancel(
        activity=get(Activity, activity),
        actor=get(User, people["connector"]),
        reason="De zaal is dicht",
        now=utcnow(),
    )
    assert get(Activity, activity).status == ActivityStatus.CANCELLED
    assert db.session.get(HelpRequest, lift.id).status == RequestStatus.WITHDRAWN
    [(to, subject, body)] = outbox
    assert (to, subject) == ("r@example.nl", "Gaat niet door: Eetclub")
    assert "De zaal is dicht" in body
    with pytest.raises(services.ActivityError, match="Alleen de organisatie"):
        services.activity_cancel(
            activity=get(Activity, activity),
            actor=get(User, people["resident"]),
            reason="",
            now=utcnow(),
        )


def test_approve_and_reject_a_proposal(app, ctx, people, outbox):
    connector = get(User, people["connector"])
    proposals = [
        make_activity(app, people["initiative"], review_state=ReviewState.PENDING, **by)
        for by in ({"created_by_id": people["resident"].id},) * 2
    ]
    services.proposal_approve(activity=get(Activity, proposals[0]), actor=connector, now=utcnow())
    with pytest.raises(services.ActivityError) as refused:
        services.proposal_reject(
            activity=get(Activity, proposals[1]), actor=connector, reason=" ", now=utcnow()
        )
    assert "reason" in refused.value.errors
    services.proposal_reject(
        activity=get(Activity, proposals[1]), actor=connector, reason="Te duur", now=utcnow()
    )
    states = [get(Activity, p).review_state for p in proposals]
    assert states == [ReviewState.APPROVED, ReviewState.REJECTED]
    assert [subject for _to, subject, _b in outbox] == [
        "Uw voorstel staat erop: Eetclub",
        "Uw voorstel is nog niet geplaatst: Eetclub",
    ]
    actions = db.session.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars()
    assert list(actions) == ["activity_approve", "activity_reject"]
    # The proposer changes the rejected proposal: it goes back to the queue.
    services.activity_update(
        activity=get(Activity, proposals[1]),
        editor=get(User, people["resident"]),
        fields=fields(cost_cents=0),
        now=utcnow(),
    )
    assert get(Activity, proposals[1]).review_state == ReviewState.PENDING
