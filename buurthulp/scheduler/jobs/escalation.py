"""Escalate unmatched requests: the matcher's rule (matching.escalation) on a clock."""

from datetime import datetime

from buurthulp.matching.escalation import escalate_due

JOB_ID = "escalate_unmatched"


def job(now: datetime) -> dict:
    """Widen or flag every overdue open request. Idempotent: a widened request has
    `last_invited_at = now` and a flagged one is left alone (see escalate_due)."""
    outcome = escalate_due(now=now)
    return {"widened": len(outcome["widened"]), "flagged": len(outcome["flagged"])}
