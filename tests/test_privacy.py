"""Privacy: no page or JSON another resident can reach shows a resident's address or coordinates.

The neighbour crawls every link from "Dichtbij" and "Mijn hulp" (same origin, bounded),
and every GET route of the app with the first resident's ids filled in.
"""

import re
from collections import deque
from datetime import date, timedelta

import pytest
from flask import url_for

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.geo.postcodes import locate
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import Category
from buurthulp.outreach.models import (
    CheckIn,
    CheckInKind,
    CheckInOutcome,
    LivingSituation,
    Referral,
    Service,
    ServiceKind,
)
from tests import factories
from tests.activities import agenda_factories
from tests.activities.core_factories import make_activity, make_signup
from tests.crawl import links

MAX_PAGES = 250
HOUSE_NUMBER = "387"
POSTCODE = "8011PX"
CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*"|("csrf_token":\s*")[^"]*"')


def coordinate_pattern(value: float) -> str:
    """The value with 3+ decimals, rounded or cut off, with a point or a Dutch comma."""
    whole, decimals = f"{value:.7f}".split(".")
    cut = decimals[:3]
    rounded = f"{value:.3f}".split(".")[1]
    return rf"(?<![0-9]){whole}[.,](?:{cut}|{rounded})"


def leaks(text: str, area) -> list[str]:
    text = CSRF_VALUE.sub(lambda m: (m.group(1) or m.group(2)) + '"', text)
    patterns = {
        "house number": rf"(?<![0-9]){HOUSE_NUMBER}(?![0-9])",
        "postcode": rf"(?i){POSTCODE[:4]}\s*{POSTCODE[4:]}",
        "latitude": coordinate_pattern(area.latitude),
        "longitude": coordinate_pattern(area.longitude),
    }
    return [what for what, pattern in patterns.items() if re.search(pattern, text)]


# URL parts that only take some words (<any(...)>).
TEXT_ARGUMENTS = {"kind": "hulpvraag"}


def without_drawings(html: str) -> str:
    """SVG charts and maps keep only their titles: coordinates are numbers, not addresses."""
    return re.sub(
        r"<svg\b.*?</svg>",
        lambda m: " ".join(re.findall(r"<title[^>]*>(.*?)</title>", m.group(0), re.DOTALL)),
        html,
        flags=re.DOTALL,
    )


def route_urls(app, ids: dict[str, int]) -> list[str]:
    """Every GET route (JSON endpoints among them) with the first resident's ids."""
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            values = {}
            for name in rule.arguments:
                key = "offer" if "offer" in name or "offer" in rule.endpoint else "request"
                key = "activity" if name == "activity_id" else key
                if name == "year":
                    values[name] = 2025
                    continue
                if name in ("slug", "day"):
                    values[name] = ids.get(name, "onbekend")
                    continue
                text = TEXT_ARGUMENTS.get(name, "onbekend")
                values[name] = ids[key] if name.endswith("id") else text
            urls.append(url_for(rule.endpoint, **values))
    return urls


@pytest.fixture
def first(make):
    """The first resident, at a distinctive address, with requests and an offer."""
    initiative = make.initiative()
    user = make.user(
        initiative=initiative,
        email="eerste@example.nl",
        postcode=POSTCODE,
        house_number=HOUSE_NUMBER,
        street_name="Diezerstraat",
    )
    requests = [
        make.help_request(requester=user, initiative=initiative, title="Boodschappen"),
        make.help_request(
            requester=user,
            initiative=initiative,
            title="Lift naar het ziekenhuis",
            category=Category.TRANSPORT,
            flexible_days=5,
        ),
    ]
    offer = make.help_offer(volunteer=user, initiative=initiative, title="Ik help met de tuin")
    # Signed up for an activity, with a lift asked from its page.
    activity = make_activity(make.app, initiative, transport_available=True, capacity=8)
    make_signup(make.app, activity, user=user)
    # ... and for next week's koffieochtend on the agenda.
    day = local_today() + timedelta(days=7)
    koffie = agenda_factories.activity(make.app, initiative, starts_on=day)
    agenda_factories.signup(make.app, koffie, day, user=user)
    _outreach(make.app, initiative, user)
    return {
        "initiative": initiative,
        "user": user,
        "requests": requests,
        "offer": offer,
        "activity": activity,
    }


OUTREACH_NOTE = "Contactnotitie-voor-het-paneel"


def _outreach(app, initiative, user) -> None:
    """A contact person's check-in (with a note), living situation and referral about the
    first resident, and a service on the sociale kaart: only the panel may show them."""
    with app.app_context():
        service = Service(
            initiative_id=initiative.id, kind=ServiceKind.DEBT_HELP, name="Schuldhulp Zwolle"
        )
        db.session.add(service)
        db.session.flush()
        today, now = date.today(), utcnow()
        db.session.add_all(
            [
                CheckIn(
                    initiative_id=initiative.id,
                    user_id=user.id,
                    kind=CheckInKind.VISIT,
                    on_date=today,
                    outcome=CheckInOutcome.WANTS_HELP,
                    note=OUTREACH_NOTE,
                ),
                LivingSituation(
                    initiative_id=initiative.id, user_id=user.id, lives_alone=True, consent_at=now
                ),
                Referral(
                    initiative_id=initiative.id,
                    service_id=service.id,
                    kind=service.kind,
                    user_id=user.id,
                    referred_on=today,
                    follow_up_on=today,
                ),
            ]
        )
        db.session.commit()


def test_neighbour_never_sees_house_number_postcode_or_coordinates(app, client, make, auth, first):
    second = make.user(initiative=first["initiative"], email="tweede@example.nl", postcode="8012AB")
    # A neighbour visits from elsewhere, not from the server itself: only the server (its
    # Prometheus) may read /metrics, whose numbers could match a coordinate by chance.
    client.environ_base["REMOTE_ADDR"] = "203.0.113.50"
    auth.login_as(second)
    # Offering help is not a match yet: the address stays private.
    helped = first["requests"][0].id
    assert client.post(f"/hulpvragen/{helped}/helpen").status_code < 400

    area = locate(POSTCODE)[1]
    ids = {
        "request": first["requests"][1].id,
        "offer": first["offer"].id,
        "activity": first["activity"].id,
        "slug": first["initiative"].slug,
    }
    lift_client = app.test_client()
    factories.Auth(lift_client, make).login_as(first["user"])
    day = first["activity"].starts_on.isoformat()
    lift = lift_client.post(f"/activiteiten/{ids['activity']}/vervoer", data={"occurs_on": day})
    assert lift.status_code == 303
    queue = deque(["/dichtbij", "/mijn-hulp", *route_urls(app, ids)])
    seen: set[str] = set()
    found = []
    pages_with_titles = set()
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        with client.get(url) as response:
            assert response.status_code < 500, url
            text = response.get_data(as_text=True)
        found += [f"{url}: {what}" for what in leaks(without_drawings(text), area)]
        if OUTREACH_NOTE in text or "woont alleen" in text.lower() or "doorverwezen" in text:
            found.append(f"{url}: outreach")
        if "Schuldhulp Zwolle" in text:
            pages_with_titles.add(url)
        if "Lift naar het ziekenhuis" in text or "Ik help met de tuin" in text:
            pages_with_titles.add(url)
        if response.mimetype == "text/html":
            # The agenda's week links go on week after week: this week's pages are enough.
            queue.extend(link for link in links(text, url) if "week=" not in link)

    assert found == []
    # The crawl must really have reached the first resident's listings.
    assert f"/hulpvragen/{ids['request']}" in seen
    assert f"/activiteiten/{ids['activity']}" in seen
    assert any(u.startswith("/dichtbij") for u in pages_with_titles), pages_with_titles
    # ... and the agenda, where the venue shows but never who signed up.
    agenda = f"/activiteiten/agenda/{first['initiative'].slug}"
    assert agenda in seen and f"{agenda}/week" in seen and f"{agenda}/agenda.ics" in seen
    # The members' sociale kaart was reached, and it showed the service (not the referral).
    assert any(u.startswith("/sociale-kaart/") for u in pages_with_titles), pages_with_titles
    assert len(seen) < MAX_PAGES or not queue, "raise MAX_PAGES: the crawl was cut off"


def test_leak_detector_catches_what_it_should():
    area = locate(POSTCODE)[1]
    assert leaks("Diezerstraat 387, 8011 px Zwolle", area) == ["house number", "postcode"]
    assert leaks(f'{{"lat": {area.latitude}, "lon": {area.longitude}}}', area) == [
        "latitude",
        "longitude",
    ]
    assert leaks("52,512 / 6,091", area) == ["latitude", "longitude"]
    token = '<input name="csrf_token" type="hidden" value="ab387cd">'
    assert leaks(f"{token} Diezerstraat, minder dan 500 m, 8011 Zwolle", area) == []


def test_drawings_keep_their_titles_for_the_leak_detector():
    area = locate(POSTCODE)[1]
    svg = '<svg viewBox="0 0 387 9"><title>Diezerstraat 387</title><path d="M387 1L2 3Z"/></svg>'
    assert without_drawings(f"<p>x</p>{svg}") == "<p>x</p>Diezerstraat 387"
    assert leaks(without_drawings(svg), area) == ["house number"]
    assert leaks(without_drawings('<svg><path d="M387 1Z"/></svg>'), area) == []
