"""Unmatched requests: the matcher's flagged requests in my streets, and match by hand."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from buurthulp.db_types import utcnow
from buurthulp.listings.models import RequestStatus
from buurthulp.matching.forms import InviteForm
from buurthulp.matching.services import MatchingError
from buurthulp.panel.blueprint import add_section
from buurthulp.panel.scope import PANEL_ROLES
from buurthulp.residents import unmatched
from buurthulp.residents.blueprint import ID, PREFIX, bp, in_scope, user
from buurthulp.residents.scope import request_in_scope

add_section("residents.unmatched_list", _l("Hulpvragen zonder helper"), PANEL_ROLES, 25)
REQUEST_ID = ID % "request_id"


@bp.get(f"{PREFIX}/onbemiddeld")
@login_required
def unmatched_list(initiative_id: int):
    _role, street_ids = in_scope(initiative_id)
    return render_template(
        "residents/unmatched.html",
        initiative_id=initiative_id,
        requests=unmatched.unmatched_requests(initiative_id, street_ids),
    )


def _request_or_404(initiative_id: int, request_id: int):
    _role, street_ids = in_scope(initiative_id)
    help_request = request_in_scope(request_id, initiative_id, street_ids)
    if help_request is None:
        abort(404)
    return help_request


def _detail_page(initiative_id: int, help_request, form: InviteForm, status: int = 200):
    suggestions, responders = unmatched.candidates(help_request, now=utcnow())
    everyone = [s.volunteer.id for s in suggestions] + [v.id for v in responders]
    page = render_template(
        "residents/unmatched_detail.html",
        initiative_id=initiative_id,
        help_request=help_request,
        suggestions=suggestions,
        responders=responders,
        unverified=unmatched.unverified_among(help_request, everyone),
        open=help_request.status == RequestStatus.OPEN,
        form=form,
    )
    return page, status


@bp.get(f"{PREFIX}/onbemiddeld/{REQUEST_ID}")
@login_required
def unmatched_detail(initiative_id: int, request_id: int):
    help_request = _request_or_404(initiative_id, request_id)
    return _detail_page(initiative_id, help_request, InviteForm(formdata=None))


def _by_hand(initiative_id: int, request_id: int, action, done: str):
    help_request = _request_or_404(initiative_id, request_id)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            action(
                help_request=help_request,
                volunteer_id=form.volunteer_id.data,
                by_user=user(),
                now=utcnow(),
            )
        except MatchingError as error:
            flash(str(error), "error")
        else:
            flash(done)
            return redirect(
                url_for(".unmatched_detail", initiative_id=initiative_id, request_id=request_id),
                303,
            )
    else:
        for message in form.volunteer_id.errors:
            flash(str(message), "error")
    return _detail_page(initiative_id, help_request, form, 422)


@bp.post(f"{PREFIX}/onbemiddeld/{REQUEST_ID}/uitnodigen")
@login_required
def unmatched_invite(initiative_id: int, request_id: int):
    return _by_hand(
        initiative_id,
        request_id,
        unmatched.invite_by_hand,
        _("De buur is uitgenodigd en krijgt bericht."),
    )


@bp.post(f"{PREFIX}/onbemiddeld/{REQUEST_ID}/telefonisch")
@login_required
def unmatched_match(initiative_id: int, request_id: int):
    return _by_hand(
        initiative_id,
        request_id,
        unmatched.match_by_phone,
        _("De koppeling is vastgelegd. Beide buren zien nu elkaars gegevens."),
    )
