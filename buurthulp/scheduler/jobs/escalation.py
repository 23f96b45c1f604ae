"""Escalate unmatched requests: the matcher's rule (matching.escalation) on a clock, after
the first round of any request whose POST was cut off before it."""

from datetime import datetime

from buurthulp.matching.escalation import escalate_due, first_rounds_due

JOB_ID = "escalate_unmatched"


def job(now: datetime) -> dict:
    """Run missed first rounds, then widen or flag every overdue open request. Idempotent:
    a first round is claimed once (see first_rounds_due), a widened request has
    `last_invited_at = now` and a flagged one is left alone (see escalate_due)."""
    first = first_rounds_due(now=now)
    outcome = escalate_due(now=now)
    return {
        "first_round": len(first),
        "widened": len(outcome["widened"]),
        "flagged": len(outcome["flagged"]),
    }
