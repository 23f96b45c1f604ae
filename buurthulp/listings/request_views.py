"""Help request pages: post, view, edit, withdraw, and "Ik wil helpen"."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from buurthulp.initiatives.permissions import (
    can_edit,
    editable_or_abort,
    is_author,
    is_member,
    viewable_or_404,
)
from buurthulp.listings import queries, services, submissions
from buurthulp.listings.blueprint import MAX_ID, bp
from buurthulp.listings.fields import FIXED, FLEXIBLE
from buurthulp.listings.forms import HelpForm, RequestForm
from buurthulp.listings.models import HelpRequest, RequestStatus

ID = f"<int(max={MAX_ID}):request_id>"


def _user():
    # Services take the User itself, not the request-bound proxy.
    return current_user._get_current_object()


def _form_page(form: RequestForm, help_request: HelpRequest | None = None):
    status = 422 if request.method == "POST" else 200
    page = render_template("listings/request_form.html", form=form, help_request=help_request)
    return page, status


def _show_leftover(leftover: list) -> None:
    for message in leftover:
        flash(str(message), "error")


@bp.route("/hulpvragen/nieuw", methods=["GET", "POST"])
@login_required
def request_new():
    initiatives = queries.initiatives_of(current_user)
    if not initiatives:
        return render_template("listings/no_initiative.html")
    form = RequestForm()
    form.set_initiatives(initiatives)
    if form.validate_on_submit():
        try:
            help_request = services.help_request_create(
                requester=_user(),
                initiative_id=form.chosen_initiative_id(initiatives),
                fields=form.request_fields(),
                submission_token=form.submission_token.data,
            )
        except services.ListingError as error:
            _show_leftover(form.add_errors(error.errors))
        except submissions.AlreadyPosted as already:
            flash(_("Uw hulpvraag was al geplaatst."))
            return redirect(url_for(".request_detail", request_id=already.listing.id), 303)
        else:
            flash(_("Uw hulpvraag staat erop. Buren in de buurt kunnen hem nu zien."))
            return redirect(url_for(".request_detail", request_id=help_request.id), 303)
    return _form_page(form)


def _detail_page(help_request: HelpRequest, help_form: HelpForm, status: int = 200):
    user = _user()
    may_edit = can_edit(user, help_request)
    own = is_author(user, help_request)
    page = render_template(
        "listings/request_detail.html",
        help_request=help_request,
        band=queries.band_between(user.location, queries.listing_location(help_request)),
        own=own,
        may_edit=may_edit and help_request.status == RequestStatus.OPEN,
        may_withdraw=may_edit
        and help_request.status in (RequestStatus.OPEN, RequestStatus.MATCHED),
        responses=queries.request_responses(help_request) if own or may_edit else [],
        responded=queries.has_responded(help_request, user),
        may_help=not own
        and help_request.status == RequestStatus.OPEN
        and is_member(user, help_request.initiative_id),
        help_form=help_form,
    )
    return page, status


@bp.get(f"/hulpvragen/{ID}")
@login_required
def request_detail(request_id: int):
    help_request = viewable_or_404(current_user, queries.get_request(request_id))
    return _detail_page(help_request, HelpForm(formdata=None))


@bp.post(f"/hulpvragen/{ID}/helpen")
@login_required
def request_help(request_id: int):
    help_request = viewable_or_404(current_user, queries.get_request(request_id))
    form = HelpForm()
    if form.validate_on_submit():
        try:
            services.help_response_create(
                help_request=help_request, volunteer=_user(), message=form.message.data or ""
            )
        except services.ListingError as error:
            _show_leftover(form.add_errors(error.errors))
        else:
            flash(_("Bedankt! De hulpvrager ziet nu dat u wilt helpen."))
            return redirect(url_for(".request_detail", request_id=request_id), 303)
    return _detail_page(help_request, form, 422)


def _when_choice(help_request: HelpRequest) -> str:
    return FLEXIBLE if help_request.flexible_days is not None else FIXED


@bp.route(f"/hulpvragen/{ID}/bewerken", methods=["GET", "POST"])
@login_required
def request_edit(request_id: int):
    help_request = editable_or_abort(current_user, queries.get_request(request_id))
    if help_request.status != RequestStatus.OPEN:
        flash(_("Deze hulpvraag staat niet meer open en kan niet meer veranderen."), "error")
        return redirect(url_for(".request_detail", request_id=request_id), 303)
    form = RequestForm(obj=help_request, when=_when_choice(help_request))
    del form["initiative_id"], form["submission_token"]
    form.previous_date = help_request.on_date
    if form.validate_on_submit():
        try:
            services.help_request_update(
                help_request=help_request, editor=_user(), fields=form.request_fields()
            )
        except services.ListingError as error:
            _show_leftover(form.add_errors(error.errors))
        else:
            flash(_("Uw wijzigingen zijn bewaard."))
            return redirect(url_for(".request_detail", request_id=request_id), 303)
    return _form_page(form, help_request)


@bp.post(f"/hulpvragen/{ID}/intrekken")
@login_required
def request_withdraw(request_id: int):
    help_request = editable_or_abort(current_user, queries.get_request(request_id))
    try:
        services.help_request_withdraw(help_request=help_request, editor=_user())
    except services.ListingError as error:
        flash(str(error), "error")
        return redirect(url_for(".request_detail", request_id=request_id), 303)
    flash(_("De hulpvraag is ingetrokken."))
    if is_author(current_user, help_request):
        return redirect(url_for(".mine"), 303)
    return redirect(url_for(".request_detail", request_id=request_id), 303)
