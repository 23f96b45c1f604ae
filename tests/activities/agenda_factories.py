"""Activities and sign-ups made straight on the models, for the agenda, reminder,
attendance and monitor tests (they do not depend on the sign-up services)."""

from datetime import date, time

from buurthulp.activities.models import Activity, ActivityKind, ActivitySignup, SignupStatus
from buurthulp.extensions import db


def activity(app, initiative, **fields) -> Activity:
    values = {
        "initiative_id": initiative.id,
        "title": "Koffieochtend",
        "kind": ActivityKind.COFFEE_MORNING,
        "venue_name": "Buurthuis De Kolk",
        "venue_street": "Kolkstraat 1",
        "venue_postcode": "8011AA",
        "place": "Zwolle",
        "latitude": 52.51,
        "longitude": 6.09,
        "starts_on": date(2026, 12, 8),
        "start_time": time(10, 0),
        "end_time": time(11, 30),
    }
    values.update(fields)
    with app.app_context():
        made = Activity(**values)
        db.session.add(made)
        db.session.commit()
        db.session.refresh(made)
        db.session.expunge(made)
    return made


def signup(app, made: Activity, day: date, *, user=None, proxy_id=None, **fields):
    with app.app_context():
        row = ActivitySignup(
            activity_id=made.id,
            occurs_on=day,
            user_id=user.id if user is not None else None,
            proxy_resident_id=proxy_id,
            status=fields.pop("status", SignupStatus.CONFIRMED),
            **fields,
        )
        db.session.add(row)
        db.session.commit()
        db.session.refresh(row)
        db.session.expunge(row)
    return row
