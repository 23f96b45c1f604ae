"""Writing to the audit log (reads live in audit.queries)."""

from datetime import datetime

from buurthulp.audit.models import AuditEntry
from buurthulp.extensions import db


def record(
    *,
    actor,
    action: str,
    initiative_id: int | None,
    subject_type: str,
    subject_id: int | None,
    reason: str = "",
    details: dict | None = None,
    now: datetime,
) -> AuditEntry:
    """Add one audit entry to the session without committing.

    The caller commits it together with the change it describes, so an action and
    its log line are saved (or rolled back) as one. `actor` is a User or None (the
    system, e.g. a flag threshold).
    """
    entry = AuditEntry(
        created_at=now,
        actor_id=getattr(actor, "id", None),
        initiative_id=initiative_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        reason=reason or "",
        details=details,
    )
    db.session.add(entry)
    return entry
