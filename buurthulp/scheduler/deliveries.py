"""Mail and notifications from jobs go out once: claim a unique (job, key) row, send, and
commit the claim together with the in-app notification. A second run, or a concurrent
one, finds the claim and sends nothing.

The claim is committed after sending, not before: a scheduler killed between the two then
leaves no claim, and the next run sends again instead of never. The in-app notification
commits in the same transaction as the claim, so it is stored exactly once. The mail is
idempotent too: its Message-ID and outbox file name come from the key, so a resent mail
replaces the file the killed run wrote, and a mail server or client sees the same
Message-ID twice (see docs/faults.md). When the mail server fails, the mail is logged
(notify does that) and not retried: the web pages show the same facts.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.mail.sending import idempotency_key
from buurthulp.scheduler.models import Delivery


def delivery_claim(*, job_id: str, key: str, user_id: int | None) -> bool:
    """Claim `key` in a transaction left open for the sending; False when it was claimed
    before (or by a run that is sending it right now: the database makes us wait)."""
    db.session.commit()  # our own transaction: a failed claim must not undo the caller's work
    db.session.add(Delivery(job_id=job_id, key=key, user_id=user_id, created_at=utcnow()))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


@contextmanager
def delivery(*, job_id: str, key: str, user_id: int | None) -> Iterator[bool]:
    """`with delivery(...) as ours:` send only when `ours`; on leaving the block the claim
    commits, with whatever the block stored (the in-app notification)."""
    ours = delivery_claim(job_id=job_id, key=key, user_id=user_id)
    if not ours:
        yield False
        return
    with idempotency_key(f"{job_id}:{key}"):
        yield True
    db.session.commit()
