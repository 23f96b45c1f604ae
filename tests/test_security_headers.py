"""Security headers on every GET page, logged out and in; cookie flags; production-only HSTS."""

import re

import pytest
from flask import url_for

from tests import factories

SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
PRODUCTION = {"ENV_NAME": "production", "SECRET_KEY": "p" * 48}


@pytest.fixture
def world(make):
    """A requester with a request and an offer, and a neighbour who looks at them."""
    initiative = make.initiative()
    owner = make.user(initiative=initiative, email="eigenaar@example.nl")
    viewer = make.user(initiative=initiative, email="buur@example.nl", postcode="8012AB")
    request = make.help_request(requester=owner, initiative=initiative)
    offer = make.help_offer(volunteer=owner, initiative=initiative)
    return {"owner": owner, "viewer": viewer, "request": request, "offer": offer}


def argument_value(endpoint: str, name: str, world: dict):
    """A value for a URL argument; an argument this table does not know fails the test."""
    if name in {"request_id", "offer_id"}:
        return world[name.removesuffix("_id")].id
    if name == "id":
        return world["offer" if "offer" in endpoint else "request"].id
    if name in {"match_id", "invitation_id"}:
        return world["request"].id  # no match in this world: its 404 page has headers too
    if name == "initiative_id":
        return world["request"].initiative_id
    if name == "user_id":
        return world["owner"].id
    if name == "resident_id":
        return world["request"].id  # no phone-intake resident here: its 404 page has headers too
    if name in {"service_id", "referral_id"}:
        return world["request"].id  # no service or referral here: its 404 page has headers too
    if name == "kind":
        return "hulpvraag"
    if name == "listing_id":
        return world["request"].id
    if name == "token":
        return "geen-geldig-token"
    if name == "filename":
        return "css/site.css"
    if name == "initiative_id":
        return world["request"].initiative_id
    if name == "year":
        return 2025
    pytest.fail(f"{endpoint} takes <{name}>: add a value for it to argument_value()")


def get_pages(app, world: dict) -> list[str]:
    """Every GET URL of the app, with real ids filled in; static files left out."""
    urls = set()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            values = {name: argument_value(rule.endpoint, name, world) for name in rule.arguments}
            urls.add(url_for(rule.endpoint, **values))
    assert len(urls) >= 8, urls
    return sorted(urls)


def directives(csp: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in csp.split(";") if d.strip())
    return {p[0].lower(): p[1:] for p in parts}


def header_problems(url: str, response, *, personal: bool) -> list[str]:
    headers = response.headers
    problems = []
    policy = directives(headers.get("Content-Security-Policy", ""))
    scripts = policy.get("script-src", policy.get("default-src"))
    if not scripts or {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(scripts):
        problems.append(f"script-src {scripts}")
    if policy.get("frame-ancestors") != ["'none'"]:
        problems.append(f"frame-ancestors {policy.get('frame-ancestors')}")
    if policy.get("object-src") != ["'none'"]:
        problems.append(f"object-src {policy.get('object-src')}")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if headers.get("Referrer-Policy") not in SAFE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')}")
    if personal and "no-store" not in headers.get("Cache-Control", ""):
        problems.append(f"Cache-Control {headers.get('Cache-Control')}")
    if "Strict-Transport-Security" in headers:
        problems.append("HSTS outside production")
    return [f"{url} ({response.status_code}): {p}" for p in problems]


@pytest.mark.parametrize("logged_in", [False, True], ids=["logged-out", "logged-in"])
def test_every_page_has_security_headers(app, client, auth, world, logged_in):
    if logged_in:
        auth.login_as(world["viewer"])
    problems = []
    for url in get_pages(app, world):
        with client.get(url) as response:
            assert response.status_code < 500, url
            problems += header_problems(url, response, personal=logged_in)
    problems += header_problems("/bestaat-niet", client.get("/bestaat-niet"), personal=logged_in)
    assert problems == []


def test_static_files_have_nosniff(client):
    with client.get("/static/css/site.css") as response:
        assert response.status_code == 200
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def cookies(response) -> dict[str, set[str]]:
    """Set-Cookie headers as {name: {lowercased attributes}}."""
    result = {}
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = (part.strip() for part in header.split(";"))
        result[name_value.split("=", 1)[0]] = {a.lower() for a in attributes}
    return result


def assert_cookie_flags(jar: dict[str, set[str]], *, secure: bool) -> None:
    assert jar, "no cookie was set"
    for name, attributes in jar.items():
        assert "httponly" in attributes, name
        assert "samesite=lax" in attributes, name
        assert ("secure" in attributes) is secure, name


def test_cookies_are_httponly_and_samesite_lax_but_not_secure_in_testing(client, auth, world):
    set_language = client.post("/taal", data={"locale": "en", "next": "/"})
    assert_cookie_flags(cookies(set_language), secure=False)

    login = auth.login(world["viewer"].email, remember=True)
    assert login.status_code == 302
    jar = cookies(login)
    assert {"session", "remember_token"} <= set(jar)
    assert_cookie_flags(jar, secure=False)


def test_production_sends_hsts_and_secure_cookies(app, database_url, world, make_app):
    production = make_app(database_url, **PRODUCTION)
    client = production.test_client()
    # Flask-WTF checks the Referer on HTTPS, as browsers send it (Referrer-Policy same-origin).
    https = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/inloggen"}}

    home = client.get("/", **https)
    assert "max-age=" in home.headers["Strict-Transport-Security"]
    assert "unsafe-inline" not in home.headers["Content-Security-Policy"]

    form = client.get("/inloggen", **https).get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form)
    assert token, "the login form has no CSRF token"
    login = client.post(
        "/inloggen",
        data={
            "csrf_token": token.group(1),
            "email": world["viewer"].email,
            "password": factories.PASSWORD,
            "remember": "y",
        },
        **https,
    )
    assert login.status_code == 302, login.get_data(as_text=True)
    jar = cookies(login)
    assert {"session", "remember_token"} <= set(jar)
    assert_cookie_flags(jar, secure=True)
    assert "max-age=" in login.headers["Strict-Transport-Security"]
