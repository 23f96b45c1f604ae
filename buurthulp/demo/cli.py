"""`flask demo-data`: three initiatives, about 200 residents, requests, offers and activities.

Idempotent: initiatives are found by slug, streets by name, users by email,
listings by their poster and title, so a second run adds nothing and a run
after a partial one completes it. Existing records are never changed.
"""

import random
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext

from buurthulp.accounts.passwords import hash_password
from buurthulp.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_listings, demo_residents
from buurthulp.demo.activities import ensure_activities
from buurthulp.demo.initiatives import ensure_initiatives, ensure_streets
from buurthulp.demo.listing_plan import plan_offers, plan_requests, plan_responses
from buurthulp.demo.listings import ensure_offers, ensure_requests, ensure_responses
from buurthulp.demo.outreach import ensure_outreach_demo
from buurthulp.demo.panel import ensure_panel_demo
from buurthulp.demo.people import SEED, ensure_users, generate_residents
from buurthulp.extensions import db


def load_demo_data(today: date, seed: int = SEED) -> dict[str, int]:
    """Create whatever demo data is missing and commit; returns how many of each are new."""
    new: dict[str, int] = {}
    initiatives, new["initiatives"] = ensure_initiatives()
    streets, new["streets"] = ensure_streets(initiatives)
    residents = generate_residents(seed)
    # Hash once: scrypt is slow on purpose, and every demo account shares the password.
    password_hash = hash_password(DEMO_PASSWORD, current_app.config["PASSWORD_HASH_METHOD"])
    users, new["users"] = ensure_users(
        demo_residents() + residents,
        initiatives=initiatives,
        streets=streets,
        password_hash=password_hash,
    )
    rng = random.Random(seed)  # seeded: the same demo data every run  # nosec B311
    request_plans = plan_requests(rng, today, residents)
    offer_plans = plan_offers(rng, today, residents)
    response_plans = plan_responses(rng, request_plans, offer_plans)
    demo_requests, demo_offers, demo_responses = demo_listings(today)
    requests, new["requests"] = ensure_requests(
        demo_requests + request_plans, users=users, initiatives=initiatives
    )
    new["offers"] = ensure_offers(demo_offers + offer_plans, users=users, initiatives=initiatives)
    new["responses"] = ensure_responses(
        demo_responses + response_plans, users=users, requests=requests
    )
    new["panel"] = ensure_panel_demo(users)
    new["activities"] = ensure_activities(users, today)
    new["outreach"] = ensure_outreach_demo(users)
    db.session.commit()
    return new


def _echo_summary(new: dict[str, int]) -> None:
    if any(new.values()):
        click.echo("Demo data loaded; new records:")
        for name, count in new.items():
            click.echo(f"  {name:<12}{count:>5}")
    else:
        click.echo("Demo data was already loaded; nothing added.")
    click.echo(f"Demo accounts, password {DEMO_PASSWORD}:")
    for label, resident in DEMO_ACCOUNTS:
        click.echo(f"  {label:<22}{resident.email}")


@click.command("demo-data")
@click.option("--force", is_flag=True, help="Also in production (never on a live installation).")
@with_appcontext
def demo_data_command(force: bool):
    """Load demo initiatives, residents, requests and offers (idempotent)."""
    if current_app.config["ENV_NAME"] == "production" and not force:
        raise click.ClickException(
            "Refusing to load invented people into a production database; --force overrides."
        )
    _echo_summary(load_demo_data(date.today()))
