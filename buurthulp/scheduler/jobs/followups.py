"""Remind a contact person, on the follow-up date, of a referral they made.

One reminder per referral (delivery key `referral-<id>`), in the app and by mail, on the
first run on or after its follow-up date (Dutch date) while the follow-up is not done. The
panel's list of open follow-ups keeps showing it until the contact person records how it
went. The message names no resident and no service: a mail may be read by others, and a
referral to, say, debt help is sensitive. Nobody is reminded who no longer has a panel role
in the initiative.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.listings.clock import TIMEZONE
from buurthulp.mail.links import absolute_link
from buurthulp.matching import notify
from buurthulp.outreach.models import Referral
from buurthulp.panel.scope import panel_role
from buurthulp.scheduler.deliveries import delivery

JOB_ID = "followup_reminders"


def due_referrals(now: datetime) -> list[Referral]:
    """Referrals whose follow-up date has come (Dutch date) and that are not followed up."""
    today = now.astimezone(TIMEZONE).date()
    query = (
        select(Referral)
        .where(
            Referral.follow_up_on <= today,
            Referral.follow_up_done_at.is_(None),
            Referral.by_id.is_not(None),
        )
        .order_by(Referral.id)
    )
    return list(db.session.execute(query).scalars())


def _compose(link: str) -> tuple[str, str]:
    return (
        _("Vandaag: een doorverwijzing opvolgen"),
        _(
            "U heeft een bewoner doorverwezen en wilde vandaag nagaan hoe het ging. Bel of "
            "bezoek de bewoner, en vul daarna in het paneel in hoe het ging: %(link)s",
            link=link,
        ),
    )


def job(now: datetime) -> dict:
    """One reminder per referral, ever; none before its date, none once it is followed up."""
    sent = 0
    for referral in due_referrals(now):
        user = db.session.get(User, referral.by_id)
        if user is None or panel_role(user, referral.initiative_id) is None:
            continue
        link = absolute_link("outreach.follow_ups", initiative_id=referral.initiative_id)
        with delivery(job_id=JOB_ID, key=f"referral-{referral.id}", user_id=user.id) as ours:
            if ours:
                notify.notify_in_locale(
                    user,
                    lambda link=link: _compose(link),
                    kind="follow_up",
                    data={"id": referral.id},
                )
                sent += 1
    return {"reminders": sent}
