"""The site menu and footer every page shows, rendered once per shape and reused.

They hold about thirty links and translated words, the same for everyone who sees the
same language and menu shape, but rendering them was a fifth of a light page's CPU time.
The key is what they depend on: language, signed in, the menu section the page belongs to,
whether the panel link shows and whether there is unread news. The two per-person values,
the unread count and the CSRF token, are filled in per request.
"""

from flask import current_app, render_template, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from buurthulp.panel.scope import has_any_panel_role
from buurthulp.realtime.stream import counters

_EXTENSION = "buurthulp.chrome"
UNREAD = "@@unread@@"
CSRF = "@@csrf@@"

# The menu item marked as the current page, by endpoint, then by endpoint prefix.
SECTIONS = {
    "listings.nearby": "nearby",
    "listings.request_new": "request_new",
    "listings.offer_new": "offer_new",
    "matching.for_you": "for_you",
    "realtime.notifications": "notifications",
    "listings.mine": "mine",
}
SECTION_PREFIXES = (("activities.agenda", "agenda"), ("panel.", "panel"), ("accounts.", "accounts"))


def section_of(endpoint: str | None) -> str:
    """The menu item a page belongs to; "" for none."""
    if not endpoint:
        return ""
    if endpoint in SECTIONS:
        return SECTIONS[endpoint]
    return next((section for p, section in SECTION_PREFIXES if endpoint.startswith(p)), "")


def _cached(key: tuple, template: str, **context) -> str:
    cache = current_app.extensions.setdefault(_EXTENSION, {})
    html = cache.get(key)
    if html is None:
        html = cache[key] = render_template(template, **context)
    return html


def menu() -> Markup:
    signed_in = current_user.is_authenticated
    section = section_of(request.endpoint)
    unread = counters(current_user.id)[1] if signed_in else 0
    has_panel = signed_in and has_any_panel_role(current_user)
    key = ("menu", str(get_locale()), signed_in, section, has_panel, unread > 0)
    html = _cached(
        key,
        "chrome/menu.html",
        authenticated=signed_in,
        section=section,
        has_panel=has_panel,
        has_unread=unread > 0,
    )
    if signed_in:
        html = html.replace(UNREAD, str(unread)).replace(CSRF, generate_csrf())
    # Rendered with autoescape on; the two values put in are a number and a URL-safe token.
    return Markup(html)  # noqa: S704  # nosec B704


def footer() -> Markup:
    signed_in = current_user.is_authenticated
    key = ("footer", str(get_locale()), signed_in)
    html = _cached(key, "chrome/footer.html", authenticated=signed_in)
    return Markup(html)  # noqa: S704  # nosec B704
