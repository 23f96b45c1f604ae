"""The listings blueprint; its routes live in views, request_views and offer_views."""

from flask import Blueprint

from buurthulp import labels
from buurthulp.i18n import translated_msgid
from buurthulp.listings import fragments
from buurthulp.listings.fields import PART_LABELS, km_label
from buurthulp.listings.queries import OfferState

bp = Blueprint("listings", __name__)

# Ids in URLs stay within a 32-bit integer, so a huge number is a 404 and not a database error.
MAX_ID = 2**31 - 1


@bp.context_processor
def _listing_globals() -> dict:
    return {
        "labels": labels,
        "km_label": km_label,
        # Distance bands are Dutch msgids (geo.distance): translated where they are shown.
        "band_label": translated_msgid,
        "part_labels": PART_LABELS,
        "OfferState": OfferState,
        "nearby_filters": fragments.filters,
        "nearby_pagination": fragments.pagination,
    }
