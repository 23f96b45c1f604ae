"""The activities' rows for the cross-cutting tables (tests/test_forms_robustness.py and
tests/panel/test_authorization.py), and the objects those rows point at."""

from buurthulp.activities.models import SignupStatus
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.moderation.models import ReviewState
from buurthulp.residents.models import ProxyResident
from tests.activities.core_factories import in_days, make_activity, make_signup

ACTIVITY = {
    "title": "Eetclub",
    "kind": "meal_club",
    "description": "Samen eten",
    "venue_name": "Buurthuis De Kroon",
    "venue_street": "Kerkstraat 12",
    "venue_postcode": "8011 AB",
    "place": "Zwolle",
    "rhythm": "weekly",
    "starts_on": in_days(10).strftime("%d-%m-%Y"),
    "start_time": "17:30",
    "end_time": "19:30",
    "ends_on": "",
    "capacity": "12",
    "cost": "3,50",
    "wheelchair_accessible": "y",
    "hearing_loop": "y",
    "accessibility_notes": "Drempel bij de ingang",
    "transport_available": "y",
}
ACTIVITY_TEXT = ("title", "description", "venue_name", "venue_street", "accessibility_notes")
SHOWN_ON = ["/activiteiten/{activity}", "/activiteiten/{open_activity}"]


def activity_forms(Form, panel: str) -> dict:  # noqa: N803 - the table's own dataclass
    day = {"occurs_on": "{activity_day}"}
    return {
        "activities.activity_new": Form(
            "/activiteiten/initiatief/{initiative}/nieuw",
            tuple(ACTIVITY),
            valid=ACTIVITY,
            text=ACTIVITY_TEXT,
            as_user="connector",
        ),
        "activities.activity_edit": Form(
            "/activiteiten/{activity}/bewerken",
            tuple(ACTIVITY),
            valid=ACTIVITY,
            text=ACTIVITY_TEXT,
            as_user="connector",
        ),
        "activities.activity_cancel": Form(
            "/activiteiten/{open_activity}/afgelasten",
            ("reason",),
            valid={"reason": "De zaal is dicht"},
            text=("reason",),
            as_user="connector",
        ),
        "activities.signup": Form("/activiteiten/{open_activity}/aanmelden", tuple(day), valid=day),
        "activities.signup_cancel": Form(
            "/activiteiten/{activity}/afmelden", tuple(day), valid=day
        ),
        "activities.lift": Form("/activiteiten/{activity}/vervoer", tuple(day), valid=day),
        "activities.signup_cancel_for": Form(
            "/activiteiten/{activity}/aanmeldingen/{neighbour_signup}/afmelden",
            (),
            valid={},
            as_user="connector",
        ),
        "activities.lift_for": Form(
            "/activiteiten/{activity}/aanmeldingen/{proxy_signup}/vervoer",
            (),
            valid={},
            as_user="connector",
        ),
        "activities.signup_by_phone": Form(
            "/activiteiten/{open_activity}/aanmelden-namens",
            ("participant", "occurs_on"),
            valid={"participant": "proxy-{activity_proxy}", **day},
            as_user="connector",
        ),
        "panel.activity_settings": Form(
            panel + "/activiteiten-instelling",
            ("residents_may_propose",),
            valid={"residents_may_propose": "yes"},
            as_user="coordinator",
        ),
        "panel.activity_approve": Form(
            panel + "/wachtrij/activiteit/{proposal}/goedkeuren", (), as_user="coordinator"
        ),
        "panel.activity_reject": Form(
            panel + "/wachtrij/activiteit/{proposal}/afwijzen",
            ("reason",),
            valid={"reason": "Te duur"},
            text=("reason",),
            as_user="coordinator",
        ),
    }


def phone_resident(initiative_id: int, street_id: int | None = None) -> ProxyResident:
    return ProxyResident(
        initiative_id=initiative_id,
        street_id=street_id,
        first_name="Truus",
        last_name="Mulder",
        phone="0384211299",
        street_name="Diezerstraat",
        house_number="40",
        postcode="8011RB",
        place="Zwolle",
        latitude=52.51,
        longitude=6.09,
        consent_at=utcnow(),
    )


def activity_world(app, make, initiative, member, neighbour) -> dict:
    """An activity the member, the neighbour and a phone resident signed up for; one nobody
    signed up for; and the neighbour's proposal awaiting approval."""
    kwargs = {"capacity": 5, "transport_available": True, "weekly": True}
    activity = make_activity(app, initiative, **kwargs)
    open_activity = make_activity(app, initiative, title="Taalcafé", **kwargs)
    proposal = make_activity(
        app,
        initiative,
        title="Sjoelen",
        review_state=ReviewState.PENDING,
        created_by_id=neighbour.id,
    )
    with app.app_context():
        proxy = phone_resident(initiative.id)
        db.session.add(proxy)
        db.session.commit()
        proxy_id = proxy.id
        proxy = db.session.get(ProxyResident, proxy_id)
        db.session.expunge(proxy)
    make_signup(app, activity, user=member)
    neighbour_signup = make_signup(app, activity, user=neighbour, status=SignupStatus.WAITING)
    proxy_signup = make_signup(app, activity, proxy=proxy)
    return {
        "activity": activity.id,
        "open_activity": open_activity.id,
        "activity_day": activity.starts_on.isoformat(),
        "proposal": proposal.id,
        "neighbour_signup": neighbour_signup.id,
        "proxy_signup": proxy_signup.id,
        "activity_proxy": proxy_id,
    }


def panel_rows(Row, moderating, coordinating, args) -> dict:  # noqa: N803
    """Rows for tests/panel/test_authorization.py's ROUTES."""
    proposal = args(activity_id="proposal")
    b_proposal = args(activity_id="b_proposal")
    return {
        ("panel.activity_settings", "GET"): Row(coordinating),
        ("panel.activity_settings", "POST"): Row(
            coordinating, data={"residents_may_propose": "yes"}
        ),
        ("panel.activity_approve", "POST"): Row(moderating, proposal, b_proposal),
        ("panel.activity_reject", "GET"): Row(moderating, proposal, b_proposal),
        ("panel.activity_reject", "POST"): Row(
            moderating, proposal, b_proposal, data={"reason": "Te duur"}
        ),
    }


def panel_world(app, a, b) -> dict:
    """A pending proposal in initiative A and one in B."""
    return {
        "proposal": make_activity(app, a, review_state=ReviewState.PENDING).id,
        "b_proposal": make_activity(app, b, review_state=ReviewState.PENDING).id,
    }
