"""Each rule of the passive scan (tests/passive_scan.py) fires on a response that breaks it."""

import pytest
from werkzeug.wrappers import Response

from tests.passive_scan import problems

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
GOOD = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cache-Control": "no-store",
}
HSTS = {"Strict-Transport-Security": "max-age=31536000; includeSubDomains"}
PAGE = '<a href="/dichtbij?page=2">x</a><form method="post"><input name="csrf_token"></form>'


def csp(old: str, new: str) -> dict:
    return {"Content-Security-Policy": CSP.replace(old, new)}


def response(body: str = PAGE, headers: dict | None = None, cookie: str | None = None):
    made = Response(body, mimetype="text/html", headers=headers if headers is not None else GOOD)
    if cookie:
        made.headers.add("Set-Cookie", cookie)
    return made


def found(made, *, url="/", personal=True, production=False) -> str:
    text = made.get_data(as_text=True)
    return "\n".join(problems(url, made, text, personal=personal, production=production))


def test_a_good_response_has_no_problems():
    assert found(response()) == ""
    assert found(response(headers=GOOD | HSTS), production=True) == ""


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"Content-Security-Policy": None}, "no Content-Security-Policy"),
        (csp("script-src 'self'", "script-src *"), "script-src"),
        (csp("script-src 'self'", "script-src 'self' 'unsafe-eval'"), "unsafe-eval"),
        (csp("style-src 'self'", "style-src 'self' 'unsafe-inline'"), "style-src"),
        (csp("frame-ancestors 'none'", ""), "frame-ancestors"),
        (csp("object-src 'none'", ""), "object-src"),
        ({"X-Content-Type-Options": None}, "nosniff"),
        ({"Referrer-Policy": "unsafe-url"}, "Referrer-Policy unsafe-url"),
        ({"Server": "gunicorn/22.0"}, "Server gunicorn/22.0"),
        ({"X-Powered-By": "Flask"}, "X-Powered-By"),
        ({"Cross-Origin-Opener-Policy": None}, "Cross-Origin-Opener-Policy"),
        ({"Cross-Origin-Embedder-Policy": "unsafe-none"}, "Cross-Origin-Embedder-Policy"),
        ({"Cache-Control": "private"}, "Cache-Control private"),
        (HSTS, "HSTS outside production"),
    ],
)
def test_each_header_rule_fires(change, expected):
    headers = {k: v for k, v in (GOOD | change).items() if v is not None}
    assert expected in found(response(headers=headers))


def test_production_needs_a_year_of_hsts():
    assert "HSTS None" in found(response(), production=True)
    short = GOOD | {"Strict-Transport-Security": "max-age=300"}
    assert "HSTS max-age=300" in found(response(headers=short), production=True)


@pytest.mark.parametrize(
    ("cookie", "production", "expected"),
    [
        ("session=1; Path=/; SameSite=Lax", False, "without HttpOnly"),
        ("session=1; HttpOnly; Path=/", False, "without SameSite"),
        ("session=1; HttpOnly; SameSite=None", False, "without SameSite"),
        ("session=1; HttpOnly; SameSite=Lax", True, "Secure is False"),
        ("session=1; HttpOnly; SameSite=Lax; Domain=.example.nl", False, "with a Domain"),
    ],
)
def test_each_cookie_rule_fires(cookie, production, expected):
    headers = GOOD | (HSTS if production else {})
    made = response(headers=headers, cookie=cookie)
    assert expected in found(made, production=production)


def test_a_response_that_sets_a_cookie_must_not_be_stored_even_for_anonymous_visitors():
    headers = {k: v for k, v in GOOD.items() if k != "Cache-Control"}
    assert found(response(headers=headers), personal=False) == ""
    made = response(headers=headers, cookie="session=1; HttpOnly; SameSite=Lax")
    assert "Cache-Control None (cookie: True)" in found(made, personal=False)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<a href="/zoek?email=anna%40example.nl">x</a>', "email= in the query"),
        ('<a href="/herstel?token=abc">x</a>', "token= in the query"),
        ('<a href="/leden/anna@example.nl">x</a>', "an e-mail address in"),
        ('<script src="https://cdn.example.com/x.js"></script>', "script from another origin"),
        ('<form method="post" action="/x"><input name="a"></form>', "without csrf_token"),
        ('<form action="/in"><input type="password" name="p"></form>', "password field in a GET"),
        ("<script>alert(1)</script>", "inline script"),
        ('<button onclick="go()">x</button>', "inline script"),
        ("<pre>Traceback (most recent call last):</pre>", "an error trace"),
    ],
)
def test_each_page_rule_fires(body, expected):
    headers = GOOD | HSTS
    assert expected in found(response(body, headers=headers), production=True)


def test_a_secret_in_the_crawled_url_itself_is_reported():
    assert "token= in the query of /x?token=abc" in found(response(), url="/x?token=abc")
    assert found(response(), url="/dichtbij?postcode=8011") == ""
