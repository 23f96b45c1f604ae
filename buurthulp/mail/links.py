"""Absolute links in mails, also from jobs, which run outside any web request."""

from flask import current_app

FALLBACK_BASE = "http://localhost:5000"


def absolute_link(endpoint: str, **values) -> str:
    """SERVER_BASE_URL + the endpoint's path (a development fallback without it)."""
    base = (current_app.config.get("SERVER_BASE_URL") or FALLBACK_BASE).rstrip("/")
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path
