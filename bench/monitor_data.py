"""Synthetic activity for bench/monitor.py: initiatives, members, requests, responses, matches.

Rows are generated per initiative (deterministic for a seed) and written with the driver's
bulk path: executemany on SQLite, COPY on PostgreSQL. An "event" is one row in help_requests,
help_responses, matches or memberships.
"""

import csv
import random
from datetime import UTC, datetime, timedelta

from buurthulp.geo.postcodes import PROVINCE_SPELLING, TABLE

CATEGORIES = [
    "groceries", "dog_walking", "transport", "odd_jobs", "garden",
    "company", "paperwork", "computer_help", "meal", "other",
]  # fmt: skip
KINDS = ["care_cooperative", "city_village", "noaber", "neighbour_help", "caring_village"]
LEGAL = ["foundation", "association", "cooperative", "none"]
PHASES = ["exploring", "founding", "active", "active", "active"]
DOMAINS = ["care", "welfare", "housing", "participation"]
MEMBERS = 40
# Per initiative and year: ~500 requests, 90% get a response, 70% a match (~1,330 events).
REQUESTS_PER_YEAR = 500

COLUMNS = {
    "initiatives": "id, name, slug, kind, municipality, province, legal_form, phase, "
    "founding_year, description, created_at, uses_platform, registry_status, approved_at",
    "initiative_domains": "initiative_id, domain",
    "users": "id, email, password_hash, first_name, last_name, street_name, house_number, "
    "postcode, place, latitude, longitude, locale, is_platform_admin, created_at",
    "memberships": "id, user_id, initiative_id, role, created_at",
    "help_requests": "id, initiative_id, requester_id, category, title, description, "
    "flexible_days, urgency, recurrence, needs_car, radius_km, match_round, needs_attention, "
    "status, street_name, place, latitude, longitude, created_at, updated_at",
    "help_responses": "id, request_id, volunteer_id, message, created_at",
    "matches": "id, request_id, volunteer_id, status, hours, requester_feedback, "
    "volunteer_feedback, close_reason, created_at, closed_at",
}


def areas() -> list[dict]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["soort"] == "Adres"]
    for r in rows:
        r["provincie"] = PROVINCE_SPELLING.get(r["provincie"], r["provincie"])
    return rows


class Ids:
    def __init__(self):
        self.user = self.membership = self.request = self.response = self.match = 0

    def next(self, name: str) -> int:
        setattr(self, name, getattr(self, name) + 1)
        return getattr(self, name)


def initiative_rows(n: int, area: dict, now: datetime, rng: random.Random) -> dict:
    started = now - timedelta(days=rng.randint(30, 3650))
    return {
        "initiatives": [
            (n, f"Initiatief {n}", f"bench-{n}", rng.choice(KINDS), area["gemeente"],
             area["provincie"], rng.choice(LEGAL), rng.choice(PHASES), started.year, "",
             started, True, "approved", started)
        ],
        "initiative_domains": [(n, d) for d in rng.sample(DOMAINS, rng.randint(1, 3))],
    }  # fmt: skip


def activity_rows(n, area, ids: Ids, now, years: int, rng: random.Random, coordinator: int):
    """Members, requests, responses and matches of initiative n over the last `years`."""
    lat, lon = float(area["latitude"]), float(area["longitude"])
    rows = {k: [] for k in ("users", "memberships", "help_requests", "help_responses", "matches")}
    people = []
    span = years * 365 * 86400
    for _ in range(MEMBERS):
        uid = ids.next("user")
        joined = now - timedelta(seconds=rng.uniform(0, span))
        rows["users"].append(
            (uid, f"u{uid}@bench.invalid", "x", "B", str(uid), "Straat", "1",
             area["postcode"] + "AA", area["woonplaats"], lat, lon, "nl", False, joined)
        )  # fmt: skip
        rows["memberships"].append((ids.next("membership"), uid, n, "resident", joined))
        people.append(uid)
    rows["memberships"].append((ids.next("membership"), coordinator, n, "coordinator", now))
    for _ in range(REQUESTS_PER_YEAR * years):
        created = now - timedelta(seconds=rng.uniform(0, span))
        requester, helper = rng.sample(people, 2)
        rid = ids.next("request")
        status = "open"
        if rng.random() < 0.9:
            at = min(now, created + timedelta(hours=rng.uniform(0.1, 48)))
            rows["help_responses"].append((ids.next("response"), rid, helper, "", at))
        if rng.random() < 0.7:
            made = min(now, created + timedelta(hours=rng.expovariate(1 / 20)))
            roll = rng.random()
            state = "done" if roll < 0.8 else "cancelled" if roll < 0.9 else "accepted"
            closed = (
                None if state == "accepted" else min(now, made + timedelta(days=rng.uniform(0, 10)))
            )
            hours = rng.choice((0.5, 1.0, 1.5, 2.0, 3.0)) if state == "done" else None
            rows["matches"].append(
                (ids.next("match"), rid, helper, state, hours, "", "", "", made, closed)
            )
            status = "done" if state == "done" else "matched" if state == "accepted" else "open"
        rows["help_requests"].append(
            (rid, n, requester, rng.choice(CATEGORIES), "Hulp", "", 3, "normal", "once", False,
             2.0, 0, False, status, "Straat", area["woonplaats"], lat, lon, created, created)
        )  # fmt: skip
    return rows


def coordinator_row(uid: int, now: datetime) -> tuple:
    return (uid, "coordinator@bench.invalid", "x", "C", "C", "Straat", "1", "1000AA",
            "Amsterdam", 52.37, 4.89, "nl", True, now)  # fmt: skip


def sqlite_value(value):
    if isinstance(value, datetime):
        return (
            value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        )
    return value
