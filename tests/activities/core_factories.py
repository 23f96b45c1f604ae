"""Activities and sign-ups built straight on the models (for the act-core tests)."""

from datetime import time, timedelta

from buurthulp.activities.models import Activity, ActivityKind, ActivitySignup, SignupStatus
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.listings.clock import local_today
from buurthulp.moderation.models import ReviewState

VENUE = {
    "venue_name": "Buurthuis De Kroon",
    "venue_street": "Kerkstraat 12",
    "venue_postcode": "8011AB",
    "place": "Zwolle",
    "latitude": 52.51,
    "longitude": 6.09,
}


def in_days(days: int):
    return local_today() + timedelta(days=days)


def make_activity(app, initiative, **fields) -> Activity:
    """An approved, planned one-off activity next week, at a public venue."""
    values = {
        "initiative_id": initiative.id if hasattr(initiative, "id") else initiative,
        "title": "Eetclub",
        "kind": ActivityKind.MEAL_CLUB,
        "description": "Samen eten",
        "starts_on": in_days(7),
        "start_time": time(17, 30),
        "end_time": time(19, 30),
        "review_state": ReviewState.APPROVED,
        **VENUE,
    }
    values.update(fields)
    with app.app_context():
        activity = Activity(**values)
        db.session.add(activity)
        db.session.commit()
        db.session.refresh(activity)
        db.session.expunge(activity)
    return activity


def make_signup(app, activity, *, user=None, proxy=None, status=SignupStatus.CONFIRMED, **fields):
    with app.app_context():
        signup = ActivitySignup(
            activity_id=activity.id,
            occurs_on=fields.pop("occurs_on", activity.starts_on),
            user_id=user.id if user else None,
            proxy_resident_id=proxy.id if proxy else None,
            status=status,
            signed_up_at=fields.pop("signed_up_at", utcnow()),
            **fields,
        )
        db.session.add(signup)
        db.session.commit()
        db.session.refresh(signup)
        db.session.expunge(signup)
    return signup
