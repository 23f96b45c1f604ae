"""The renew page a requester reaches from the expiry mail."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from wtforms import DateField
from wtforms.validators import Optional

from buurthulp.db_types import utcnow
from buurthulp.forms import BaseForm
from buurthulp.initiatives.permissions import editable_or_abort
from buurthulp.listings import queries
from buurthulp.listings.blueprint import MAX_ID
from buurthulp.listings.clock import local_today
from buurthulp.listings.fields import DATE_FORMATS
from buurthulp.listings.models import RequestStatus
from buurthulp.scheduler.renewal import RenewalError, needs_new_date, request_renew

bp = Blueprint("renewal", __name__)


class RenewForm(BaseForm):
    on_date = DateField(
        _l("Nieuwe datum"),
        format=DATE_FORMATS,
        validators=[Optional()],
        invalid_value_message=_l("Vul een datum in, bijvoorbeeld 14-03-2026."),
    )


@bp.route(f"/hulpvragen/<int(max={MAX_ID}):request_id>/vernieuwen", methods=["GET", "POST"])
@login_required
def request_renew_page(request_id: int):
    help_request = editable_or_abort(current_user, queries.get_request(request_id))
    if help_request.status != RequestStatus.EXPIRED:
        flash(_("Deze hulpvraag is niet verlopen; u hoeft niets te doen."))
        return redirect(url_for("listings.request_detail", request_id=request_id), 303)
    today = local_today()
    form = RenewForm()
    if form.validate_on_submit():
        try:
            request_renew(
                help_request=help_request,
                by_user=current_user._get_current_object(),
                now=utcnow(),
                today=today,
                new_date=form.on_date.data,
            )
        except RenewalError as error:
            for name, message in error.errors.items():
                target = form.on_date if name in ("on_date", "time_from", "time_until") else None
                if target is not None:
                    target.errors = [*target.errors, message]
                else:
                    flash(str(message), "error")
        else:
            flash(_("Uw hulpvraag staat weer open. We zoeken een buur die kan helpen."))
            return redirect(url_for("listings.request_detail", request_id=request_id), 303)
    page = render_template(
        "scheduler/renew.html",
        form=form,
        help_request=help_request,
        new_date_needed=needs_new_date(help_request, today),
    )
    return page, 422 if request.method == "POST" else 200
