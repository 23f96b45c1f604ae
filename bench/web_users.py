"""Who does what in a bench/web.py run: signed-in residents, their targets, fresh invitations.

Nobody logs in through the form (its rate limit and scrypt would be the bench): each bench
resident gets a server-side login session row (token "bench-...") and a session cookie signed
with the run's SECRET_KEY, made by Flask-Login's and Flask-WTF's own code in a request context
that looks like wrk's requests (127.0.0.1, the bench User-Agent), so session protection and
the CSRF check see exactly what they would after a real login.

Each endpoint gets a data file for wrk's Lua script, one tab-separated line per request
target: cookie, CSRF token, path.
"""

import random
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, g, session
from flask_login import login_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import delete, func, insert, select
from web_seed import reset_sequences

from buurthulp.accounts.models import LoginSession, User
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership
from buurthulp.listings.models import HelpOffer, HelpRequest, OfferStatus, RequestStatus
from buurthulp.matching.models import Invitation, InvitationStatus

USER_AGENT = "buurthulp-bench"
TOKEN_PREFIX = "bench-"


def _sessions_for(user_ids: list[int]) -> dict[int, str]:
    """A fresh login session per user; earlier bench sessions are removed first."""
    db.session.execute(delete(LoginSession).where(LoginSession.token.like(f"{TOKEN_PREFIX}%")))
    tokens = {uid: TOKEN_PREFIX + secrets.token_urlsafe(24) for uid in set(user_ids)}
    expires = utcnow() + timedelta(days=1)
    rows = [{"token": t, "user_id": uid, "expires_at": expires} for uid, t in tokens.items()]
    if rows:
        db.session.execute(insert(LoginSession), rows)
    db.session.commit()
    return tokens


def cookies_for(app: Flask, user_ids: list[int]) -> dict[int, tuple[str, str]]:
    """(session cookie, CSRF token) per user, as after a real login."""
    tokens = _sessions_for(user_ids)
    users = db.session.execute(select(User).where(User.id.in_(list(tokens)))).scalars()
    serializer = app.session_interface.get_signing_serializer(app)
    found = {}
    for user in users:
        with app.test_request_context(
            "/", environ_base={"REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": USER_AGENT}
        ):
            user.current_session_token = tokens[user.id]
            login_user(user)
            g.pop("csrf_token", None)  # generate_csrf caches in g, shared by this app context
            csrf = generate_csrf()
            found[user.id] = (f"session={serializer.dumps(dict(session))}", csrf)
    return found


def _open_requests_by_initiative(limit: int) -> dict[int, list[tuple[int, int]]]:
    query = (
        select(HelpRequest.initiative_id, HelpRequest.id, HelpRequest.requester_id)
        .where(HelpRequest.status == RequestStatus.OPEN)
        .order_by(func.random())
        .limit(limit)
    )
    found: dict[int, list[tuple[int, int]]] = {}
    for initiative_id, request_id, requester_id in db.session.execute(query):
        found.setdefault(initiative_id, []).append((request_id, requester_id))
    return found


def residents(count: int) -> list[tuple[int, int]]:
    """(user id, initiative id) of `count` random residents."""
    query = (
        select(Membership.user_id, Membership.initiative_id).order_by(func.random()).limit(count)
    )
    return [tuple(row) for row in db.session.execute(query)]


def fresh_invitations(count: int, rng: random.Random) -> list[tuple[int, int]]:
    """`count` new open requests, each with one pending invitation to a volunteer of the
    initiative (as the matcher would leave them); returns (invitation id, volunteer id)."""
    offers = db.session.execute(
        select(HelpOffer.id, HelpOffer.volunteer_id, HelpOffer.initiative_id).where(
            HelpOffer.status == OfferStatus.ACTIVE
        )
    ).all()
    requesters = db.session.execute(
        select(User.id, User.place, User.latitude, User.longitude, Membership.initiative_id)
        .join(Membership, Membership.user_id == User.id)
        .order_by(func.random())
        .limit(count)
    ).all()
    first_id = (db.session.execute(select(func.max(HelpRequest.id))).scalar() or 0) + 1
    by_initiative: dict[int, list] = {}
    for offer in offers:
        by_initiative.setdefault(offer.initiative_id, []).append(offer)
    now, requests, invitations = utcnow(), [], []
    for n, who in enumerate(requesters):
        offer = rng.choice(by_initiative[who.initiative_id])
        if offer.volunteer_id == who.id:
            continue
        request_id = first_id + n
        requests.append(
            {"id": request_id, "initiative_id": who.initiative_id, "requester_id": who.id,
             "category": "groceries", "title": "Boodschappen", "flexible_days": 7,
             "status": RequestStatus.OPEN, "street_name": "Benchstraat", "place": who.place,
             "latitude": who.latitude, "longitude": who.longitude, "match_round": 1,
             "last_invited_at": now, "created_at": now, "updated_at": now}
        )  # fmt: skip
        invitations.append(
            {"request_id": request_id, "volunteer_id": offer.volunteer_id, "offer_id": offer.id,
             "status": InvitationStatus.PENDING, "created_at": now}
        )  # fmt: skip
    db.session.execute(insert(HelpRequest), requests)
    db.session.execute(insert(Invitation), invitations)
    db.session.commit()
    reset_sequences()
    query = select(Invitation.id, Invitation.volunteer_id).where(
        Invitation.request_id >= first_id, Invitation.status == InvitationStatus.PENDING
    )
    return [tuple(row) for row in db.session.execute(query)]


def targets(app: Flask, *, users: int, invitations: int, seed: int) -> dict[str, list[str]]:
    """The wrk data lines of every endpoint: "cookie<TAB>csrf<TAB>path"."""
    rng = random.Random(seed)
    people = residents(users)
    invited = fresh_invitations(invitations, rng) if invitations else []
    cookies = cookies_for(app, [uid for uid, _ in people] + [uid for _, uid in invited])
    open_requests = _open_requests_by_initiative(50_000)
    found: dict[str, list[str]] = {"nearby": [], "detail": [], "post": [], "accept": []}
    for user_id, initiative_id in people:
        cookie, csrf = cookies[user_id]
        found["nearby"].append(f"{cookie}\t{csrf}\t/dichtbij")
        found["post"].append(f"{cookie}\t{csrf}\t/hulpvragen/nieuw")
        request_id, requester_id = rng.choice(open_requests[initiative_id])
        if requester_id != user_id:
            found["detail"].append(f"{cookie}\t{csrf}\t/hulpvragen/{request_id}")
    for invitation_id, volunteer_id in invited:
        cookie, csrf = cookies[volunteer_id]
        found["accept"].append(f"{cookie}\t{csrf}\t/uitnodigingen/{invitation_id}/aannemen")
    return found


def write_targets(found: dict[str, list[str]], directory: Path) -> dict[str, Path]:
    paths = {}
    for name, lines in found.items():
        paths[name] = directory / f"{name}.tsv"
        paths[name].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths
