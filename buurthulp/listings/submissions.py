"""Posting once: the one-time submission token of the forms that create a listing.

The forms for a new request, a new offer and a request by phone intake carry a random
token, chosen when the form is first shown and kept through a re-render with errors and
through the 503 page's "Opnieuw versturen" (it repeats the posted fields). The listing
stores the token. A post whose token is already stored was sent before, typically again
after a 503 whose COMMIT had in fact gone through: the poster is sent to what was stored,
and no second listing, invitation or mail is made. Two identical posts at the same moment
meet at the unique constraint; the loser is answered like a re-send.

The token is unique over the whole table, not per author: it is 144 random bits chosen by
the server, so honest posts never collide, and a single column needs a single index
(a phone-intake request has no requester to scope by). Finding an earlier post still
requires the same author, so a token copied from someone else's page never leads to their
listing: such a token is dropped and the post is stored without one.
"""

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from buurthulp.extensions import db
from buurthulp.initiatives.permissions import Listing, author_id
from buurthulp.listings.models import SUBMISSION_TOKEN_MAX

TOKEN = re.compile(rf"[A-Za-z0-9_-]{{16,{SUBMISSION_TOKEN_MAX}}}")


class AlreadyPosted(Exception):
    """This post was stored before; `listing` is what was stored."""

    def __init__(self, listing: Listing):
        self.listing = listing
        super().__init__(listing.id)


def new_token() -> str:
    return secrets.token_urlsafe(18)


def usable(token: object) -> str | None:
    """The token when it has the shape new_token() makes, else None."""
    return token if isinstance(token, str) and TOKEN.fullmatch(token) else None


def _with_token(model: type[Listing], token: str) -> Listing | None:
    return db.session.execute(
        select(model).where(model.submission_token == token)
    ).scalar_one_or_none()


def _posted_by(listing: Listing, poster_id: int) -> bool:
    # created_by_id: a phone-intake request stays its contact person's post, even once the
    # resident has an account of their own.
    return poster_id in (author_id(listing), getattr(listing, "created_by_id", None))


def claim(model: type[Listing], *, token: object, poster_id: int) -> str | None:
    """The token to store with a new listing of `model` by `poster_id`: None when there is
    no usable one or it is someone else's. Raises AlreadyPosted when this poster's
    listing already carries it."""
    token = usable(token)
    if token is None:
        return None
    earlier = _with_token(model, token)
    if earlier is None:
        return token
    if _posted_by(earlier, poster_id):
        raise AlreadyPosted(earlier)
    return None


@contextmanager
def stored_once(model: type[Listing], *, token: str | None, poster_id: int) -> Iterator[None]:
    """Around the flush and commit of a new listing with `token`: when an identical post
    committed first, roll back and raise AlreadyPosted instead of the IntegrityError."""
    try:
        yield
    except IntegrityError:
        db.session.rollback()
        earlier = _with_token(model, token) if token else None
        if earlier is None or not _posted_by(earlier, poster_id):
            raise
        raise AlreadyPosted(earlier) from None
