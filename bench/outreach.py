"""The "wie spraken we lang niet?" list for a large initiative: statements and CPU time.

Loads one initiative with --residents members in --streets streets (plus 10% phone-intake
residents), each with a few check-ins, requests and activity sign-ups, into a fresh SQLite
file, then calls outreach.queries.not_contacted for the whole initiative and for one street
--runs times. Prints the number of SQL statements per call and the process CPU time per call
(time.process_time: the machine is shared, so wall time means little; with SQLite the
database work runs in this process and is included).

    .venv/bin/python bench/outreach.py --residents 5000 --json
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from buurthulp.accounts.models import User  # noqa: E402
from buurthulp.activities.models import (  # noqa: E402
    Activity,
    ActivityKind,
    ActivitySignup,
    SignupStatus,
)
from buurthulp.app import create_app  # noqa: E402
from buurthulp.extensions import db  # noqa: E402
from buurthulp.initiatives.models import (  # noqa: E402
    Initiative,
    InitiativeKind,
    LegalForm,
    Membership,
    Phase,
    Role,
    Street,
)
from buurthulp.listings.models import Category, HelpRequest, RequestStatus  # noqa: E402
from buurthulp.outreach import queries  # noqa: E402
from buurthulp.outreach.models import (  # noqa: E402
    CheckIn,
    CheckInKind,
    CheckInOutcome,
    LivingSituation,
)
from buurthulp.residents.models import ProxyResident  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 23)
PLACE = dict(place="Zwolle", latitude=52.5, longitude=6.1)


def _person(i: int, street: Street) -> User:
    return User(
        email=f"b{i}@example.nl",
        password_hash="x",
        first_name="Bewoner",
        last_name=str(i),
        street_name=street.name,
        house_number=str(i),
        postcode="8011AB",
        memberships=[
            Membership(initiative_id=street.initiative_id, role=Role.RESIDENT, street=street)
        ],
        **PLACE,
    )


def _proxy(i: int, street: Street) -> ProxyResident:
    return ProxyResident(
        initiative_id=street.initiative_id,
        street=street,
        first_name="Telefoon",
        last_name=str(i),
        phone="0384211234",
        street_name=street.name,
        house_number=str(i),
        postcode="8011AB",
        consent_at=NOW,
        **PLACE,
    )


def _activity_of(initiative: Initiative) -> Activity:
    return Activity(
        initiative_id=initiative.id,
        title="Koffie",
        kind=ActivityKind.COFFEE_MORNING,
        venue_name="Buurthuis",
        venue_street="Plein 1",
        venue_postcode="8011AA",
        starts_on=TODAY,
        start_time=datetime(2026, 1, 1, 10).time(),
        **PLACE,
    )


def _extras(rng, initiative_id, activity_id, who: dict) -> list:
    rows = []
    for _ in range(rng.randint(0, 4)):
        rows.append(
            CheckIn(
                initiative_id=initiative_id,
                kind=CheckInKind.PHONE,
                on_date=TODAY - timedelta(days=rng.randint(0, 400)),
                outcome=CheckInOutcome.DOING_WELL,
                created_at=NOW,
                **who,
            )
        )
    if rng.random() < 0.2:
        rows.append(
            LivingSituation(initiative_id=initiative_id, lives_alone=True, consent_at=NOW, **who)
        )
    if rng.random() < 0.3 and "user_id" in who:
        rows.append(
            HelpRequest(
                initiative_id=initiative_id,
                requester_id=who["user_id"],
                category=Category.GROCERIES,
                title="Boodschappen",
                description="",
                flexible_days=7,
                street_name="Straat",
                status=RequestStatus.DONE,
                created_at=NOW - timedelta(days=rng.randint(0, 300)),
                **PLACE,
            )
        )
    if rng.random() < 0.25:
        rows.append(
            ActivitySignup(
                activity_id=activity_id,
                occurs_on=TODAY - timedelta(days=rng.randint(0, 200)),
                status=SignupStatus.CONFIRMED,
                **who,
            )
        )
    return rows


def load(residents: int, streets: int, seed: int = 7) -> tuple[int, int]:
    rng = random.Random(seed)
    initiative = Initiative(
        name="Groot initiatief",
        slug="groot",
        kind=InitiativeKind.NEIGHBOUR_HELP,
        municipality="Zwolle",
        province="Overijssel",
        legal_form=LegalForm.ASSOCIATION,
        phase=Phase.ACTIVE,
    )
    db.session.add(initiative)
    db.session.flush()
    street_rows = [Street(initiative_id=initiative.id, name=f"Straat {n}") for n in range(streets)]
    activity = _activity_of(initiative)
    db.session.add_all([*street_rows, activity])
    db.session.flush()
    people = [_person(i, street_rows[i % streets]) for i in range(residents)]
    proxies = [_proxy(i, street_rows[i % streets]) for i in range(residents // 10)]
    db.session.add_all(people + proxies)
    db.session.flush()
    rows = []
    for person in people:
        rows += _extras(rng, initiative.id, activity.id, {"user_id": person.id})
    for person in proxies:
        rows += _extras(rng, initiative.id, activity.id, {"proxy_resident_id": person.id})
    db.session.add_all(rows)
    db.session.commit()
    return initiative.id, street_rows[0].id


def measure(initiative_id: int, street_ids, runs: int) -> dict:
    statements = []
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    cpu = []
    try:
        for _ in range(runs):
            statements.clear()
            db.session.expire_all()
            start = time.process_time()
            rows, total = queries.not_contacted(
                initiative_id, street_ids, weeks=6, now=NOW, today=TODAY
            )
            cpu.append((time.process_time() - start) * 1000)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return {
        "statements": len(statements),
        "listed": total,
        "cpu_ms_median": round(statistics.median(cpu), 1),
        "cpu_ms_max": round(max(cpu), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=5000)
    parser.add_argument("--streets", type=int, default=50)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(
            {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite"}
        )
        with app.app_context():
            db.create_all()
            initiative_id, street_id = load(args.residents, args.streets)
            result = {
                "residents": args.residents + args.residents // 10,
                "whole_initiative": measure(initiative_id, None, args.runs),
                "one_street": measure(initiative_id, {street_id}, args.runs),
            }
            db.session.remove()
            db.engine.dispose()
    print(json.dumps(result, indent=2) if args.json else result)


if __name__ == "__main__":
    main()
