"""Telling people about their activities: a mail and an in-app notification (Mededelingen),
through the same path as the matcher's notices (matching.notify.notify_in_locale).

A phone-intake resident has no account: the contact person who signed them up hears it
instead, so they can ring the resident.
"""

from flask_babel import format_date
from flask_babel import gettext as _

from buurthulp.accounts.models import User
from buurthulp.activities.models import Activity, ActivitySignup
from buurthulp.extensions import db
from buurthulp.mail.links import absolute_link
from buurthulp.matching.notify import notify_in_locale


def _receiver(signup: ActivitySignup) -> User | None:
    if signup.user_id is not None:
        return db.session.get(User, signup.user_id)
    if signup.signed_up_by_id is not None:
        return db.session.get(User, signup.signed_up_by_id)
    return None


def _for_whom(signup: ActivitySignup) -> str:
    """'' for the resident themselves; the resident's name for their contact person."""
    if signup.user_id is None and signup.proxy_resident is not None:
        return signup.proxy_resident.full_name
    return ""


def _day(signup: ActivitySignup) -> str:
    return format_date(signup.occurs_on, "EEEE d MMMM")


def _compose_place(signup: ActivitySignup, link: str) -> tuple[str, str]:
    activity, name = signup.activity, _for_whom(signup)
    if name:
        return _("%(name)s heeft een plek: %(title)s", name=name, title=activity.title), _(
            "Er is een plek vrijgekomen bij %(title)s op %(day)s. %(name)s stond op de "
            "wachtlijst en is nu aangemeld. Laat u het weten? Kan het toch niet, meld dan "
            "af, dan krijgt de volgende de plek:\n%(link)s",
            title=activity.title,
            day=_day(signup),
            name=name,
            link=link,
        )
    return _("U heeft een plek: %(title)s", title=activity.title), _(
        "Er is een plek vrijgekomen bij %(title)s op %(day)s. U stond op de wachtlijst "
        "en bent nu aangemeld. Kan het toch niet? Meld u dan af, dan krijgt de volgende "
        "de plek:\n%(link)s",
        title=activity.title,
        day=_day(signup),
        link=link,
    )


def promoted(signup: ActivitySignup) -> None:
    """Someone on the waiting list got a place because another cancelled."""
    receiver = _receiver(signup)
    if receiver is None:
        return
    activity_id = signup.activity_id
    link = absolute_link("activities.activity_detail", activity_id=activity_id)
    data = {"activity_id": activity_id, "occurs_on": signup.occurs_on.isoformat()}
    notify_in_locale(receiver, lambda: _compose_place(signup, link), "activity_place", data)


def activity_cancelled(signup: ActivitySignup, reason: str) -> None:
    """The organisers called the activity off; a coming sign-up hears it."""
    receiver = _receiver(signup)
    if receiver is None:
        return
    activity = signup.activity

    def compose():
        name = _for_whom(signup)
        subject = _("Gaat niet door: %(title)s", title=activity.title)
        body = _(
            "%(title)s op %(day)s gaat niet door. De organisatie heeft de activiteit afgelast.",
            title=activity.title,
            day=_day(signup),
        )
        if name:
            body += " " + _("%(name)s stond aangemeld.", name=name)
        if reason:
            body += "\n\n" + _("De reden: %(reason)s", reason=reason)
        return subject, body

    notify_in_locale(receiver, compose, "activity_cancelled", {"activity_id": activity.id})


def _proposer(activity: Activity) -> User | None:
    return db.session.get(User, activity.created_by_id) if activity.created_by_id else None


def proposal_approved(activity: Activity) -> None:
    proposer = _proposer(activity)
    if proposer is None:
        return
    link = absolute_link("activities.activity_detail", activity_id=activity.id)
    notify_in_locale(
        proposer,
        lambda: (
            _("Uw voorstel staat erop: %(title)s", title=activity.title),
            _(
                "Uw voorstel voor een activiteit is goedgekeurd. Buren kunnen zich nu "
                "aanmelden:\n%(link)s",
                link=link,
            ),
        ),
        "activity_approved",
        {"activity_id": activity.id},
    )


def proposal_rejected(activity: Activity, reason: str) -> None:
    proposer = _proposer(activity)
    if proposer is None:
        return
    link = absolute_link("activities.activity_edit", activity_id=activity.id)
    notify_in_locale(
        proposer,
        lambda: (
            _("Uw voorstel is nog niet geplaatst: %(title)s", title=activity.title),
            _(
                'Uw voorstel "%(title)s" is niet geplaatst. De reden:\n\n%(reason)s\n\n'
                "Wat u schreef is bewaard. U kunt het hier aanpassen en opnieuw insturen:\n"
                "%(link)s",
                title=activity.title,
                reason=reason,
                link=link,
            ),
        ),
        "activity_rejected",
        {"activity_id": activity.id},
    )
