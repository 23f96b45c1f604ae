"""Whether a volunteer wants the weekly digest of new requests nearby (Mijn gegevens)."""

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError

from buurthulp.extensions import db
from buurthulp.scheduler.models import DigestSubscription


def digest_subscribed(user_id: int) -> bool:
    return db.session.get(DigestSubscription, user_id) is not None


def digest_preference_set(*, user_id: int, wanted: bool, now: datetime) -> None:
    """Subscribe or unsubscribe; setting the same value twice changes nothing."""
    if not wanted:
        db.session.execute(delete(DigestSubscription).where(DigestSubscription.user_id == user_id))
        db.session.commit()
        return
    if digest_subscribed(user_id):
        return
    db.session.add(DigestSubscription(user_id=user_id, created_at=now))
    try:
        db.session.commit()
    except IntegrityError:  # the same person saved twice at once
        db.session.rollback()
