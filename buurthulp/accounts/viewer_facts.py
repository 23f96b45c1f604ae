"""Facts about the signed-in person that nearly every page needs, read with the login.

Every page asks the same few questions about its viewer: the menu's unread count, whether
the panel link shows, which initiatives the person belongs to. Asked one by one they cost a
database round trip each. Instead a package registers a named scalar expression correlated
to `User.id`, and the login query (`login_sessions.user_for_token`) reads all of them in its
one round trip and keeps the values for the rest of the request.

A fact is a snapshot of the request's start. The first COMMIT of the request drops them all
(`forget_on_commit`), so a page rendered after the request changed something (marking
notifications read, joining an initiative) asks the database again through its fallback.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

T = TypeVar("T")

_BUILDERS: dict[str, Callable[[], ColumnElement]] = {}
_KEY = "viewer_facts"


def register(name: str, build: Callable[[], ColumnElement]) -> None:
    """`build()` returns a scalar SQL expression correlated to User.id (a scalar subquery
    or EXISTS); it is called when the login query is built, after every model is known."""
    _BUILDERS[name] = build


def columns() -> list[ColumnElement]:
    return [build().label(f"fact_{name}") for name, build in _BUILDERS.items()]


def remember(user_id: int, row: Any) -> None:
    """Keep the fact columns of the login query's row for this request."""
    values = row._mapping
    g.setdefault(_KEY, {})[user_id] = {name: values[f"fact_{name}"] for name in _BUILDERS}


def fact(user_id: int, name: str, compute: Callable[[], T], convert: Callable[[Any], T]) -> T:
    """The fact read with the login, converted; else `compute()` (a user loaded another way,
    outside a request, or after the request committed)."""
    facts = g.get(_KEY, {}).get(user_id) if has_app_context() else None
    if facts is None or name not in facts:
        return compute()
    return convert(facts[name])


def forget() -> None:
    if has_app_context():
        g.pop(_KEY, None)


@event.listens_for(Session, "after_commit")
def forget_on_commit(_session) -> None:
    forget()
