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


def initiative_setting_change(
    *, model, initiative_id: int, name: str, value: bool, action: str, actor, now: datetime
):
    """Set one choice on an initiative's settings row (`model`, keyed by initiative_id; made
    when missing), audited as `action`, and commit. Returns the row."""
    row = db.session.get(model, initiative_id)
    if row is None:
        row = model(initiative_id=initiative_id)
        db.session.add(row)
    setattr(row, name, value)
    record(
        actor=actor,
        action=action,
        initiative_id=initiative_id,
        subject_type="initiative",
        subject_id=initiative_id,
        details={name: value},
        now=now,
    )
    db.session.commit()
    return row
