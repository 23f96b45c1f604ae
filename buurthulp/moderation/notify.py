"""Mails about moderation and roles, each in the receiver's own language."""

from flask_babel import gettext as _

from buurthulp.accounts.models import User
from buurthulp.accounts.web import external_url
from buurthulp.listings.models import HelpRequest
from buurthulp.mail.sending import send_mail
from buurthulp.matching.notify import notify_in_locale


def _edit_link(listing) -> str:
    if isinstance(listing, HelpRequest):
        return external_url("listings.request_edit", request_id=listing.id)
    return external_url("listings.offer_edit", offer_id=listing.id)


def post_rejected(author: User, listing, reason: str) -> None:
    """The author hears why their post was not placed, and where to change it."""
    link = _edit_link(listing)
    notify_in_locale(
        author,
        lambda: (
            _("Uw bericht is nog niet geplaatst: %(title)s", title=listing.title),
            _(
                'Uw bericht "%(title)s" is niet geplaatst. De reden:\n\n%(reason)s\n\n'
                "Wat u schreef is bewaard. U kunt het hier aanpassen en opnieuw insturen:\n"
                "%(link)s",
                title=listing.title,
                reason=reason,
                link=link,
            ),
        ),
    )


def role_invited(*, email: str, initiative_name: str, role_label: str, link: str) -> None:
    """The invitation link for a role; it works once and expires. Sent in Dutch: the
    invitee may not have an account, so we do not know their language."""
    send_mail(
        to=email,
        subject=_("Uitnodiging: %(role)s bij %(name)s", role=role_label, name=initiative_name),
        body=_(
            "U bent uitgenodigd als %(role)s bij %(name)s op Buurthulp.\n\n"
            "Log in (of maak eerst een account met dit e-mailadres) en open dan deze link:\n"
            "%(link)s\n\nDe link werkt één keer en verloopt na 7 dagen.",
            role=role_label,
            name=initiative_name,
            link=link,
        ),
    )
