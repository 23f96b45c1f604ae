"""Writes for listings: help requests, help offers and "Ik wil helpen".

Each service checks the rules (listings.rules), commits, and raises
ListingError with a Dutch message, keyed by the form field it is about, when a
rule is broken.
"""

import functools
from collections.abc import Callable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from buurthulp.accounts.models import User
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.geo.grid import cell_of
from buurthulp.initiatives.permissions import can_edit, is_member
from buurthulp.listings import submissions
from buurthulp.listings.clock import local_today
from buurthulp.listings.models import (
    Category,
    HelpOffer,
    HelpOfferCategory,
    HelpRequest,
    HelpResponse,
    OfferStatus,
    RequestStatus,
)
from buurthulp.listings.rules import (
    MESSAGE_MAX,
    OfferFields,
    RequestFields,
    offer_errors,
    request_errors,
)
from buurthulp.matching import services as matching
from buurthulp.moderation import live
from buurthulp.moderation import services as moderation
from buurthulp.residents.verification import NOT_VERIFIED, may_accept
from buurthulp.text import CONTROL_CHARACTERS


class ListingError(Exception):
    """A broken rule. `errors` maps a form field name ("" for none) to a Dutch message."""

    def __init__(self, errors):
        self.errors = dict(errors) if isinstance(errors, dict) else {"": errors}
        super().__init__(self.errors)

    def __str__(self) -> str:
        return " ".join(str(message) for message in self.errors.values())


def _raise_if(errors: dict) -> None:
    if errors:
        raise ListingError(errors)


def _check_member(user: User, initiative_id: int) -> None:
    if not is_member(user, initiative_id):
        raise ListingError({"initiative_id": _l("U bent geen lid van dit bewonersinitiatief.")})


def _location_of(user: User) -> dict:
    # Copied at posting: a later move must not move a listing others already saw.
    return {
        "street_name": user.street_name,
        "place": user.place,
        "latitude": user.latitude,
        "longitude": user.longitude,
    }


def _request_columns(fields: RequestFields) -> dict:
    flexible = fields.flexible_days is not None
    return {
        "title": fields.title.strip(),
        "description": fields.description.strip(),
        "category": fields.category,
        "on_date": None if flexible else fields.on_date,
        "time_from": None if flexible else fields.time_from,
        "time_until": None if flexible else fields.time_until,
        "flexible_days": fields.flexible_days,
        "urgency": fields.urgency,
        "recurrence": fields.recurrence,
        "needs_car": fields.needs_car,
    }


def first_round_when_resent(post: Callable[..., HelpRequest]) -> Callable[..., HelpRequest]:
    """For a service that posts a request: when the post was stored before
    (submissions.AlreadyPosted), run the first round of invitations if it never ran, then
    raise as before. A POST whose connection died right after its COMMIT stored the request
    but invited nobody; its re-send from the 503 page starts the round. The claim in
    invitations_for_new_request keeps it once, however many re-sends race."""

    @functools.wraps(post)
    def posting(*args, **kwargs) -> HelpRequest:
        try:
            return post(*args, **kwargs)
        except submissions.AlreadyPosted as already:
            if already.listing.last_invited_at is None:  # saves a write; the claim decides
                matching.invitations_for_new_request(help_request=already.listing, now=utcnow())
            raise

    return posting


@first_round_when_resent
def help_request_create(
    *,
    requester: User,
    initiative_id: int,
    fields: RequestFields,
    today: date | None = None,
    submission_token: str | None = None,
) -> HelpRequest:
    """Post a request in one of the requester's initiatives. It takes the requester's
    street, place and 4-digit-area location now; never the house number or postcode.
    Raises submissions.AlreadyPosted when `submission_token` was posted before, once the
    first round that post may have missed has run (first_round_when_resent)."""
    token = submissions.claim(HelpRequest, token=submission_token, poster_id=requester.id)
    _check_member(requester, initiative_id)
    _raise_if(request_errors(fields=fields, today=today or local_today()))
    help_request = HelpRequest(
        initiative_id=initiative_id,
        requester_id=requester.id,
        review_state=moderation.initial_review_state(
            author_id=requester.id, initiative_id=initiative_id
        ),
        submission_token=token,
        **_location_of(requester),
        **_request_columns(fields),
    )
    with submissions.stored_once(HelpRequest, token=token, poster_id=requester.id):
        db.session.add(help_request)
        db.session.commit()
    live.queue_changed_if_waiting(help_request)
    # The matcher invites the best volunteers at once (and tells them by mail); a request
    # awaiting approval is invited for when it is approved (moderation.services).
    if moderation.is_visible(help_request):
        matching.invitations_for_new_request(help_request=help_request, now=utcnow())
    return help_request


def help_request_update(
    *, help_request: HelpRequest, editor: User, fields: RequestFields, today: date | None = None
) -> HelpRequest:
    """Change an open request: by its requester, or a buurtverbinder or coördinator."""
    if not can_edit(editor, help_request):
        raise ListingError(_l("U mag deze hulpvraag niet wijzigen."))
    if help_request.status != RequestStatus.OPEN:
        raise ListingError(_l("Deze hulpvraag staat niet meer open en kan niet meer veranderen."))
    _raise_if(
        request_errors(
            fields=fields, today=today or local_today(), previous_date=help_request.on_date
        )
    )
    for name, value in _request_columns(fields).items():
        setattr(help_request, name, value)
    moderation.after_edit(listing=help_request, editor=editor, now=utcnow())
    db.session.commit()
    live.queue_changed_if_waiting(help_request)
    return help_request


def help_request_withdraw(*, help_request: HelpRequest, editor: User) -> HelpRequest:
    """Withdraw an open or matched request; a done or withdrawn one stays as it is."""
    if not can_edit(editor, help_request):
        raise ListingError(_l("U mag deze hulpvraag niet intrekken."))
    if help_request.status not in (RequestStatus.OPEN, RequestStatus.MATCHED):
        raise ListingError(_l("Deze hulpvraag is al afgerond of ingetrokken."))
    help_request.status = RequestStatus.WITHDRAWN
    told = matching.withdrawal_prepare(help_request=help_request, now=utcnow())
    db.session.commit()
    matching.withdrawal_tell(help_request=help_request, volunteer_ids=told)
    return help_request


def _already_responded(help_request: HelpRequest, volunteer: User) -> bool:
    return (
        db.session.execute(
            select(HelpResponse.id).where(
                HelpResponse.request_id == help_request.id,
                HelpResponse.volunteer_id == volunteer.id,
            )
        ).first()
        is not None
    )


def help_response_create(
    *, help_request: HelpRequest, volunteer: User, message: str = ""
) -> HelpResponse:
    """Record "Ik wil helpen": once per person, on an open request of an initiative they
    belong to, never on their own request."""
    already = ListingError(_l("U heeft al aangeboden te helpen."))
    if help_request.requester_id == volunteer.id:
        raise ListingError(_l("Dit is uw eigen hulpvraag."))
    if help_request.status != RequestStatus.OPEN:
        raise ListingError(_l("Deze hulpvraag staat niet meer open."))
    _check_member(volunteer, help_request.initiative_id)
    if not may_accept(volunteer_id=volunteer.id, initiative_id=help_request.initiative_id):
        raise ListingError(NOT_VERIFIED)
    message = message.strip()
    if len(message) > MESSAGE_MAX:
        raise ListingError(
            {"message": _l("Maak uw bericht korter: hoogstens %(max)s tekens.", max=MESSAGE_MAX)}
        )
    if CONTROL_CHARACTERS.search(message):
        raise ListingError({"message": _l("Deze tekst bevat tekens die we niet kunnen opslaan.")})
    if _already_responded(help_request, volunteer):
        raise already
    response = HelpResponse(request=help_request, volunteer_id=volunteer.id, message=message)
    db.session.add(response)
    try:
        db.session.commit()
    except IntegrityError:
        # A double click raced past the check above; the unique constraint decides.
        db.session.rollback()
        raise already from None
    return response


def _offer_columns(fields: OfferFields) -> dict:
    return {
        "title": fields.title.strip(),
        "description": fields.description.strip(),
        "availability": fields.availability,
        "max_distance_km": fields.max_distance_km,
        "has_car": fields.has_car,
        "paused_until": fields.paused_until,
    }


def _set_categories(offer: HelpOffer, categories: tuple[Category, ...]) -> None:
    # Change only what differs: deleting and re-adding the same key in one flush collides.
    wanted = set(categories)
    for row in list(offer.categories):
        if row.category not in wanted:
            offer.categories.remove(row)
    present = {row.category for row in offer.categories}
    for category in Category:
        if category in wanted and category not in present:
            offer.categories.append(HelpOfferCategory(category=category))


def help_offer_create(
    *,
    volunteer: User,
    initiative_id: int,
    fields: OfferFields,
    today: date | None = None,
    submission_token: str | None = None,
) -> HelpOffer:
    """Post an offer in one of the volunteer's initiatives, located like a request.
    Raises submissions.AlreadyPosted when `submission_token` was posted before."""
    token = submissions.claim(HelpOffer, token=submission_token, poster_id=volunteer.id)
    _check_member(volunteer, initiative_id)
    _raise_if(offer_errors(fields=fields, today=today or local_today()))
    location = _location_of(volunteer)
    offer = HelpOffer(
        initiative_id=initiative_id,
        volunteer_id=volunteer.id,
        # The matcher's ring search finds offers by this cell (geo.grid).
        grid_cell=cell_of(location["latitude"], location["longitude"]),
        review_state=moderation.initial_review_state(
            author_id=volunteer.id, initiative_id=initiative_id
        ),
        submission_token=token,
        **location,
        **_offer_columns(fields),
    )
    _set_categories(offer, fields.categories)
    with submissions.stored_once(HelpOffer, token=token, poster_id=volunteer.id):
        db.session.add(offer)
        db.session.commit()
    live.queue_changed_if_waiting(offer)
    return offer


def help_offer_update(
    *, offer: HelpOffer, editor: User, fields: OfferFields, today: date | None = None
) -> HelpOffer:
    """Change an active offer: by its volunteer, or a buurtverbinder or coördinator."""
    if not can_edit(editor, offer):
        raise ListingError(_l("U mag dit aanbod niet wijzigen."))
    if offer.status != OfferStatus.ACTIVE:
        raise ListingError(_l("Dit aanbod is ingetrokken en kan niet meer veranderen."))
    _raise_if(
        offer_errors(
            fields=fields,
            today=today or local_today(),
            previous_paused=offer.paused_until,
            previous_distance=offer.max_distance_km,
        )
    )
    for name, value in _offer_columns(fields).items():
        setattr(offer, name, value)
    _set_categories(offer, fields.categories)
    moderation.after_edit(listing=offer, editor=editor, now=utcnow())
    db.session.commit()
    live.queue_changed_if_waiting(offer)
    return offer


def help_offer_withdraw(*, offer: HelpOffer, editor: User) -> HelpOffer:
    """Withdraw an active offer."""
    if not can_edit(editor, offer):
        raise ListingError(_l("U mag dit aanbod niet intrekken."))
    if offer.status != OfferStatus.ACTIVE:
        raise ListingError(_l("Dit aanbod is al ingetrokken."))
    offer.status = OfferStatus.WITHDRAWN
    db.session.commit()
    return offer
