"""The weekly digest: new requests nearby, mailed to volunteers who asked for it.

It uses the same query as Dichtbij (listings.queries.nearby_candidates), so a volunteer
sees what they could see there: titles, kinds of help and distance bands, never an
address.
"""

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from buurthulp import labels
from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.geo.distance import distance_band
from buurthulp.i18n import translated_msgid
from buurthulp.listings.clock import TIMEZONE
from buurthulp.listings.models import HelpOffer, HelpRequest, OfferStatus
from buurthulp.listings.queries import ListingType, nearby_candidates
from buurthulp.mail.links import absolute_link
from buurthulp.matching import notify
from buurthulp.scheduler.deliveries import delivery
from buurthulp.scheduler.models import DigestSubscription

JOB_ID = "weekly_digest"
MAX_ITEMS = 15


def subscribers() -> list[User]:
    query = (
        select(User)
        .join(DigestSubscription, DigestSubscription.user_id == User.id)
        .order_by(User.id)
    )
    return list(db.session.execute(query).scalars())


def radius_for(user: User, default_km: float) -> float:
    """The volunteer's own reach: the largest maximum distance of their active offers."""
    query = select(db.func.max(HelpOffer.max_distance_km)).where(
        HelpOffer.volunteer_id == user.id, HelpOffer.status == OfferStatus.ACTIVE
    )
    return db.session.execute(query).scalar_one_or_none() or default_km


def new_requests_near(user: User, *, now: datetime, radius_km: float) -> list[tuple]:
    """(request, distance band) for open requests posted in the last 7 days, nearest first."""
    found = nearby_candidates(
        viewer=user,
        radius_km=radius_km,
        listing_type=ListingType.REQUESTS,
        category=None,
        today=now.astimezone(TIMEZONE).date(),
    )
    since = now - timedelta(days=7)
    fresh = [c for c in found if since <= c.created_at <= now][:MAX_ITEMS]
    rows = {
        r.id: r
        for r in db.session.execute(
            select(HelpRequest).where(HelpRequest.id.in_([c.id for c in fresh]))
        ).scalars()
    }
    return [(rows[c.id], distance_band(c.distance_km)) for c in fresh]


def _compose(items: list[tuple]) -> tuple[str, str]:
    lines = [
        "- "
        + _(
            "%(title)s (%(category)s, %(band)s): %(link)s",
            title=r.title,
            category=labels.CATEGORIES[r.category],
            band=translated_msgid(band),
            link=absolute_link("listings.request_detail", request_id=r.id),
        )
        for r, band in items
    ]
    intro = _("Deze week vroegen buren bij u in de buurt om hulp:")
    outro = _(
        "Wilt u deze mail niet meer? Zet het vinkje uit onder Mijn gegevens: %(link)s",
        link=absolute_link("accounts.profile"),
    )
    return (
        _("Nieuwe hulpvragen bij u in de buurt"),
        "\n\n".join([intro, "\n".join(lines), outro]),
    )


def iso_week(now: datetime) -> str:
    year, week, _day = now.astimezone(TIMEZONE).isocalendar()
    return f"{year}-W{week:02d}"


def job(now: datetime) -> dict:
    """At most one digest per volunteer per ISO week (a delivery key per user and week);
    nobody gets an empty one."""
    default_km = current_app.config["SCHEDULER_DIGEST_RADIUS_KM"]
    week = iso_week(now)
    sent = 0
    for user in subscribers():
        items = new_requests_near(user, now=now, radius_km=radius_for(user, default_km))
        if not items:
            continue
        with delivery(job_id=JOB_ID, key=f"user-{user.id}-{week}", user_id=user.id) as ours:
            if not ours:
                continue
            notify.notify_in_locale(user, lambda items=items: _compose(items))
            sent += 1
    return {"digests": sent, "week": week}
