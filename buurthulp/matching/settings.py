"""An initiative's matcher settings as its coordinator changes them: the rules and the write.

The weights must not be negative: the search's early stop relies on every score term
being at most its weight (search.py), and a negative weight would make "more overlap" or
"fewer tasks" count against a volunteer, which no initiative means.
"""

import math
from dataclasses import asdict, dataclass
from datetime import datetime

from buurthulp.accounts.models import User
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.matching.models import MatchingSettings
from buurthulp.translatable import N_

# field: (lowest, highest, Dutch message)
LIMITS = {
    "batch_size": (1, 20, N_("Kies tussen 1 en 20 vrijwilligers per ronde.")),
    "escalate_after_hours": (1, 168, N_("Kies tussen 1 en 168 uur (een week).")),
    "max_rounds": (1, 10, N_("Kies tussen 1 en 10 rondes.")),
    "radius_step_km": (0.5, 10, N_("Kies tussen 0,5 en 10 km.")),
    "weight_distance": (0, 5, N_("Kies een gewicht tussen 0 en 5.")),
    "weight_overlap": (0, 5, N_("Kies een gewicht tussen 0 en 5.")),
    "weight_load": (0, 5, N_("Kies een gewicht tussen 0 en 5.")),
}


@dataclass(frozen=True)
class SettingsFields:
    batch_size: int = 5
    escalate_after_hours: float = 4
    max_rounds: int = 3
    radius_step_km: float = 2.0
    weight_distance: float = 1.0
    weight_overlap: float = 0.5
    weight_load: float = 0.3


def settings_errors(fields: SettingsFields) -> dict[str, str]:
    """Dutch msgids per field that is out of range (or not a finite number)."""
    errors = {}
    for name, (low, high, message) in LIMITS.items():
        value = getattr(fields, name)
        if value is None or not math.isfinite(value) or not low <= value <= high:
            errors[name] = message
    return errors


def current_fields(initiative_id: int) -> SettingsFields:
    row = db.session.get(MatchingSettings, initiative_id)
    if row is None:
        return SettingsFields()
    return SettingsFields(
        batch_size=row.batch_size,
        escalate_after_hours=row.escalate_after_minutes / 60,
        max_rounds=row.max_rounds,
        radius_step_km=row.radius_step_km,
        weight_distance=row.weight_distance,
        weight_overlap=row.weight_overlap,
        weight_load=row.weight_load,
    )


def matching_settings_set(
    *, initiative_id: int, fields: SettingsFields, actor: User, now: datetime
) -> MatchingSettings:
    """Store the settings (the caller checked settings_errors) and log the change."""
    row = db.session.get(MatchingSettings, initiative_id)
    if row is None:
        row = MatchingSettings(initiative_id=initiative_id)
        db.session.add(row)
    row.batch_size = int(fields.batch_size)
    row.escalate_after_minutes = round(fields.escalate_after_hours * 60)
    row.max_rounds = int(fields.max_rounds)
    row.radius_step_km = float(fields.radius_step_km)
    row.weight_distance = float(fields.weight_distance)
    row.weight_overlap = float(fields.weight_overlap)
    row.weight_load = float(fields.weight_load)
    record(
        actor=actor,
        action="matching_settings_set",
        initiative_id=initiative_id,
        subject_type="initiative",
        subject_id=initiative_id,
        details=asdict(fields),
        now=now,
    )
    db.session.commit()
    return row
