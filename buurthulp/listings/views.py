"""Listings pages: Dichtbij and Mijn hulp. Request and offer pages are in
request_views and offer_views; importing them here registers their routes."""

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from buurthulp.initiatives.permissions import member_initiative_ids
from buurthulp.listings import nearby_page, offer_views, queries, request_views, versions
from buurthulp.listings.blueprint import bp
from buurthulp.listings.clock import local_today
from buurthulp.listings.filters import NearbyForm, parse_page

__all__ = ["bp", "offer_views", "request_views"]  # importing those registers their routes


@bp.get("/dichtbij")
@login_required
def nearby():
    form = NearbyForm(request.args)
    notes = form.fall_back()
    page, page_ok = parse_page(request.args.get("page"))
    initiative_ids = member_initiative_ids(current_user)
    result = nearby_page.nearby_cards(
        viewer=current_user,
        radius_km=form.radius_km,
        listing_type=form.listing_type,
        category=form.category_value,
        page=page,
        initiative_ids=initiative_ids,
        stamp=versions.listings_stamp(current_user.id, initiative_ids),
        locale=str(get_locale()),
    )
    if not page_ok or result.page != page:
        notes.append(_("Die pagina bestaat niet; u ziet pagina %(page)s.", page=result.page))
    return render_template(
        "listings/nearby.html",
        form=form,
        result=result,
        notes=notes,
        has_initiative=bool(initiative_ids),
    )


@bp.get("/mijn-hulp")
@login_required
def mine():
    return render_template(
        "listings/mine.html",
        requests=queries.my_requests(current_user),
        offers=queries.my_offers(current_user),
        responses=queries.my_responses(current_user),
        today=local_today(),
        offer_state=queries.offer_state,
    )
