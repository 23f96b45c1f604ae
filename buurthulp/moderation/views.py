"""Residents' side of moderation: reporting a post or person, taking a role from an
invitation link, and keeping suspended members out (checked on every request)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from buurthulp import labels
from buurthulp.accounts import login_sessions
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.permissions import author_id, viewable_or_404
from buurthulp.listings.clock import TIMEZONE
from buurthulp.moderation import flags, queries
from buurthulp.moderation.services import ModerationError
from buurthulp.panel import roles
from buurthulp.panel.blueprint import MAX_ID
from buurthulp.panel.common import KIND, KIND_MODELS, refused, user
from buurthulp.panel.forms import ActionForm, FlagForm

bp = Blueprint("moderation", __name__)

# Pages a suspended person may still reach: logging out, the error pages, static files.
OPEN_ENDPOINTS = {"static", "accounts.logout", "pages.privacy", "pages.set_language"}


def suspension_message(suspension) -> str:
    until = format_date(suspension.ends_at.astimezone(TIMEZONE).date(), "long")
    return _("Uw account is geschorst tot en met %(date)s.", date=until)


@bp.before_app_request
def keep_out_suspended():
    """A suspended or blocked member is logged out on their next request, whatever the
    page; the login page refuses them until the end date (accounts.views)."""
    if not current_user.is_authenticated or request.endpoint in OPEN_ENDPOINTS:
        return None
    if not getattr(current_user, "may_be_suspended", True):
        return None  # the login query found none (accounts.login_sessions)
    suspension = queries.active_suspension(current_user.id, utcnow())
    if suspension is None:
        return None
    token = getattr(current_user, "current_session_token", None)
    if token:
        login_sessions.session_end(token=token)
        db.session.commit()
    logout_user()
    flash(suspension_message(suspension), "error")
    return redirect(url_for("accounts.login"), 303)


@bp.route(f"/melden/{KIND}/<int(max={MAX_ID}):listing_id>", methods=["GET", "POST"])
@login_required
def report(kind: str, listing_id: int):
    listing = viewable_or_404(current_user, db.session.get(KIND_MODELS[kind], listing_id))
    if author_id(listing) == current_user.id:
        abort(404)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            flags.flag_create(
                reporter=user(),
                listing=listing,
                about_author=form.about.data == "person",
                reason=form.reason.data,
                now=utcnow(),
            )
        except ModerationError as error:
            refused(error, form)
        else:
            flash(_("Bedankt. Een buurtverbinder kijkt naar uw melding."), "success")
            return redirect(url_for("listings.nearby"), 303)
    page = render_template("moderation/report.html", listing=listing, kind=kind, form=form)
    return page, 422 if form.is_submitted() else 200


@bp.route("/rol-uitnodiging/<token>", methods=["GET", "POST"])
@login_required
def role_invitation(token: str):
    invitation = roles.invitation_for(token, utcnow())
    if invitation is None:
        return render_template("moderation/invitation_invalid.html"), 404
    form = ActionForm()
    if form.validate_on_submit():
        try:
            roles.role_invitation_accept(token=token, user=user(), now=utcnow())
        except ModerationError as error:
            refused(error)
        else:
            flash(_("U heeft de rol aangenomen. Welkom in het paneel!"), "success")
            return redirect(url_for("panel.index"), 303)
    page = render_template(
        "moderation/invitation.html",
        invitation=invitation,
        role_label=labels.ROLES[invitation.role],
        form=form,
    )
    return page, 422 if form.is_submitted() else 200
