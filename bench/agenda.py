"""The agenda pages and the reminder job with a busy initiative, timed in process CPU time.

Seeds one initiative with --activities weekly activities (capacity 20, sign-ups on every
date of the next 8 weeks and the last 8) plus as many activities in 9 other initiatives,
into a fresh SQLite file; then requests the list, week, print and ICS pages through Flask's
test client (in process, no HTTP) and runs the reminder job for one day. CPU time
(time.process_time), not wall time: the machine is shared, so wall times mean little.

    .venv/bin/python bench/agenda.py --activities 40 --requests 30
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from buurthulp.activities.models import (  # noqa: E402
    Activity,
    ActivityKind,
    ActivitySignup,
    SignupStatus,
)
from buurthulp.app import create_app  # noqa: E402
from buurthulp.extensions import db  # noqa: E402
from buurthulp.listings.clock import TIMEZONE  # noqa: E402
from buurthulp.scheduler.jobs import activity_reminders  # noqa: E402
from tests.factories import Factories  # noqa: E402


def seed(app, count: int) -> tuple[str, int]:
    make = Factories(app)
    initiatives = [make.initiative() for _ in range(10)]
    people = [make.user(initiative=initiatives[0]) for _ in range(60)]
    today = datetime.now(TIMEZONE).date()
    signups = 0
    with app.app_context():
        for initiative in initiatives:
            for n in range(count):
                activity = Activity(
                    initiative_id=initiative.id,
                    title=f"Activiteit {n}",
                    kind=list(ActivityKind)[n % len(ActivityKind)],
                    venue_name="Buurthuis",
                    venue_street="Straat 1",
                    venue_postcode="8011AA",
                    place="Zwolle",
                    latitude=52.5,
                    longitude=6.1,
                    starts_on=today - timedelta(days=56 - n % 7),
                    start_time=clock(10 + n % 8),
                    weekly=True,
                    capacity=20,
                )
                db.session.add(activity)
                db.session.flush()
                for week in range(16):
                    day = activity.starts_on + timedelta(weeks=week)
                    for person in people[(n * 3) % 40 : (n * 3) % 40 + 20]:
                        db.session.add(
                            ActivitySignup(
                                activity_id=activity.id,
                                occurs_on=day,
                                user_id=person.id,
                                status=SignupStatus.CONFIRMED,
                            )
                        )
                        signups += 1
        db.session.commit()
    return initiatives[0].slug, signups


def cpu_ms(client, url: str, requests: int) -> tuple[float, float]:
    times = []
    for _ in range(requests):
        start = time.process_time()
        response = client.get(url)
        times.append((time.process_time() - start) * 1000)
        assert response.status_code == 200, url
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=40)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite"}
        )
        with app.app_context():
            db.create_all()
        slug, signups = seed(app, args.activities)
        print(f"{args.activities} weekly activities per initiative, {signups} sign-ups in all")
        client = app.test_client()
        base = f"/activiteiten/agenda/{slug}"
        for path in ("", "/week", "/afdrukken", "/agenda.ics"):
            median, p95 = cpu_ms(client, base + path, args.requests)
            print(f"GET {base + path}: CPU median {median:.1f} ms, p95 {p95:.1f} ms")
        with app.app_context():
            start = time.process_time()
            summary = activity_reminders.job(datetime.now(UTC))
            spent = time.process_time() - start
        print(f"remind_activities: {summary} in {spent:.2f} s CPU (no mail server: logged)")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
