"""A passive scan of every page (tests/passive_scan.py: headers, cookies, CSP, cache, URLs, forms)
as every kind of visitor, in the testing and in a production configuration.

NOTE for a new GET route: the crawl fills every route's URL from the tables below. A URL
argument they do not know fails the test: add its name to URL_VALUES (a key of the world built in
tests/crawl.py:scan_world) or CONSTANT_VALUES, or a per-endpoint value to ENDPOINT_VALUES.
Pages with personal data must send Cache-Control: no-store: every page a logged-in visitor sees,
and for anonymous visitors the paths in PERSONAL_PATHS.
"""

import re

import pytest

from buurthulp.accounts import tokens
from buurthulp.accounts.models import User
from buurthulp.extensions import db
from tests import factories
from tests.crawl import crawl, get_pages, scan_world
from tests.passive_scan import problems

URL_VALUES = {  # URL argument name -> key of the world
    "initiative_id": "initiative",
    "request_id": "request",
    "offer_id": "offer",
    "match_id": "match",
    "invitation_id": "invitation",
    "user_id": "member_id",
    "resident_id": "proxy_resident",
    "listing_id": "pending_request",
    "token": "reset_token",
    "activity_id": "activity",
    "signup_id": "signup",
    "slug": "slug",
    "day": "activity_day",
    "service_id": "service",
    "referral_id": "referral",
}
CONSTANT_VALUES = {"kind": "hulpvraag", "year": 2025}
ENDPOINT_VALUES = {  # endpoint -> {argument name: world key}
    "moderation.role_invitation": {"token": "role_token"},
    "moderation.report": {"listing_id": "other_request"},
}
PERSONAL_PATHS = ("/mijn-", "/paneel", "/koppelingen", "/hulpvragen", "/hulpaanbod", "/voor-u")
# Pages no route names directly; Socket.IO's long polling is answered outside Flask.
EXTRA_URLS = ["/bestaat-niet", "/dichtbij?page=2", "/socket.io/?EIO=4&transport=polling"]
MAX_PAGES = 250
# Pages each visitor must really get (200), so the scan covers personal data: {world key}.
REACHED = {
    "anonymous": ["/", "/inloggen", "/wachtwoord-herstellen/{reset_token}"],
    "member": ["/mijn-gegevens", "/koppelingen/{match}", "/koppelingen/{match}/gesprek"],
    "connector": ["/paneel/{initiative}/telefoonbewoners/{proxy_resident}/notitie"],
    "coordinator": ["/paneel/{initiative}/bewoners/{member_id}", "/paneel/{initiative}/wachtrij"],
}
ROLES = ("anonymous", "member", "connector", "coordinator")
PRODUCTION = {"ENV_NAME": "production", "SECRET_KEY": "p" * 48, "RATELIMIT_ENABLED": False}
HTTPS = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/inloggen"}}


def url_values(endpoint: str, name: str, world: dict):
    key = ENDPOINT_VALUES.get(endpoint, {}).get(name) or URL_VALUES.get(name)
    if key is not None:
        return world[key]
    return CONSTANT_VALUES.get(name)


def user_of(world: dict, role: str):
    return world["member" if role == "member" else role]


@pytest.fixture
def world(app, make):
    return scan_world(app, make)


def scan(app, client, world, role: str, *, production: bool, **request) -> list[str]:
    """The scanner's findings on every page the visitor can reach."""
    found, status = [], {}
    logged_in = role != "anonymous"
    start = get_pages(app, world, url_values) + EXTRA_URLS
    for url, response, text in crawl(client, start, max_pages=MAX_PAGES, **request):
        assert response.status_code < 500, url
        status[url] = response.status_code
        personal = logged_in or url.startswith(PERSONAL_PATHS)
        found += problems(url, response, text, personal=personal, production=production)
    for url in REACHED[role]:
        url = url.format(**world)
        assert status.get(url) == 200, f"{role} did not reach {url}: {status.get(url)}"
    return found


@pytest.mark.parametrize("role", ROLES)
def test_passive_scan_of_every_page(app, client, auth, world, role):
    if role != "anonymous":
        auth.login_as(user_of(world, role))
    assert scan(app, client, world, role, production=False) == []


def production_login(client, user) -> None:
    form = client.get("/inloggen", **HTTPS).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    assert token, "the login form has no CSRF token"
    data = {"csrf_token": token.group(1), "email": user.email, "password": factories.PASSWORD}
    login = client.post("/inloggen", data={**data, "remember": "y"}, **HTTPS)
    assert login.status_code == 302, login.get_data(as_text=True)
    assert problems("/inloggen", login, "", personal=True, production=True) == []
    assert {"session", "remember_token"} <= set(cookies(login))


@pytest.mark.parametrize("role", ["anonymous", "member", "coordinator"])
def test_passive_scan_in_production(app, database_url, make_app, world, role):
    """HSTS, Secure cookies and CSRF tokens in every form, over HTTPS."""
    production = make_app(database_url, **PRODUCTION)
    client = production.test_client()
    with production.app_context():  # signed with the production secret
        member = db.session.get(User, world["member"].id)
        world = {**world, "reset_token": tokens.reset_token_make(user=member)}
    if role != "anonymous":
        production_login(client, user_of(world, role))
    assert scan(production, client, world, role, production=True, **HTTPS) == []


def test_static_files_have_nosniff_and_isolation_but_may_be_cached(client):
    with client.get("/static/css/site.css") as response:
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"
        assert "no-store" not in response.headers.get("Cache-Control", "")


def cookies(response) -> dict[str, set[str]]:
    """Set-Cookie headers as {name: {lowercased attributes}}."""
    result = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = (part.strip() for part in header.split(";"))
        result[name_value.split("=", 1)[0]] = {a.lower() for a in attributes}
    return result


def test_cookies_are_set_where_the_scan_looks_at_them(client, auth, world):
    """The scan's cookie rules only bite if pages set cookies: the language and login do."""
    set_language = client.post("/taal", data={"locale": "en", "next": "/"})
    assert set(cookies(set_language)) == {"session"}
    assert problems("/taal", set_language, "", personal=False, production=False) == []
    login = auth.login(world["member"].email, remember=True)
    assert {"session", "remember_token"} <= set(cookies(login))
    assert problems("/inloggen", login, "", personal=False, production=False) == []
