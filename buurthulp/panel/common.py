"""Small helpers shared by the panel's views."""

from flask import abort, flash
from flask_login import current_user

from buurthulp.extensions import db
from buurthulp.initiatives.models import Initiative
from buurthulp.listings.models import HelpOffer, HelpRequest
from buurthulp.moderation import queries
from buurthulp.panel import scope

# How a post kind is written in panel URLs.
KIND = "<any(hulpvraag, aanbod):kind>"
KIND_MODELS = {"hulpvraag": HelpRequest, "aanbod": HelpOffer}


def user():
    # Services take the User itself, not the request-bound proxy.
    return current_user._get_current_object()


def initiative_for(initiative_id: int, *roles) -> Initiative:
    """Check the current user's panel role (404 / 403), then load the initiative."""
    scope.require_panel_role(current_user, initiative_id, *roles)
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None:
        abort(404)
    return initiative


def listing_or_404(initiative_id: int, kind: str, listing_id: int):
    """A post of this initiative; another initiative's id is a 404."""
    listing = queries.listing_in(KIND_MODELS[kind], listing_id, initiative_id)
    if listing is None:
        abort(404)
    return listing


def kind_of(listing) -> str:
    return "hulpvraag" if isinstance(listing, HelpRequest) else "aanbod"


def refused(error, form=None) -> None:
    """Show a service's message next to its field, or at the top of the page."""
    field = getattr(error, "field", None)
    if form is not None and field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        flash(str(error), "error")
