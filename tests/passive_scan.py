"""A passive web scanner's rules (after OWASP ZAP's baseline scan) for one response.

Each rule returns problems as text; `problems()` runs them all. Rule ids in comments are ZAP's.
"""

import re
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.crawl import parse, same_origin

SAFE_REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
UNSAFE_SOURCES = {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"}
ISOLATION = {
    "Cross-Origin-Opener-Policy": {"same-origin"},
    "Cross-Origin-Resource-Policy": {"same-origin"},
    "Cross-Origin-Embedder-Policy": {"require-corp", "credentialless"},
}
ONE_YEAR = 31_536_000
# Query parameter names that must never carry a value in a link (10024, 3).
SECRET_PARAMETERS = re.compile(
    r"(?i)^(e-?mail|.*token|.*pass(word)?|secret|(api_?)?key|session(_?id)?|sid|auth)$"
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
VERSION = re.compile(r"\d+\.\d+")
ERROR_TEXT = re.compile(r"Traceback \(most recent call last\)|sqlalchemy\.exc|werkzeug\.exceptions")


def directives(csp: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in csp.split(";") if d.strip())
    return {p[0].lower(): p[1:] for p in parts}


def csp_problems(headers) -> list[str]:  # 10038, 10055
    policy = directives(headers.get("Content-Security-Policy", ""))
    if not policy:
        return ["no Content-Security-Policy"]
    problems = []
    for kind in ("script-src", "style-src"):
        sources = policy.get(kind, policy.get("default-src"))
        if not sources or UNSAFE_SOURCES & set(sources):
            problems.append(f"CSP {kind} {sources}")
    if policy.get("frame-ancestors") not in (["'none'"], ["'self'"]):
        problems.append(f"CSP frame-ancestors {policy.get('frame-ancestors')}")
    for kind in ("object-src", "base-uri", "form-action"):  # no default-src fallback
        if not policy.get(kind) or "*" in policy[kind]:
            problems.append(f"CSP {kind} {policy.get(kind)}")
    return problems


def header_problems(headers, *, production: bool) -> list[str]:
    problems = []
    if headers.get("X-Content-Type-Options") != "nosniff":  # 10021
        problems.append("no X-Content-Type-Options: nosniff")
    if headers.get("Referrer-Policy") not in SAFE_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')}")
    if VERSION.search(headers.get("Server", "")):  # 10036
        problems.append(f"Server {headers['Server']}")
    if "X-Powered-By" in headers:  # 10037
        problems.append(f"X-Powered-By {headers['X-Powered-By']}")
    for name, allowed in ISOLATION.items():  # 90004
        if headers.get(name) not in allowed:
            problems.append(f"{name} {headers.get(name)}")
    if not headers.get("Content-Type"):  # 10019
        problems.append("no Content-Type")
    hsts = re.search(r"max-age=(\d+)", headers.get("Strict-Transport-Security", ""))
    if production and (not hsts or int(hsts.group(1)) < ONE_YEAR):  # 10035
        problems.append(f"HSTS {headers.get('Strict-Transport-Security')}")
    if not production and "Strict-Transport-Security" in headers:
        problems.append("HSTS outside production")
    return problems


def cookie_problems(response, *, production: bool) -> list[str]:  # 10010, 10011, 10054, 90033
    problems = []
    for header in response.headers.getlist("Set-Cookie"):
        name_value, *attributes = (part.strip() for part in header.split(";"))
        name, attributes = name_value.split("=", 1)[0], {a.lower() for a in attributes}
        if "httponly" not in attributes:
            problems.append(f"cookie {name} without HttpOnly")
        if not {"samesite=lax", "samesite=strict"} & attributes:
            problems.append(f"cookie {name} without SameSite=Lax or Strict")
        if ("secure" in attributes) != production:
            problems.append(f"cookie {name}: Secure is {'secure' in attributes}")
        if any(a.startswith("domain=") for a in attributes):
            problems.append(f"cookie {name} with a Domain (loosely scoped)")
    return problems


def cache_problems(response, *, personal: bool) -> list[str]:  # 10015, 10049
    sets_cookie = bool(response.headers.getlist("Set-Cookie"))
    if (personal or sets_cookie) and "no-store" not in response.headers.get("Cache-Control", ""):
        return [f"Cache-Control {response.headers.get('Cache-Control')} (cookie: {sets_cookie})"]
    return []


def url_problems(url: str) -> list[str]:
    """Secrets in a URL's query string, or an e-mail address anywhere in it (10024, 3)."""
    parts = urlsplit(url)
    problems = [
        f"{name}= in the query of {url}"
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if value and SECRET_PARAMETERS.search(name)
    ]
    if EMAIL.search(unquote(url)):
        problems.append(f"an e-mail address in {url}")
    return problems


def page_problems(html: str, base: str, *, csrf: bool) -> list[str]:
    page = parse(html)
    problems = []
    for tag, url in page.urls:
        if tag == "script" and same_origin(url, base) is None:  # 10017
            problems.append(f"script from another origin: {url}")
        if same_origin(url, base) is not None:
            problems += url_problems(url)
    for form in page.forms:
        names = {i.get("name") for i in form.inputs}
        if form.method == "post" and csrf and "csrf_token" not in names:  # 10202
            problems.append(f"POST form to {form.action!r} without csrf_token")
        if form.method != "post" and any(i.get("type") == "password" for i in form.inputs):
            problems.append(f"password field in a GET form to {form.action!r}")
    if page.inline_scripts or page.inline_handlers:  # blocked by the CSP: a broken page
        problems.append(f"inline script ({page.inline_scripts}, {page.inline_handlers})")
    if ERROR_TEXT.search(html):  # 90022
        problems.append("an error trace in the page")
    return problems


def problems(url: str, response, text: str, *, personal: bool, production: bool) -> list[str]:
    """Everything the scanner would report for one response, each line naming the URL."""
    found = csp_problems(response.headers) + header_problems(
        response.headers, production=production
    )
    found += cookie_problems(response, production=production)
    found += cache_problems(response, personal=personal)
    found += url_problems(url)
    if response.mimetype == "text/html":
        found += page_problems(text, url.split("?")[0], csrf=production)
    return [f"{url} ({response.status_code}): {problem}" for problem in found]
