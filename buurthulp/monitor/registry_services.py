"""Writes to the initiatives registry: a self-registration, an admin's decision, an import.

Keyword-only, `now` passed in; RegistryError carries a Dutch message.
"""

from datetime import datetime

from sqlalchemy import func, select

from buurthulp.accounts.models import User
from buurthulp.extensions import db
from buurthulp.initiatives.models import (
    Initiative,
    InitiativeDomain,
    InitiativePostcode,
    RegistryStatus,
)
from buurthulp.monitor.registry import Entry, slugify
from buurthulp.translatable import N_, UserMessageError


class RegistryError(UserMessageError):
    pass


def is_duplicate(entry: Entry) -> bool:
    """An initiative of the same name in the same municipality is already known."""
    return (
        db.session.execute(
            select(Initiative.id).where(
                func.lower(Initiative.name) == entry.name.lower(),
                Initiative.municipality == entry.municipality,
                Initiative.registry_status != RegistryStatus.REJECTED,
            )
        ).first()
        is not None
    )


def _free_slug(name: str, taken: set[str]) -> str:
    base = slugify(name)
    like = db.session.execute(select(Initiative.slug).where(Initiative.slug.like(f"{base}%")))
    taken |= set(like.scalars())
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def initiative_add(
    *, entry: Entry, status: RegistryStatus, now: datetime, taken_slugs: set[str] | None = None
) -> Initiative:
    """Add an entry to the registry (no commit: an import commits all rows at once)."""
    initiative = Initiative(
        name=entry.name,
        slug=_free_slug(entry.name, taken_slugs if taken_slugs is not None else set()),
        kind=entry.kind,
        municipality=entry.municipality,
        province=entry.province,
        legal_form=entry.legal_form,
        phase=entry.phase,
        founding_year=entry.founding_year,
        description=entry.description,
        contact_email=entry.contact_email,
        website=entry.website,
        uses_platform=entry.uses_platform,
        registry_status=status,
        approved_at=now if status == RegistryStatus.APPROVED else None,
        created_at=now,
    )
    initiative.domains = [InitiativeDomain(domain=d) for d in entry.domains]
    initiative.postcodes = [InitiativePostcode(pc4=entry.pc4)]
    db.session.add(initiative)
    return initiative


def registry_submit(*, entry: Entry, now: datetime) -> Initiative:
    """A self-registration: waits for a platform administrator's approval."""
    if is_duplicate(entry):
        raise RegistryError(
            N_("%(name)s in %(place)s staat al in het register."),
            name=entry.name,
            place=entry.municipality,
        )
    initiative = initiative_add(entry=entry, status=RegistryStatus.PENDING, now=now)
    db.session.commit()
    return initiative


def registry_decide(
    *, initiative_id: int, by_user: User, approve: bool, now: datetime
) -> Initiative:
    """A platform administrator approves or rejects a pending registration."""
    if not by_user.is_platform_admin:
        raise RegistryError(N_("Alleen een platformbeheerder kan aanmeldingen beoordelen."))
    initiative = db.session.get(Initiative, initiative_id)
    if initiative is None or initiative.registry_status != RegistryStatus.PENDING:
        raise RegistryError(N_("Deze aanmelding is al beoordeeld of bestaat niet."))
    if approve:
        initiative.registry_status = RegistryStatus.APPROVED
        initiative.approved_at = now
    else:
        initiative.registry_status = RegistryStatus.REJECTED
    db.session.commit()
    return initiative
