"""The list of residents not contacted: a fixed number of queries for hundreds of residents,
and the ranking applied to what the database says."""

from datetime import time, timedelta

from buurthulp.accounts.models import User
from buurthulp.activities.models import Activity, ActivityKind, ActivitySignup, SignupStatus
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Role
from buurthulp.listings.models import Category, HelpRequest, RequestStatus
from buurthulp.outreach import queries
from buurthulp.outreach.models import CheckIn, CheckInKind, CheckInOutcome, LivingSituation
from tests.outreach.conftest import NOW, TODAY, proxy
from tests.sql_statements import statements


def _activity(initiative_id: int) -> Activity:
    return Activity(
        initiative_id=initiative_id,
        title="Koffieochtend",
        kind=ActivityKind.COFFEE_MORNING,
        venue_name="Buurthuis",
        venue_street="Buurthuisstraat 1",
        venue_postcode="8011AA",
        place="Zwolle",
        latitude=52.5,
        longitude=6.1,
        starts_on=TODAY,
        start_time=time(10),
    )


def _request(initiative_id: int, user_id: int, status: RequestStatus, days_ago: int):
    return HelpRequest(
        initiative_id=initiative_id,
        requester_id=user_id,
        category=Category.GROCERIES,
        title="Boodschappen",
        description="",
        flexible_days=7,
        street_name="Diezerstraat",
        place="Zwolle",
        latitude=52.5,
        longitude=6.1,
        status=status,
        created_at=NOW - timedelta(days=days_ago),
    )


def _many(app, world, n: int, prefix: str = "veel") -> list[int]:
    """n members in street X; every 7th lives alone, every 5th asked for help, every 4th
    signed up for an activity, every 3rd was contacted long ago, every 11th recently."""
    with app.app_context():
        users = [
            User(
                email=f"{prefix}{i}@example.nl",
                password_hash="x",
                first_name="Bewoner",
                last_name=f"{i:04d}",
                street_name="Diezerstraat",
                house_number=str(i),
                postcode="8011AB",
                place="Zwolle",
                latitude=52.5,
                longitude=6.1,
                memberships=[
                    Membership(
                        initiative_id=world.a.id, role=Role.RESIDENT, street_id=world.street_x
                    )
                ],
            )
            for i in range(n)
        ]
        activity = _activity(world.a.id)
        db.session.add_all([*users, activity])
        db.session.flush()
        rows = []
        for i, user in enumerate(users):
            if i % 7 == 0:
                rows.append(
                    LivingSituation(
                        initiative_id=world.a.id, user_id=user.id, lives_alone=True, consent_at=NOW
                    )
                )
            if i % 5 == 0:
                rows.append(_request(world.a.id, user.id, RequestStatus.DONE, 10))
            if i % 4 == 0:
                rows.append(
                    ActivitySignup(
                        activity_id=activity.id,
                        occurs_on=TODAY,
                        user_id=user.id,
                        status=SignupStatus.CONFIRMED,
                    )
                )
            for every, days in ((3, 100 + i % 17), (11, 3)):
                if i % every == 0:
                    rows.append(
                        CheckIn(
                            initiative_id=world.a.id,
                            user_id=user.id,
                            kind=CheckInKind.VISIT,
                            on_date=TODAY - timedelta(days=days),
                            outcome=CheckInOutcome.DOING_WELL,
                            created_at=NOW,
                        )
                    )
        db.session.add_all(rows)
        db.session.commit()
        return [u.id for u in users]


def _list(world, street_ids=None):
    return queries.not_contacted(world.a.id, street_ids, weeks=6, now=NOW, today=TODAY)


def test_query_count_does_not_grow_with_the_residents(app, world):
    _many(app, world, 20)
    with app.app_context(), statements(db.engine) as few:
        _list(world)
    _many(app, world, 400, prefix="meer")  # the same world, twenty times as many
    with app.app_context(), statements(db.engine) as many:
        rows, total = _list(world)
    assert len(many) == len(few) <= 8, many
    assert total > 300 and len(rows) == queries.LIST_MAX


def test_ranking_follows_the_rules_on_real_rows(app, world):
    ids = _many(app, world, 120)
    with app.app_context():
        rows, total = _list(world, {world.street_x})
    keys = [row.candidate.key for row in rows]
    recent = {("member", ids[i]) for i in range(0, 120, 11)}
    assert not recent & set(keys)  # contacted 3 days ago: not on the list
    first = rows[0].candidate
    assert (first.lives_alone, first.asked, first.signed_up, first.last_contact) == (
        True,
        False,
        False,
        None,
    )
    # Everyone who lives alone comes before everyone who does not.
    alone = [row.candidate.lives_alone is True for row in rows]
    assert alone == sorted(alone, reverse=True)
    # The phone-intake resident of street X is on the list; nobody of street Y is.
    assert ("proxy", world.proxy_x) in keys
    assert ("member", world.resident_y.id) not in keys
    assert total == len(rows)


def test_only_activity_sign_ups_that_are_not_cancelled_count(app, world):
    with app.app_context():
        activity = _activity(world.a.id)
        db.session.add(activity)
        db.session.flush()
        db.session.add(
            ActivitySignup(
                activity_id=activity.id,
                occurs_on=TODAY,
                proxy_resident_id=world.proxy_x,
                status=SignupStatus.CANCELLED,
            )
        )
        db.session.add(_request(world.a.id, world.resident_x.id, RequestStatus.OPEN, 300))
        db.session.commit()
        rows, _total = _list(world)
    by_key = {row.candidate.key: row.candidate for row in rows}
    assert by_key[("proxy", world.proxy_x)].signed_up is False
    # An open request counts however old it is.
    assert by_key[("member", world.resident_x.id)].asked is True


def test_a_second_phone_intake_resident_counts_once(app, world):
    other = proxy(app, world.a.id, world.street_x, first_name="Truus")
    with app.app_context():
        rows, _total = _list(world, {world.street_x})
    keys = [row.candidate.key for row in rows]
    assert keys.count(("proxy", other)) == 1


def test_a_residents_contact_page_costs_the_same_with_many_check_ins(app, client, auth, world):
    """Who logged each check-in and each referral's service come with the rows (no N+1)."""
    auth.login_direct(world.coordinator)
    page = f"/paneel/{world.a.id}/bewoners/{world.resident_x.id}/contact"

    def add(n: int) -> None:
        with app.app_context():
            for i in range(n):
                db.session.add(
                    CheckIn(
                        initiative_id=world.a.id,
                        user_id=world.resident_x.id,
                        kind=CheckInKind.PHONE,
                        on_date=TODAY - timedelta(days=i),
                        outcome=CheckInOutcome.DOING_WELL,
                        by_id=[world.contact_x.id, world.connector.id, world.coordinator.id][i % 3],
                    )
                )
            db.session.commit()

    add(1)
    with app.app_context(), statements(db.engine) as few:
        assert client.get(page).status_code == 200
    add(30)
    with app.app_context(), statements(db.engine) as many:
        assert client.get(page).status_code == 200
    assert len(many) == len(few), many
