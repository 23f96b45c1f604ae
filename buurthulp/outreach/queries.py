"""Reads for the outreach pages: residents not contacted for a while, a resident's
check-ins and referrals, open follow-ups, the sociale kaart.

`street_ids` is panel.scope.street_ids_in_scope: None is the whole initiative. The list of
residents not contacted costs a fixed number of queries, however many residents there are
(members, phone-intake residents, last contacts, living situations, requests, sign-ups).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from buurthulp.accounts.models import User
from buurthulp.activities.models import Activity, ActivitySignup, SignupStatus
from buurthulp.extensions import db
from buurthulp.initiatives.models import Membership, Street
from buurthulp.listings.models import HelpRequest, RequestStatus
from buurthulp.outreach.models import CheckIn, LivingSituation, OutreachSettings, Referral, Service
from buurthulp.outreach.ranking import Candidate, rank_not_contacted
from buurthulp.residents.models import ProxyResident
from buurthulp.residents.scope import residents_in_scope

# A request or an activity sign-up this recent still counts as "in touch".
RECENT_DAYS = 90
LIST_MAX = 200
HISTORY_MAX = 50


@dataclass(frozen=True, slots=True)
class Row:
    candidate: Candidate
    street: str

    @property
    def kind(self) -> str:
        return self.candidate.key[0]

    @property
    def id(self) -> int:
        return self.candidate.key[1]


def _key(user_id, proxy_id) -> tuple[str, int]:
    return ("member", user_id) if user_id is not None else ("proxy", proxy_id)


def _in(column, street_ids):
    return True if street_ids is None else column.in_(sorted(street_ids))


def _people(initiative_id: int, street_ids, exclude_user_id) -> dict:
    members = (
        select(User.id, User.first_name, User.last_name, Street.name)
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(Street, Street.id == Membership.street_id)
        .where(Membership.initiative_id == initiative_id, _in(Membership.street_id, street_ids))
    )
    if exclude_user_id is not None:
        members = members.where(User.id != exclude_user_id)
    proxies = select(
        ProxyResident.id,
        ProxyResident.first_name,
        ProxyResident.last_name,
        ProxyResident.street_name,
    ).where(
        ProxyResident.initiative_id == initiative_id,
        ProxyResident.user_id.is_(None),
        _in(ProxyResident.street_id, street_ids),
    )
    people = {}
    for kind, query in (("member", members), ("proxy", proxies)):
        for id_, first, last, street in db.session.execute(query):
            people[(kind, id_)] = (f"{first} {last}".strip(), street or "")
    return people


def _last_contacts(initiative_id: int) -> dict:
    query = (
        select(CheckIn.user_id, CheckIn.proxy_resident_id, func.max(CheckIn.on_date))
        .where(CheckIn.initiative_id == initiative_id)
        .group_by(CheckIn.user_id, CheckIn.proxy_resident_id)
    )
    return {_key(u, p): last for u, p, last in db.session.execute(query)}


def _living(initiative_id: int) -> dict:
    query = select(
        LivingSituation.user_id, LivingSituation.proxy_resident_id, LivingSituation.lives_alone
    ).where(LivingSituation.initiative_id == initiative_id)
    return {_key(u, p): alone for u, p, alone in db.session.execute(query)}


def _asked(initiative_id: int, since: datetime) -> set:
    query = (
        select(HelpRequest.requester_id, HelpRequest.proxy_resident_id)
        .where(
            HelpRequest.initiative_id == initiative_id,
            or_(HelpRequest.status == RequestStatus.OPEN, HelpRequest.created_at >= since),
        )
        .distinct()
    )
    return {_key(u, p) for u, p in db.session.execute(query)}


def _signed_up(initiative_id: int, since: date) -> set:
    query = (
        select(ActivitySignup.user_id, ActivitySignup.proxy_resident_id)
        .join(Activity, Activity.id == ActivitySignup.activity_id)
        .where(
            Activity.initiative_id == initiative_id,
            ActivitySignup.status != SignupStatus.CANCELLED,
            ActivitySignup.occurs_on >= since,
        )
        .distinct()
    )
    return {_key(u, p) for u, p in db.session.execute(query)}


def not_contacted(
    initiative_id: int,
    street_ids: set[int] | None,
    *,
    weeks: int,
    now: datetime,
    today: date,
    exclude_user_id: int | None = None,
) -> tuple[list[Row], int]:
    """(the first LIST_MAX residents not contacted for `weeks` weeks, most isolated first;
    how many there are in all)."""
    people = _people(initiative_id, street_ids, exclude_user_id)
    last = _last_contacts(initiative_id)
    living = _living(initiative_id)
    asked = _asked(initiative_id, now - timedelta(days=RECENT_DAYS))
    signed = _signed_up(initiative_id, today - timedelta(days=RECENT_DAYS))
    candidates = [
        Candidate(
            key=key,
            name=name,
            lives_alone=living.get(key),
            asked=key in asked,
            signed_up=key in signed,
            last_contact=last.get(key),
        )
        for key, (name, _street) in people.items()
    ]
    ranked = rank_not_contacted(candidates, today=today, weeks=weeks)
    rows = [Row(c, people[c.key][1]) for c in ranked[:LIST_MAX]]
    return rows, len(ranked)


def _of(model, initiative_id: int, user_id, proxy_resident_id):
    query = select(model).where(model.initiative_id == initiative_id)
    if user_id is not None:
        return query.where(model.user_id == user_id)
    return query.where(model.proxy_resident_id == proxy_resident_id)


def check_ins_of(initiative_id: int, *, user_id=None, proxy_resident_id=None) -> list[CheckIn]:
    query = _of(CheckIn, initiative_id, user_id, proxy_resident_id).options(joinedload(CheckIn.by))
    query = query.order_by(CheckIn.on_date.desc(), CheckIn.id.desc()).limit(HISTORY_MAX)
    return list(db.session.execute(query).scalars())


def referrals_of(initiative_id: int, *, user_id=None, proxy_resident_id=None) -> list[Referral]:
    query = _of(Referral, initiative_id, user_id, proxy_resident_id)
    query = (
        query.options(joinedload(Referral.service))
        .order_by(Referral.referred_on.desc(), Referral.id.desc())
        .limit(HISTORY_MAX)
    )
    return list(db.session.execute(query).scalars())


def living_situation_of(initiative_id: int, *, user_id=None, proxy_resident_id=None):
    query = _of(LivingSituation, initiative_id, user_id, proxy_resident_id)
    return db.session.execute(query).scalar_one_or_none()


def free_text_allowed(initiative_id: int) -> bool:
    row = db.session.get(OutreachSettings, initiative_id)
    return bool(row and row.free_text_notes)


def services(initiative_id: int, *, archived: bool = False) -> list[Service]:
    query = (
        select(Service)
        .where(Service.initiative_id == initiative_id, Service.archived.is_(archived))
        .order_by(Service.kind, Service.name, Service.id)
    )
    return list(db.session.execute(query).scalars())


def service_in(initiative_id: int, service_id: int) -> Service | None:
    return db.session.execute(
        select(Service).where(Service.id == service_id, Service.initiative_id == initiative_id)
    ).scalar_one_or_none()


def referrals_in_scope(initiative_id: int, street_ids: set[int] | None):
    """A WHERE clause: the initiative's referrals of residents in the streets."""
    return residents_in_scope(
        initiative_id=initiative_id,
        street_ids=street_ids,
        initiative=Referral.initiative_id,
        user=Referral.user_id,
        proxy_resident=Referral.proxy_resident_id,
    )


def open_follow_ups(initiative_id: int, street_ids: set[int] | None) -> list[tuple]:
    """(referral, resident name) of follow-ups not done yet, the earliest date first."""
    query = (
        select(
            Referral,
            User.first_name,
            User.last_name,
            ProxyResident.first_name,
            ProxyResident.last_name,
        )
        .outerjoin(User, User.id == Referral.user_id)
        .outerjoin(ProxyResident, ProxyResident.id == Referral.proxy_resident_id)
        .options(joinedload(Referral.service))
        .where(referrals_in_scope(initiative_id, street_ids), Referral.follow_up_done_at.is_(None))
        .order_by(Referral.follow_up_on, Referral.id)
        .limit(LIST_MAX)
    )
    rows = []
    for referral, first, last, p_first, p_last in db.session.execute(query):
        name = f"{first} {last}" if referral.user_id is not None else f"{p_first} {p_last}"
        rows.append((referral, name.strip()))
    return rows


def referral_in_scope(referral_id: int, initiative_id: int, street_ids) -> Referral | None:
    return db.session.execute(
        select(Referral).where(
            Referral.id == referral_id, referrals_in_scope(initiative_id, street_ids)
        )
    ).scalar_one_or_none()
