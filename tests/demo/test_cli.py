"""`flask demo-data` on an empty database, and again."""

from datetime import date

import pytest
from sqlalchemy import func, select

from buurthulp.accounts.models import User
from buurthulp.accounts.passwords import check_password_rules, verify_password
from buurthulp.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from buurthulp.extensions import db
from buurthulp.geo.postcodes import locate
from buurthulp.initiatives.models import Initiative, Membership, Role
from buurthulp.listings.models import (
    Category,
    HelpOffer,
    HelpRequest,
    HelpResponse,
    Recurrence,
    RequestStatus,
    Urgency,
)


@pytest.fixture
def loaded(app, runner):
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        yield result


def _all(model):
    return db.session.execute(select(model)).scalars().all()


def _table_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


def test_three_initiatives_in_three_provinces(loaded):
    initiatives = _all(Initiative)
    assert len(initiatives) == 3
    assert {i.province for i in initiatives} == {"Overijssel", "Utrecht", "Gelderland"}
    for initiative in initiatives:
        assert initiative.domains and initiative.description and initiative.founding_year
        assert 10 <= len(initiative.streets) <= 15
        for pc4 in initiative.pc4_values:
            assert locate(pc4 + "AB")[1].province == initiative.province


def test_about_two_hundred_residents_at_real_addresses(loaded):
    users = _all(User)
    assert 190 <= len(users) <= 210
    assert len({u.email for u in users}) == len(users)
    assert any(" " in u.last_name for u in users)  # tussenvoegsels: "van der Meer"
    for user in users:
        membership = user.memberships[0]
        assert user.postcode[:4] in membership.initiative.pc4_values
        assert membership.street is not None and membership.street.name == user.street_name
        assert user.phone and user.house_number
        area = locate(user.postcode)[1]
        assert (user.latitude, user.longitude) == (area.latitude, area.longitude)


def test_every_role_has_a_demo_account_with_the_demo_password(loaded):
    check_password_rules(DEMO_PASSWORD)
    roles = set()
    for _label, resident in DEMO_ACCOUNTS:
        user = db.session.execute(select(User).filter_by(email=resident.email)).scalar_one()
        assert verify_password(user.password_hash, DEMO_PASSWORD)
        assert not verify_password(user.password_hash, DEMO_PASSWORD + "x")
        roles.add(user.memberships[0].role)
        if resident.is_platform_admin:
            roles.add("platform_admin")
            assert user.is_platform_admin
    assert roles == set(Role) | {"platform_admin"}
    coordinator = db.session.execute(
        select(Membership).join(User).filter(User.email == "coordinator@example.nl")
    ).scalar_one()
    assert coordinator.initiative.municipality == "Zwolle"
    assert loaded.output.count("@example.nl") == len(DEMO_ACCOUNTS)


def test_requests_in_every_category_and_every_kind_of_when(loaded):
    requests = _all(HelpRequest)
    assert {r.category for r in requests} == set(Category)
    assert sum(r.status is RequestStatus.OPEN for r in requests) > len(requests) * 0.7
    assert {RequestStatus.DONE, RequestStatus.WITHDRAWN} <= {r.status for r in requests}
    assert any(r.flexible_days for r in requests)
    assert any(r.on_date and r.time_from < r.time_until for r in requests)
    assert any(r.urgency is Urgency.HIGH for r in requests)
    assert any(r.recurrence is Recurrence.WEEKLY for r in requests)
    assert any(r.needs_car for r in requests)
    for request in requests:
        if request.proxy_resident_id is not None:
            continue  # taken by phone: no account (test_the_panel_has_something_to_show)
        assert request.requester.memberships[0].initiative_id == request.initiative_id
        assert (request.latitude, request.longitude) == request.requester.location


def test_offers_and_responses(loaded):
    offers = _all(HelpOffer)
    assert len(offers) >= 30
    assert all(o.categories and o.availability and 1 <= o.max_distance_km <= 5 for o in offers)
    assert any(o.has_car for o in offers) and not all(o.has_car for o in offers)
    assert 1 <= sum(bool(o.paused_until and o.paused_until > date.today()) for o in offers) <= 3
    responses = _all(HelpResponse)
    assert len(responses) >= 10
    assert all(r.volunteer_id != r.request.requester_id for r in responses)


def test_a_second_run_adds_nothing(app, runner, loaded):
    before = _table_counts()
    db.session.remove()
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert _table_counts() == before
    assert "nothing added" in result.output


def test_a_run_completes_what_is_missing(app, runner, loaded):
    before = _table_counts()
    db.session.execute(HelpResponse.__table__.delete())
    db.session.delete(_all(HelpOffer)[0])
    db.session.commit()
    db.session.remove()
    result = runner.invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert _table_counts() == before


def test_the_panel_has_something_to_show(loaded):
    from buurthulp.panel import scope
    from buurthulp.residents.models import ProxyResident
    from buurthulp.residents.verification import verified_user_ids

    contact = db.session.execute(
        select(User).where(User.email == "straatcontact@example.nl")
    ).scalar_one()
    initiative_id = contact.memberships[0].initiative_id
    streets = scope.street_ids_in_scope(contact, initiative_id)
    assert streets == {contact.memberships[0].street_id}
    phoned_in = db.session.execute(
        select(HelpRequest).where(HelpRequest.proxy_resident_id.is_not(None))
    ).scalar_one()
    assert phoned_in.created_by_id == contact.id and phoned_in.requester_id is None
    assert db.session.get(ProxyResident, phoned_in.proxy_resident_id).street_id in streets
    resident = db.session.execute(
        select(User).where(User.email == "bewoner@example.nl")
    ).scalar_one()
    assert resident.id in verified_user_ids(initiative_id)


def test_activities_to_sign_up_for_and_a_proposal_to_review(loaded):
    from buurthulp.activities.models import Activity, ActivitySignup, SignupStatus
    from buurthulp.moderation.models import ReviewState

    activities = {a.title: a for a in _all(Activity)}
    assert activities["Eetclub in De Kroon"].weekly
    assert activities["Wandelgroep langs de IJssel"].review_state == ReviewState.PENDING
    taalcafe = activities["Taalcafé"]
    statuses = sorted(s.status for s in _all(ActivitySignup) if s.activity_id == taalcafe.id)
    assert statuses == [SignupStatus.CONFIRMED] * 2 + [SignupStatus.WAITING]


def test_outreach_has_something_to_show(loaded):
    from buurthulp.outreach import queries
    from buurthulp.outreach.models import CheckIn, Referral, Service

    contact = db.session.execute(
        select(User).where(User.email == "straatcontact@example.nl")
    ).scalar_one()
    initiative_id = contact.memberships[0].initiative_id
    assert len(queries.services(initiative_id)) == 4
    assert {c.by_id for c in _all(CheckIn)} == {contact.id} and len(_all(CheckIn)) == 2
    referral = _all(Referral)[0]
    assert referral.follow_up_done_at is None and referral.by_id == contact.id
    assert all(s.initiative_id == initiative_id for s in _all(Service))
