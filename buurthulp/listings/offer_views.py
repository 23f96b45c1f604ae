"""Help offer pages: post, view, edit, withdraw."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from buurthulp.initiatives.permissions import (
    can_edit,
    editable_or_abort,
    is_author,
    viewable_or_404,
)
from buurthulp.listings import queries, services, submissions
from buurthulp.listings.availability import PARTS, slot_bit, slot_key, slots_from_mask
from buurthulp.listings.blueprint import MAX_ID, bp
from buurthulp.listings.fields import DAY_LABELS
from buurthulp.listings.forms import OfferForm
from buurthulp.listings.models import HelpOffer, OfferStatus

ID = f"<int(max={MAX_ID}):offer_id>"


def _user():
    # Services take the User itself, not the request-bound proxy.
    return current_user._get_current_object()


def _form_page(form: OfferForm, offer: HelpOffer | None = None):
    status = 422 if request.method == "POST" else 200
    return render_template("listings/offer_form.html", form=form, offer=offer), status


def _show_leftover(leftover: list) -> None:
    for message in leftover:
        flash(str(message), "error")


@bp.route("/hulpaanbod/nieuw", methods=["GET", "POST"])
@login_required
def offer_new():
    initiatives = queries.initiatives_of(current_user)
    if not initiatives:
        return render_template("listings/no_initiative.html")
    form = OfferForm()
    form.set_initiatives(initiatives)
    if form.validate_on_submit():
        try:
            offer = services.help_offer_create(
                volunteer=_user(),
                initiative_id=form.chosen_initiative_id(initiatives),
                fields=form.offer_fields(),
                submission_token=form.submission_token.data,
            )
        except services.ListingError as error:
            _show_leftover(form.add_errors(error.errors))
        except submissions.AlreadyPosted as already:
            flash(_("Uw hulpaanbod was al geplaatst."))
            return redirect(url_for(".offer_detail", offer_id=already.listing.id), 303)
        else:
            flash(_("Bedankt! Uw hulpaanbod staat erop."))
            return redirect(url_for(".offer_detail", offer_id=offer.id), 303)
    return _form_page(form)


def _availability_table(mask: int) -> list:
    """(day name, [free in ochtend, middag, avond]) per day, for reading."""
    return [
        (day_name, [bool(mask & slot_bit(day, part)) for part in range(len(PARTS))])
        for day, day_name in enumerate(DAY_LABELS)
    ]


@bp.get(f"/hulpaanbod/{ID}")
@login_required
def offer_detail(offer_id: int):
    offer = viewable_or_404(current_user, queries.get_offer(offer_id))
    user = _user()
    may_edit = can_edit(user, offer) and offer.status == OfferStatus.ACTIVE
    return render_template(
        "listings/offer_detail.html",
        offer=offer,
        own=is_author(user, offer),
        may_edit=may_edit,
        state=queries.offer_state(offer),
        band=queries.band_between(user.location, queries.listing_location(offer)),
        table=_availability_table(offer.availability),
    )


@bp.route(f"/hulpaanbod/{ID}/bewerken", methods=["GET", "POST"])
@login_required
def offer_edit(offer_id: int):
    offer = editable_or_abort(current_user, queries.get_offer(offer_id))
    if offer.status != OfferStatus.ACTIVE:
        flash(_("Dit aanbod is ingetrokken en kan niet meer veranderen."), "error")
        return redirect(url_for(".offer_detail", offer_id=offer_id), 303)
    form = OfferForm(data=_form_data(offer))
    del form["initiative_id"], form["submission_token"]
    form.previous_paused = offer.paused_until
    form.previous_distance = offer.max_distance_km
    if form.validate_on_submit():
        try:
            services.help_offer_update(offer=offer, editor=_user(), fields=form.offer_fields())
        except services.ListingError as error:
            _show_leftover(form.add_errors(error.errors))
        else:
            flash(_("Uw wijzigingen zijn bewaard."))
            return redirect(url_for(".offer_detail", offer_id=offer_id), 303)
    return _form_page(form, offer)


def _form_data(offer: HelpOffer) -> dict:
    # Not obj=offer: its categories and availability are rows and a mask, not form values.
    return {
        "title": offer.title,
        "description": offer.description,
        "categories": [c.value for c in offer.category_values],
        "availability": [slot_key(day, part) for day, part in slots_from_mask(offer.availability)],
        "max_distance_km": offer.max_distance_km,
        "has_car": offer.has_car,
        "paused_until": offer.paused_until,
    }


@bp.post(f"/hulpaanbod/{ID}/intrekken")
@login_required
def offer_withdraw(offer_id: int):
    offer = editable_or_abort(current_user, queries.get_offer(offer_id))
    try:
        services.help_offer_withdraw(offer=offer, editor=_user())
    except services.ListingError as error:
        flash(str(error), "error")
        return redirect(url_for(".offer_detail", offer_id=offer_id), 303)
    flash(_("Het hulpaanbod is ingetrokken."))
    if is_author(current_user, offer):
        return redirect(url_for(".mine"), 303)
    return redirect(url_for(".offer_detail", offer_id=offer_id), 303)
