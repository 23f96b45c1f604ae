"""The page crawl shared by the security-header scan and the privacy test.

`get_pages` fills every GET route with values from a table (`url_values`, kept in
tests/test_security_headers.py); `crawl` then follows same-origin links, bounded.
"""

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from flask import url_for

from buurthulp.accounts import tokens
from buurthulp.accounts.models import User
from buurthulp.extensions import db
from tests.activities.core_factories import make_activity, make_signup
from tests.test_forms_robustness import (
    matching_world,
    moderation_world,
    outreach_world,
    residents_world,
)

HOST = "localhost"


@dataclass
class Form:
    method: str
    action: str
    inputs: list[dict] = field(default_factory=list)


class Page(HTMLParser):
    """The URLs a page points at (links, scripts, styles, images, forms) and its forms."""

    URL_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action"}

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str]] = []  # (tag, url)
        self.forms: list[Form] = []
        self.inline_scripts = 0
        self.inline_handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        url = attributes.get(self.URL_ATTRIBUTES.get(tag, ""))
        if url:
            self.urls.append((tag, url))
        if tag == "script" and not attributes.get("src"):
            self.inline_scripts += 1
        self.inline_handlers += [name for name in attributes if name.startswith("on")]
        if tag == "form":
            method = (attributes.get("method") or "get").lower()
            self.forms.append(Form(method, attributes.get("action") or ""))
        elif tag in {"input", "button", "select", "textarea"} and self.forms:
            self.forms[-1].inputs.append(attributes)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def same_origin(url: str, base: str) -> str | None:
    """The path and query of a URL on this site, None for another origin."""
    parts = urlsplit(urljoin(f"http://{HOST}{base}", url))
    if parts.netloc != HOST:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def links(html: str, base: str) -> list[str]:
    """Same-origin <a href> targets outside /static/."""
    found = (same_origin(url, base) for tag, url in parse(html).urls if tag == "a")
    return [url for url in found if url and not url.startswith("/static/")]


def scan_world(app, make) -> dict:
    """One of everything a page can show: listings, a match and an invitation, a phone-intake
    resident, moderation items, and a member, neighbour, connector and coordinator."""
    initiative = make.initiative()
    member = make.user(initiative=initiative, email="lid@example.nl")
    neighbour = make.user(initiative=initiative, email="buur@example.nl", postcode="8012AB")
    with app.app_context():
        reset_token = tokens.reset_token_make(user=db.session.get(User, member.id))
    return {
        "initiative": initiative.id,
        "member": member,
        "neighbour": neighbour,
        "reset_token": reset_token,
        "request": make.help_request(requester=member, initiative=initiative).id,
        "offer": make.help_offer(volunteer=member, initiative=initiative).id,
        "other_request": make.help_request(requester=neighbour, initiative=initiative).id,
        **matching_world(app, make, initiative, member, neighbour),
        **residents_world(app, make, initiative, member, neighbour),
        **moderation_world(app, make, initiative, member, neighbour),
        **activities_world(app, initiative, member),
        **outreach_world(app, initiative, neighbour),
    }


def activities_world(app, initiative, member) -> dict:
    activity = make_activity(app, initiative, transport_available=True)
    return {
        "activity": activity.id,
        "activity_day": activity.starts_on.isoformat(),
        "signup": make_signup(app, activity, user=member).id,
        "slug": initiative.slug,
    }


def get_pages(app, world: dict, url_values) -> list[str]:
    """Every GET route of the app (static files left out) with values from `url_values`."""
    urls = set()
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            values = {}
            for name in rule.arguments:
                value = url_values(rule.endpoint, name, world)
                if value is None:
                    pytest.fail(f"{rule.endpoint} takes <{name}>: add it to URL_VALUES")
                values[name] = value
            urls.add(url_for(rule.endpoint, **values))
    return sorted(urls)


def page_kind(url: str) -> tuple:
    """A path with the names of its query parameters: /inloggen?next=/a is /inloggen?next=/b."""
    parts = urlsplit(url)
    return parts.path, tuple(sorted({name for name, _ in parse_qsl(parts.query)}))


def crawl(client, start: list[str], *, max_pages: int, **request) -> Iterator[tuple]:
    """(url, response, text) for the start URLs and every same-origin link found: each kind of
    page (path and query parameter names) once, as a scanner does."""
    queue, seen = deque(start), set()
    while queue:
        url = queue.popleft()
        if page_kind(url) in seen:
            continue
        if len(seen) >= max_pages:
            pytest.fail(f"more than {max_pages} pages: raise max_pages")
        seen.add(page_kind(url))
        with client.get(url, **request) as response:
            text = response.get_data(as_text=True)
        yield url, response, text
        if response.mimetype == "text/html":
            queue.extend(links(text, url.split("?")[0]))
