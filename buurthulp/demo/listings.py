"""Writing the planned requests, offers and responses, skipping what is already there."""

from datetime import timedelta

from buurthulp.accounts.models import User
from buurthulp.db_types import utcnow
from buurthulp.demo.listing_plan import OfferPlan, RequestPlan, ResponsePlan
from buurthulp.extensions import db
from buurthulp.geo.grid import cell_of
from buurthulp.initiatives.models import Initiative
from buurthulp.listings.models import HelpOffer, HelpOfferCategory, HelpRequest, HelpResponse


def _location(user: User) -> dict:
    """Where a listing is: the poster's street name, place and 4-digit area, never the address."""
    return {
        "street_name": user.street_name,
        "place": user.place,
        "latitude": user.latitude,
        "longitude": user.longitude,
    }


def _new_request(plan: RequestPlan, user: User, initiative: Initiative) -> HelpRequest:
    posted = utcnow() - timedelta(days=plan.age_days, hours=len(plan.title) % 9)
    return HelpRequest(
        initiative=initiative,
        requester=user,
        category=plan.category,
        title=plan.title,
        description=plan.description,
        on_date=plan.on_date,
        time_from=plan.time_from,
        time_until=plan.time_until,
        flexible_days=plan.flexible_days,
        urgency=plan.urgency,
        recurrence=plan.recurrence,
        needs_car=plan.needs_car,
        status=plan.status,
        created_at=posted,
        updated_at=posted,
        **_location(user),
    )


def ensure_requests(
    plans: list[RequestPlan], *, users: dict[str, User], initiatives: dict[str, Initiative]
) -> tuple[dict[tuple[str, str], HelpRequest], int]:
    """Requests by (requester email, title), creating missing ones; and how many are new."""
    ids = {users[p.requester_email].id: p.requester_email for p in plans}
    found = db.session.execute(
        db.select(HelpRequest).where(HelpRequest.requester_id.in_(ids))
    ).scalars()
    requests = {(ids[r.requester_id], r.title): r for r in found}
    created = 0
    for plan in plans:
        key = (plan.requester_email, plan.title)
        if key not in requests:
            user, initiative = users[plan.requester_email], initiatives[plan.initiative_slug]
            requests[key] = _new_request(plan, user, initiative)
            db.session.add(requests[key])
            created += 1
    db.session.flush()
    return requests, created


def _new_offer(plan: OfferPlan, user: User, initiative: Initiative) -> HelpOffer:
    posted = utcnow() - timedelta(days=plan.age_days)
    offer = HelpOffer(
        initiative=initiative,
        volunteer=user,
        title=plan.title,
        description=plan.description,
        availability=plan.availability,
        max_distance_km=plan.max_distance_km,
        has_car=plan.has_car,
        paused_until=plan.paused_until,
        status=plan.status,
        created_at=posted,
        updated_at=posted,
        grid_cell=cell_of(user.latitude, user.longitude),
        **_location(user),
    )
    offer.categories = [HelpOfferCategory(category=c) for c in plan.categories]
    return offer


def ensure_offers(
    plans: list[OfferPlan], *, users: dict[str, User], initiatives: dict[str, Initiative]
) -> int:
    """Create the offers not yet there, by (volunteer email, title); returns how many are new."""
    ids = {users[p.volunteer_email].id: p.volunteer_email for p in plans}
    found = db.session.execute(
        db.select(HelpOffer.volunteer_id, HelpOffer.title).where(HelpOffer.volunteer_id.in_(ids))
    )
    existing = {(ids[volunteer_id], title) for volunteer_id, title in found}
    created = 0
    for plan in plans:
        if (plan.volunteer_email, plan.title) not in existing:
            user, initiative = users[plan.volunteer_email], initiatives[plan.initiative_slug]
            db.session.add(_new_offer(plan, user, initiative))
            existing.add((plan.volunteer_email, plan.title))
            created += 1
    db.session.flush()
    return created


def ensure_responses(
    plans: list[ResponsePlan],
    *,
    users: dict[str, User],
    requests: dict[tuple[str, str], HelpRequest],
) -> int:
    """Create the "Ik wil helpen" responses not yet there; returns how many are new."""
    request_ids = [r.id for r in requests.values()]
    found = db.session.execute(
        db.select(HelpResponse.request_id, HelpResponse.volunteer_id).where(
            HelpResponse.request_id.in_(request_ids)
        )
    )
    existing = {(request_id, volunteer_id) for request_id, volunteer_id in found}
    created = 0
    for plan in plans:
        request = requests[(plan.requester_email, plan.request_title)]
        volunteer = users[plan.volunteer_email]
        if (request.id, volunteer.id) in existing:
            continue
        answered = min(request.created_at + timedelta(hours=3), utcnow())
        db.session.add(
            HelpResponse(
                request=request, volunteer=volunteer, message=plan.message, created_at=answered
            )
        )
        existing.add((request.id, volunteer.id))
        created += 1
    db.session.flush()
    return created
