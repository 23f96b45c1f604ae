"""The matcher's pages: Uitnodigingen, Voor u, Suggesties and the match page (Koppeling).

Thin: check who may see it, validate the form, call one service, then render or
redirect. A broken rule (MatchingError) becomes a Dutch message, never a 500.
"""

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from buurthulp import labels
from buurthulp.db_types import utcnow
from buurthulp.geo.distance import distance_band
from buurthulp.i18n import translated_msgid
from buurthulp.initiatives.permissions import editable_or_abort, is_author, viewable_or_404
from buurthulp.listings import queries as listing_queries
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.matching import lifecycle, queries, services
from buurthulp.matching.forms import MAX_ID, ActionForm, CompleteForm, EndForm, InviteForm
from buurthulp.matching.models import Invitation, InvitationStatus, Match, MatchStatus

bp = Blueprint("matching", __name__)

REQUEST_ID = f"<int(max={MAX_ID}):request_id>"
INVITATION_ID = f"<int(max={MAX_ID}):invitation_id>"
MATCH_ID = f"<int(max={MAX_ID}):match_id>"


def _user():
    # Services take the User itself, not the request-bound proxy.
    return current_user._get_current_object()


def reason_label(reason) -> str:
    """A ranking reason in the reader's language (core.Reason carries its msgid and params)."""
    msgid = getattr(reason, "msgid", None)
    if msgid is None:
        return translated_msgid(str(reason))
    params = {k: translated_msgid(v) if isinstance(v, str) else v for k, v in reason.params.items()}
    return _(msgid, **params) if params else translated_msgid(msgid)


@dataclass(frozen=True, slots=True)
class MatchState:
    match: Match | None  # the live match, only for its two people
    invitation: Invitation | None  # the viewer's pending invitation for this request
    may_suggest: bool


def match_state(help_request: HelpRequest) -> MatchState:
    """What the request detail and Mijn hulp show about matching, for the viewer."""
    if not current_user.is_authenticated:
        return MatchState(None, None, False)
    pending = queries.pending_invitation(help_request.id, current_user.id)
    may_suggest = help_request.status == RequestStatus.OPEN and is_author(
        current_user, help_request
    )
    return MatchState(queries.contact_visible(current_user, help_request), pending, may_suggest)


INVITATION_LABELS = {
    InvitationStatus.PENDING: _l("uitgenodigd"),
    InvitationStatus.ACCEPTED: _l("aangenomen"),
    InvitationStatus.DECLINED: _l("afgeslagen"),
    InvitationStatus.CLOSED: _l("gesloten"),
}
MATCH_LABELS = {
    MatchStatus.ACCEPTED: _l("afgesproken"),
    MatchStatus.DONE: _l("afgerond"),
    MatchStatus.CANCELLED: _l("gaat niet door"),
    MatchStatus.NO_SHOW: _l("niet gekomen"),
}


@bp.app_context_processor
def _matching_globals() -> dict:
    # Every page: the request detail and Mijn hulp show the match state too.
    return {"match_state": match_state, "reason_label": reason_label}


@bp.context_processor
def _matching_page_globals() -> dict:
    return {
        "labels": labels,
        "band_label": translated_msgid,
        "distance_band": distance_band,
        "invitation_labels": INVITATION_LABELS,
        "match_labels": MATCH_LABELS,
    }


def _refused(error: services.MatchingError, form=None) -> None:
    if form is not None and error.field and error.field in form:
        form[error.field].errors = [*form[error.field].errors, str(error)]
    else:
        flash(str(error), "error")


def _invitations_page(status: int = 200):
    user = _user()
    page = render_template(
        "matching/invitations.html",
        invitations=queries.my_invitations(user),
        matches=queries.my_matches(user),
        form=ActionForm(formdata=None),
        Pending=InvitationStatus.PENDING,
    )
    return page, status


@bp.get("/uitnodigingen")
@login_required
def invitations():
    return _invitations_page()


def _answer(invitation_id: int, accept: bool):
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
        return _invitations_page(422)
    answer = services.invitation_accept if accept else services.invitation_decline
    try:
        result = answer(invitation_id=invitation_id, volunteer_id=current_user.id, now=utcnow())
    except services.MatchingError as error:
        _refused(error)
        return redirect(url_for(".invitations"), 303)
    if accept:
        flash(_("U helpt! Hieronder staan de gegevens van uw buur."))
        return redirect(url_for(".match_detail", match_id=result.id), 303)
    flash(_("U heeft de uitnodiging afgeslagen. Bedankt voor het laten weten."))
    return redirect(url_for(".invitations"), 303)


@bp.post(f"/uitnodigingen/{INVITATION_ID}/aannemen")
@login_required
def invitation_accept(invitation_id: int):
    return _answer(invitation_id, accept=True)


@bp.post(f"/uitnodigingen/{INVITATION_ID}/afslaan")
@login_required
def invitation_decline(invitation_id: int):
    return _answer(invitation_id, accept=False)


@bp.get("/voor-u")
@login_required
def for_you():
    return render_template(
        "matching/for_you.html",
        items=queries.for_you(_user(), now=utcnow()),
        form=ActionForm(formdata=None),
    )


@bp.post(f"/hulpvragen/{REQUEST_ID}/aannemen")
@login_required
def request_accept(request_id: int):
    viewable_or_404(current_user, listing_queries.get_request(request_id))
    form = ActionForm()
    if not form.validate_on_submit():
        flash(_("Het formulier was verlopen. Probeer het opnieuw."), "error")
        return redirect(url_for(".for_you"), 303)
    try:
        match = services.request_accept(request_id=request_id, volunteer=_user(), now=utcnow())
    except services.MatchingError as error:
        _refused(error)
        return redirect(url_for(".for_you"), 303)
    flash(_("U helpt! Hieronder staan de gegevens van uw buur."))
    return redirect(url_for(".match_detail", match_id=match.id), 303)


def _suggestions_page(help_request: HelpRequest, form: InviteForm, status: int = 200):
    page = render_template(
        "matching/suggestions.html",
        help_request=help_request,
        suggestions=queries.suggestions(help_request, now=utcnow()),
        form=form,
    )
    return page, status


def _editable_request(request_id: int) -> HelpRequest:
    return editable_or_abort(current_user, listing_queries.get_request(request_id))


@bp.get(f"/hulpvragen/{REQUEST_ID}/suggesties")
@login_required
def suggestions(request_id: int):
    help_request = _editable_request(request_id)
    if help_request.status != RequestStatus.OPEN:
        flash(_("Deze hulpvraag staat niet meer open."), "error")
        return redirect(url_for("listings.request_detail", request_id=request_id), 303)
    return _suggestions_page(help_request, InviteForm(formdata=None))


@bp.post(f"/hulpvragen/{REQUEST_ID}/uitnodigen")
@login_required
def invite(request_id: int):
    help_request = _editable_request(request_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invitation_create(
                help_request=help_request,
                volunteer_id=form.volunteer_id.data,
                by_user=_user(),
                now=utcnow(),
            )
        except services.MatchingError as error:
            flash(str(error), "error")
        else:
            flash(_("De buur is uitgenodigd en krijgt bericht."))
            return redirect(url_for(".suggestions", request_id=request_id), 303)
    else:
        for message in form.volunteer_id.errors:
            flash(str(message), "error")
    if help_request.status != RequestStatus.OPEN:
        return redirect(url_for("listings.request_detail", request_id=request_id), 303)
    return _suggestions_page(help_request, form, 422)


def _my_match(match_id: int) -> Match:
    match = queries.get_match(match_id)
    if match is None or not queries.is_party(current_user, match):
        abort(404)
    return match


def _match_page(match: Match, complete_form=None, end_form=None, status: int = 200):
    user = _user()
    is_volunteer = match.volunteer_id == user.id
    mine = match.volunteer_feedback if is_volunteer else match.requester_feedback
    page = render_template(
        "matching/match.html",
        match=match,
        help_request=match.request,
        live=match.status in queries.LIVE_MATCH,
        is_volunteer=is_volunteer,
        may_complete=match.status == MatchStatus.ACCEPTED
        or (match.status == MatchStatus.DONE and not mine),
        may_end=match.status == MatchStatus.ACCEPTED,
        complete_form=complete_form or CompleteForm(formdata=None),
        end_form=end_form or EndForm(formdata=None),
    )
    return page, status


@bp.get(f"/koppelingen/{MATCH_ID}")
@login_required
def match_detail(match_id: int):
    return _match_page(_my_match(match_id))


@bp.post(f"/koppelingen/{MATCH_ID}/afronden")
@login_required
def match_complete(match_id: int):
    match = _my_match(match_id)
    form = CompleteForm()
    if form.validate_on_submit():
        try:
            lifecycle.match_complete(
                match_id=match.id,
                by_user=_user(),
                hours=form.hours.data,
                feedback=form.feedback.data or "",
                now=utcnow(),
            )
        except services.MatchingError as error:
            _refused(error, form)
        else:
            flash(_("Bedankt! De hulp is afgerond."))
            return redirect(url_for(".match_detail", match_id=match_id), 303)
    return _match_page(match, complete_form=form, status=422)


@bp.post(f"/koppelingen/{MATCH_ID}/stoppen")
@login_required
def match_end(match_id: int):
    match = _my_match(match_id)
    form = EndForm()
    if form.validate_on_submit():
        end = (
            lifecycle.match_no_show
            if form.kind.data == MatchStatus.NO_SHOW.value
            else lifecycle.match_cancel
        )
        try:
            end(match_id=match.id, by_user=_user(), reason=form.reason.data, now=utcnow())
        except services.MatchingError as error:
            _refused(error, form)
        else:
            flash(_("Dat is genoteerd. De hulpvraag staat weer open voor andere buren."))
            return redirect(url_for(".match_detail", match_id=match_id), 303)
    return _match_page(match, end_form=form, status=422)
