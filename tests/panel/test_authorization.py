"""Who may use which panel route: every /paneel route against every role.

NOTE FOR PANEL-B (and anyone adding a /paneel route): the table ROUTES must name every
(endpoint, method) of every URL rule under /paneel, or test_every_panel_route_has_a_row
fails (default deny). For a new route add ONE row:

    ("residents.member_note", "GET"): Row(STREET_X | MODERATING, args(user_id="resident")),

- `allowed`: the roles that get the page (any status < 400 or 422, no login redirect);
  every other logged-in role must get 403 or 404, anonymous a redirect to the login page.
- `args`: URL values; a string names an object of World (built in `world` below: add what
  your routes need there), e.g. user_id="resident" -> world.ids["resident"] in initiative A.
  `initiative_id` is always initiative A unless you pass it.
- `other`: URL values that point at initiative B's objects (same names, "b_" prefix in
  World) for test_other_initiatives_ids_are_404; leave it out for routes without ids.
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Role, Street
from buurthulp.moderation.models import Flag, FlagSubject, ReviewState, Suspension, SuspensionKind
from buurthulp.outreach.models import Referral, Service, ServiceKind
from buurthulp.panel.models import StreetAssignment
from buurthulp.residents.models import ProxyResident
from tests.activities import robustness_table as activities_table

ROLES = (
    "anonymous",
    "resident",
    "street_contact_x",
    "connector_a",
    "connector_b",
    "coordinator_a",
    "admin",
)
MODERATING = frozenset({"connector_a", "coordinator_a", "admin"})
COORDINATING = frozenset({"coordinator_a", "admin"})
STREET_X = frozenset({"street_contact_x"})
ANY_PANEL_ROLE = STREET_X | MODERATING | {"connector_b"}


MATCHER_SETTINGS = {
    "batch_size": "4",
    "escalate_after_hours": "6",
    "max_rounds": "2",
    "radius_step_km": "1,5",
    "weight_distance": "1",
    "weight_overlap": "0,5",
    "weight_load": "0,8",
}


def args(**values) -> dict:
    return values


@dataclass(frozen=True)
class Row:
    allowed: frozenset
    args: dict = field(default_factory=dict)
    other: dict | None = None  # the same route with initiative B's objects
    data: dict = field(default_factory=dict)  # form fields for a POST


# Phone intake and private notes: straatcontactpersonen and buurtverbinders, not coordinators.
INTAKE = STREET_X | {"connector_a"}
IN_A = STREET_X | MODERATING
MEMBER_X = args(user_id="resident_x")
PROXY_X = args(resident_id="proxy_x")
UNMATCHED = args(request_id="unmatched_request")
# Note, account and new-request routes check the role before the object, so A's coordinator
# gets 403 with B's ids as with A's: their B-id case is in tests/residents/test_views.py
# (connector of B: 404).
RESIDENTS_ROUTES: dict[tuple[str, str], Row] = {
    ("residents.intake_new", "GET"): Row(INTAKE),
    ("residents.intake_new", "POST"): Row(INTAKE),
    ("residents.proxy_request_new", "GET"): Row(INTAKE, PROXY_X),
    ("residents.proxy_request_new", "POST"): Row(INTAKE, PROXY_X),
    ("residents.residents_list", "GET"): Row(IN_A),
    ("residents.member_detail", "GET"): Row(IN_A, MEMBER_X, args(user_id="b_resident")),
    ("residents.member_verify", "POST"): Row(IN_A, MEMBER_X, args(user_id="b_resident")),
    ("residents.member_note", "GET"): Row(INTAKE, MEMBER_X),
    ("residents.member_note", "POST"): Row(INTAKE, MEMBER_X, data={"body": "Woont alleen"}),
    ("residents.proxy_detail", "GET"): Row(IN_A, PROXY_X, args(resident_id="b_proxy")),
    ("residents.proxy_note", "GET"): Row(INTAKE, PROXY_X),
    ("residents.proxy_note", "POST"): Row(INTAKE, PROXY_X, data={"body": "Slechtziend"}),
    ("residents.proxy_account", "POST"): Row(INTAKE, PROXY_X),
    ("residents.verification_setting", "POST"): Row(
        COORDINATING, data={"unverified_may_accept": "yes"}
    ),
    ("residents.unmatched_list", "GET"): Row(IN_A),
    ("residents.unmatched_detail", "GET"): Row(
        IN_A, UNMATCHED, args(request_id="b_unmatched_request")
    ),
    ("residents.unmatched_invite", "POST"): Row(
        IN_A, UNMATCHED, args(request_id="b_unmatched_request")
    ),
    ("residents.unmatched_match", "POST"): Row(
        IN_A, UNMATCHED, args(request_id="b_unmatched_request")
    ),
}

# Attendance: a date a week ago of an activity in A (and in B); see _activities_world.
PAST_A = args(activity_id="past_activity", day="past_day")
PAST_B = args(activity_id="b_past_activity", day="past_day")
ACTIVITY_ROUTES: dict[tuple[str, str], Row] = {
    ("panel.activity_dates", "GET"): Row(MODERATING),
    ("panel.attendance_form", "GET"): Row(MODERATING, PAST_A, PAST_B),
    ("panel.attendance_form", "POST"): Row(MODERATING, PAST_A, PAST_B),
}
# Outreach: the resident's street contact person, connectors and coordinators; the
# sociale kaart is kept by connectors and coordinators. Role first, then the object: a
# coordinator of A with B's ids gets 404.
OUTREACH = STREET_X | MODERATING
CHECK_IN = {"kind": "phone", "on_date": "", "outcome": "doing_well"}
REFERRAL = {"service_id": "", "follow_up_on": ""}
OUTREACH_ROUTES: dict[tuple[str, str], Row] = {
    ("outreach.not_contacted", "GET"): Row(OUTREACH),
    ("outreach.setting", "POST"): Row(COORDINATING, data={"free_text_notes": "yes"}),
    ("outreach.follow_ups", "GET"): Row(OUTREACH),
    ("outreach.follow_up_done", "POST"): Row(
        OUTREACH,
        args(referral_id="referral"),
        args(referral_id="b_referral"),
        data={"outcome": "helped"},
    ),
    ("outreach.services_panel", "GET"): Row(OUTREACH),
    ("outreach.service_new", "GET"): Row(MODERATING),
    ("outreach.service_new", "POST"): Row(MODERATING, data={"kind": "gp", "name": "Huisarts"}),
    ("outreach.service_edit", "GET"): Row(
        MODERATING, args(service_id="service"), args(service_id="b_service")
    ),
    ("outreach.service_edit", "POST"): Row(
        MODERATING,
        args(service_id="service"),
        args(service_id="b_service"),
        data={"kind": "gp", "name": "Huisarts"},
    ),
    ("outreach.service_archive", "POST"): Row(
        MODERATING, args(service_id="service"), args(service_id="b_service")
    ),
    ("outreach.member_contact", "GET"): Row(OUTREACH, MEMBER_X, args(user_id="b_resident")),
    ("outreach.member_check_in", "POST"): Row(
        OUTREACH, MEMBER_X, args(user_id="b_resident"), data=CHECK_IN
    ),
    ("outreach.member_living", "POST"): Row(
        OUTREACH, MEMBER_X, args(user_id="b_resident"), data={"lives_alone": "unknown"}
    ),
    ("outreach.member_referral", "POST"): Row(
        OUTREACH, MEMBER_X, args(user_id="b_resident"), data=REFERRAL
    ),
    ("outreach.proxy_contact", "GET"): Row(OUTREACH, PROXY_X, args(resident_id="b_proxy")),
    ("outreach.proxy_check_in", "POST"): Row(
        OUTREACH, PROXY_X, args(resident_id="b_proxy"), data=CHECK_IN
    ),
    ("outreach.proxy_living", "POST"): Row(
        OUTREACH, PROXY_X, args(resident_id="b_proxy"), data={"lives_alone": "unknown"}
    ),
    ("outreach.proxy_referral", "POST"): Row(
        OUTREACH, PROXY_X, args(resident_id="b_proxy"), data=REFERRAL
    ),
}

POST_A = args(kind="hulpvraag", listing_id="pending_request")
POST_B = args(kind="hulpvraag", listing_id="b_pending_request")

ROUTES: dict[tuple[str, str], Row] = {
    ("panel.index", "GET"): Row(ANY_PANEL_ROLE, {"initiative_id": None}),
    ("panel.queue", "GET"): Row(MODERATING),
    ("panel.approve", "POST"): Row(MODERATING, POST_A, POST_B),
    ("panel.reject", "GET"): Row(MODERATING, POST_A, POST_B),
    ("panel.reject", "POST"): Row(MODERATING, POST_A, POST_B),
    ("panel.flags", "GET"): Row(MODERATING),
    ("panel.resolve", "POST"): Row(
        MODERATING,
        args(subject="hulpvraag", subject_id="flagged_request"),
        args(subject="hulpvraag", subject_id="b_flagged_request"),
        data={"resolution": "kept"},
    ),
    ("panel.settings", "GET"): Row(COORDINATING),
    ("panel.settings", "POST"): Row(COORDINATING, data={"mode": "pre"}),
    ("panel.matcher", "GET"): Row(COORDINATING),
    ("panel.matcher", "POST"): Row(COORDINATING, data=MATCHER_SETTINGS),
    ("panel.members", "GET"): Row(COORDINATING),
    ("panel.member_role", "POST"): Row(
        COORDINATING, args(user_id="resident"), args(user_id="b_resident"), {"role": "resident"}
    ),
    ("panel.member_invite", "POST"): Row(COORDINATING),
    ("panel.streets", "GET"): Row(COORDINATING),
    ("panel.streets", "POST"): Row(COORDINATING),
    ("panel.street_assign", "POST"): Row(
        COORDINATING, args(street_id="street_y"), args(street_id="b_street")
    ),
    ("panel.street_unassign", "POST"): Row(
        COORDINATING,
        args(street_id="street_x", user_id="street_contact_x"),
        args(street_id="b_street", user_id="b_street_contact"),
    ),
    ("panel.suspensions", "GET"): Row(MODERATING),
    ("panel.suspensions", "POST"): Row(MODERATING),
    ("panel.suspension_lift", "POST"): Row(
        MODERATING, args(suspension_id="suspension"), args(suspension_id="b_suspension")
    ),
    ("panel.audit", "GET"): Row(COORDINATING),
    **RESIDENTS_ROUTES,
    **activities_table.panel_rows(Row, MODERATING, COORDINATING, args),
    **ACTIVITY_ROUTES,
    **OUTREACH_ROUTES,
}


def panel_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/paneel"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_every_panel_route_has_a_row(app):
    found = {(rule.endpoint, method) for rule, method in panel_rules(app)}
    assert found - set(ROUTES) == set(), "add a row to ROUTES for each new panel route"
    assert set(ROUTES) - found == set(), "ROUTES names a route that no longer exists"


@dataclass
class World:
    a: int
    b: int
    ids: dict
    users: dict


def _member(make, initiative, role, street_name="Diezerstraat", **fields):
    return make.user(initiative=initiative, role=role, street_name=street_name, **fields)


@pytest.fixture
def world(app, make) -> World:
    a, b = make.initiative(), make.initiative(pc4s=("8012",))
    users = {
        "resident": _member(make, a, Role.RESIDENT),
        "street_contact_x": _member(make, a, Role.STREET_CONTACT),
        "connector_a": _member(make, a, Role.CONNECTOR),
        "connector_b": _member(make, b, Role.CONNECTOR),
        "coordinator_a": _member(make, a, Role.COORDINATOR),
        "admin": make.user(is_platform_admin=True),
    }
    b_resident = _member(make, b, Role.RESIDENT)
    b_contact = _member(make, b, Role.STREET_CONTACT)
    reporters = [_member(make, a, Role.RESIDENT) for _ in range(2)]
    pending = make.help_request(
        requester=users["resident"], initiative=a, review_state=ReviewState.PENDING
    )
    flagged = make.help_request(requester=users["resident"], initiative=a, title="Gemeld")
    b_pending = make.help_request(
        requester=b_resident, initiative=b, review_state=ReviewState.PENDING
    )
    b_flagged = make.help_request(requester=b_resident, initiative=b, title="Gemeld in B")
    now = utcnow()
    with app.app_context():
        street_x = Street(initiative_id=a.id, name="Straat X")
        street_y = Street(initiative_id=a.id, name="Straat Y")
        b_street = Street(initiative_id=b.id, name="Straat B")
        db.session.add_all([street_x, street_y, b_street])
        db.session.flush()
        db.session.add_all(
            [
                StreetAssignment(street_id=street_x.id, user_id=users["street_contact_x"].id),
                StreetAssignment(street_id=b_street.id, user_id=b_contact.id),
                Flag(
                    initiative_id=a.id,
                    reporter_id=reporters[0].id,
                    subject_type=FlagSubject.HELP_REQUEST,
                    subject_id=flagged.id,
                    reason="Reclame",
                ),
                Flag(
                    initiative_id=b.id,
                    reporter_id=b_contact.id,
                    subject_type=FlagSubject.HELP_REQUEST,
                    subject_id=b_flagged.id,
                    reason="Reclame",
                ),
            ]
        )
        suspensions = [
            Suspension(
                user_id=user.id,
                initiative_id=initiative.id,
                kind=SuspensionKind.SUSPEND,
                reason="Onbeleefd",
                starts_at=now,
                ends_at=now + timedelta(days=7),
            )
            for user, initiative in ((reporters[1], a), (b_resident, b))
        ]
        db.session.add_all(suspensions)
        db.session.commit()
        ids = {
            "resident": users["resident"].id,
            "street_contact_x": users["street_contact_x"].id,
            "pending_request": pending.id,
            "flagged_request": flagged.id,
            "street_x": street_x.id,
            "street_y": street_y.id,
            "suspension": suspensions[0].id,
            "b_resident": b_resident.id,
            "b_street_contact": b_contact.id,
            "b_pending_request": b_pending.id,
            "b_flagged_request": b_flagged.id,
            "b_street": b_street.id,
            "b_suspension": suspensions[1].id,
        }
    ids.update(_residents_world(app, make, a, b, b_resident))
    ids.update(activities_table.panel_world(app, a, b))
    ids.update(_activities_world(app, a, b, users["resident"]))
    return World(a.id, b.id, ids, users)


def _activities_world(app, a, b, resident) -> dict:
    """A koffieochtend a week ago in A (the resident came) and one in B."""
    from buurthulp.listings.clock import local_today
    from tests.activities import agenda_factories

    day = local_today() - timedelta(days=7)
    past = agenda_factories.activity(app, a, starts_on=day)
    b_past = agenda_factories.activity(app, b, starts_on=day)
    agenda_factories.signup(app, past, day, user=resident)
    return {"past_activity": past.id, "b_past_activity": b_past.id, "past_day": day.isoformat()}


def _proxy_resident(initiative_id: int, street_id: int, now) -> "ProxyResident":
    return ProxyResident(
        initiative_id=initiative_id,
        street_id=street_id,
        first_name="Mien",
        last_name="Bakker",
        phone="0384211234",
        street_name="Straat",
        house_number="7",
        postcode="8011PX",
        place="Zwolle",
        latitude=52.5,
        longitude=6.1,
        consent_at=now,
    )


def _service(initiative_id: int):
    return Service(initiative_id=initiative_id, kind=ServiceKind.GP, name="Huisarts")


def _referral(initiative_id: int, service, **resident):
    today = utcnow().date()
    return Referral(
        initiative_id=initiative_id,
        service_id=service.id,
        kind=service.kind,
        referred_on=today,
        follow_up_on=today,
        **resident,
    )


def _residents_world(app, make, a, b, b_resident) -> dict:
    """For the residents' routes: a member living in street X with a request the matcher
    flagged, a phone-intake resident in street X, and the same in initiative B."""
    resident_x = _member(make, a, Role.RESIDENT, street_name="Straat X")
    unmatched = make.help_request(requester=resident_x, initiative=a, needs_attention=True)
    b_unmatched = make.help_request(requester=b_resident, initiative=b, needs_attention=True)
    with app.app_context():
        street_x, b_street = (
            db.session.execute(
                db.select(Street.id).filter_by(initiative_id=initiative.id, name=name)
            ).scalar_one()
            for initiative, name in ((a, "Straat X"), (b, "Straat B"))
        )
        proxies = [
            _proxy_resident(a.id, street_x, utcnow()),
            _proxy_resident(b.id, b_street, utcnow()),
        ]
        db.session.add_all(proxies)
        db.session.commit()
        services = [_service(a.id), _service(b.id)]
        db.session.add_all(services)
        db.session.flush()
        referrals = [
            _referral(a.id, services[0], user_id=resident_x.id),
            _referral(b.id, services[1], user_id=b_resident.id),
        ]
        db.session.add_all(referrals)
        db.session.commit()
        return {
            "service": services[0].id,
            "b_service": services[1].id,
            "referral": referrals[0].id,
            "b_referral": referrals[1].id,
            "resident_x": resident_x.id,
            "proxy_x": proxies[0].id,
            "unmatched_request": unmatched.id,
            "b_proxy": proxies[1].id,
            "b_unmatched_request": b_unmatched.id,
        }


def url_for_row(app, world: World, endpoint: str, values: dict) -> str:
    resolved = {"initiative_id": world.a}
    for name, value in values.items():
        resolved[name] = world.ids.get(value, value) if isinstance(value, str) else value
    resolved = {k: v for k, v in resolved.items() if v is not None}
    with app.test_request_context():
        from flask import url_for

        return url_for(endpoint, **resolved)


def _call(client, method, url, data):
    return client.get(url) if method == "GET" else client.post(url, data=data)


@pytest.mark.parametrize("role", ROLES)
def test_every_route_against_every_role(app, client, auth, world, role):
    """One login per role, then every route: allowed roles get the page, everyone else
    a 403 or 404 (anonymous: the login page). Runs every row, then reports all failures."""
    if role != "anonymous":
        auth.login_direct(world.users[role])
    failures = []
    for (endpoint, method), row in sorted(ROUTES.items()):
        url = url_for_row(app, world, endpoint, row.args)
        response = _call(client, method, url, row.data)
        status = response.status_code
        if role == "anonymous":
            ok = status == 302 and "/inloggen" in response.headers["Location"]
        elif role in row.allowed:
            ok = status < 400 or status == 422
            ok = ok and "/inloggen" not in response.headers.get("Location", "")
        else:
            ok = status in (403, 404)
        if not ok:
            failures.append(f"{method} {endpoint} {url}: {status}")
    assert failures == []


@pytest.mark.parametrize(
    "endpoint,method", sorted(key for key, row in ROUTES.items() if row.other is not None)
)
def test_other_initiatives_ids_are_404(app, client, auth, world, endpoint, method):
    """Initiative A's coordinator, on A's URL with an id of initiative B's object: 404."""
    row = ROUTES[(endpoint, method)]
    auth.login_direct(world.users["coordinator_a"])
    url = url_for_row(app, world, endpoint, row.other)
    response = _call(client, method, url, row.data)
    assert response.status_code == 404, url


def test_admin_is_coordinator_of_b_but_connector_a_is_not(app, client, auth, world):
    auth.login_direct(world.users["connector_a"])
    assert client.get(f"/paneel/{world.b}/wachtrij").status_code == 404
    auth.logout()
    auth.login_direct(world.users["admin"])
    assert client.get(f"/paneel/{world.b}/auditlog").status_code == 200
    assert client.get("/paneel/999999/wachtrij").status_code == 404


def _b_state(app, world):
    with app.app_context():
        memberships = db.session.execute(
            db.select(Membership.user_id, Membership.role).where(
                Membership.initiative_id == world.b
            )
        ).all()
        suspensions = db.session.execute(
            db.select(Suspension.id).where(Suspension.initiative_id == world.b)
        ).all()
        assignments = db.session.execute(db.select(StreetAssignment.user_id)).all()
        return sorted(memberships), sorted(suspensions), sorted(assignments)


def test_form_fields_never_reach_another_initiative(app, client, auth, world):
    """initiative_id=, user_id= and street_id= of initiative B in A's forms change nothing in B."""
    before = _b_state(app, world)
    auth.login_direct(world.users["coordinator_a"])
    b = {"initiative_id": world.b}
    a = world.a
    posts = [
        (f"/paneel/{a}/leden/{world.ids['resident']}/rol", {"role": "coordinator", **b}),
        (
            f"/paneel/{a}/schorsingen",
            {
                "user_id": world.ids["b_resident"],
                "kind": "block",
                "reason": "x",
                "ends_on": "2099-01-01",
                **b,
            },
        ),
        (
            f"/paneel/{a}/straten/{world.ids['street_y']}/toewijzen",
            {"user_id": world.ids["b_street_contact"], **b},
        ),
        (
            f"/paneel/{a}/leden/uitnodigen",
            {"email": "x@example.nl", "role": "street_contact", "street_id": world.ids["b_street"]},
        ),
        (f"/paneel/{a}/instellingen", {"mode": "pre", **b}),
    ]
    for url, data in posts:
        response = client.post(url, data=data)
        assert response.status_code in (303, 422), (url, response.status_code)
    assert _b_state(app, world) == before
    from buurthulp.moderation.queries import moderation_mode

    with app.app_context():
        assert moderation_mode(world.b).value == "peer"
        assert moderation_mode(world.a).value == "pre"
