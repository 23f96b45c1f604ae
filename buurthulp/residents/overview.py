"""Residents of my streets: who has asked for help and how it went.

Members and phone-intake residents in the panel user's scope, with their requests
counted per status. Never the private notes (residents.notes has its own page).
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Street
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.residents.models import ProxyResident
from buurthulp.residents.scope import requests_in_scope
from buurthulp.residents.verification import verified_ids

LIST_MAX = 500
RECENT_MAX = 10


@dataclass
class ResidentRow:
    kind: str  # "member" or "proxy"
    id: int
    name: str
    street: str
    verified: bool = False
    counts: Counter = field(default_factory=Counter)
    last_request_at: datetime | None = None

    @property
    def asked(self) -> int:
        return sum(self.counts.values())


def _members(initiative_id: int, street_ids: set[int] | None) -> list[ResidentRow]:
    query = (
        select(User.id, User.first_name, User.last_name, Street.name)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(Street, Street.id == Membership.street_id)
        .where(Membership.initiative_id == initiative_id)
        .order_by(User.first_name, User.last_name, User.id)
        .limit(LIST_MAX)
    )
    if street_ids is not None:
        query = query.where(Membership.street_id.in_(sorted(street_ids)))
    return [
        ResidentRow("member", uid, f"{first} {last}".strip(), street or "")
        for uid, first, last, street in db.session.execute(query)
    ]


def _proxies(initiative_id: int, street_ids: set[int] | None) -> list[ResidentRow]:
    query = (
        select(ProxyResident)
        .where(ProxyResident.initiative_id == initiative_id, ProxyResident.user_id.is_(None))
        .order_by(ProxyResident.first_name, ProxyResident.last_name, ProxyResident.id)
        .limit(LIST_MAX)
    )
    if street_ids is not None:
        query = query.where(ProxyResident.street_id.in_(sorted(street_ids)))
    return [
        ResidentRow("proxy", p.id, p.full_name, p.street_name)
        for p in db.session.execute(query).scalars()
    ]


def _count(rows: list[ResidentRow], initiative_id: int, street_ids: set[int] | None) -> None:
    by_key = {(row.kind, row.id): row for row in rows}
    query = (
        select(
            HelpRequest.requester_id,
            HelpRequest.proxy_resident_id,
            HelpRequest.status,
            func.count(),
            func.max(HelpRequest.created_at),
        )
        .where(requests_in_scope(initiative_id, street_ids))
        .group_by(HelpRequest.requester_id, HelpRequest.proxy_resident_id, HelpRequest.status)
    )
    for requester_id, proxy_id, status, count, last in db.session.execute(query):
        key = ("member", requester_id) if requester_id is not None else ("proxy", proxy_id)
        row = by_key.get(key)
        if row is None:
            continue
        row.counts[status] += count
        if row.last_request_at is None or (last and last > row.last_request_at):
            row.last_request_at = last


def residents_overview(initiative_id: int, street_ids: set[int] | None) -> list[ResidentRow]:
    """Everyone in the streets, those who asked for help first (most recent first)."""
    rows = _members(initiative_id, street_ids) + _proxies(initiative_id, street_ids)
    _count(rows, initiative_id, street_ids)
    verified = verified_ids(initiative_id, [r.id for r in rows if r.kind == "member"])
    for row in rows:
        row.verified = row.kind == "member" and row.id in verified
    asked = sorted((r for r in rows if r.asked), key=lambda r: r.last_request_at, reverse=True)
    return asked + [r for r in rows if not r.asked]


def requests_of(
    initiative_id: int, *, user_id: int | None = None, proxy_resident_id: int | None = None
) -> list[HelpRequest]:
    """A resident's most recent requests in the initiative."""
    query = select(HelpRequest).where(HelpRequest.initiative_id == initiative_id)
    if user_id is not None:
        query = query.where(HelpRequest.requester_id == user_id)
    else:
        query = query.where(
            HelpRequest.proxy_resident_id == proxy_resident_id, HelpRequest.requester_id.is_(None)
        )
    query = query.order_by(HelpRequest.created_at.desc(), HelpRequest.id.desc()).limit(RECENT_MAX)
    return list(db.session.execute(query).scalars())


STATUS_ORDER = (
    RequestStatus.OPEN,
    RequestStatus.MATCHED,
    RequestStatus.DONE,
    RequestStatus.WITHDRAWN,
)
