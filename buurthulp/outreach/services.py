"""Writes of outreach: check-ins, a resident's living situation, the initiative's setting,
referrals and their follow-up. Every write is audited (never a note's text).

The caller has checked the user's role (rules.OUTREACH_ROLES) and that the resident lies in
their streets (residents.scope); these functions check the rules of the data itself.
"""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from buurthulp.accounts.models import User
from buurthulp.audit.log import initiative_setting_change, record
from buurthulp.extensions import db
from buurthulp.outreach import queries, rules
from buurthulp.outreach.models import (
    CheckIn,
    CheckInKind,
    CheckInOutcome,
    FollowUpOutcome,
    LivingSituation,
    OutreachSettings,
    Referral,
    Service,
)
from buurthulp.text import CONTROL_CHARACTERS


class OutreachError(Exception):
    """A broken rule; `field` names the form field it belongs to (or None)."""

    def __init__(self, message, *, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True, slots=True)
class ResidentRef:
    """A member (`user_id`) or a phone-intake resident (`proxy_resident_id`)."""

    initiative_id: int
    user_id: int | None = None
    proxy_resident_id: int | None = None

    def __post_init__(self):
        if (self.user_id is None) == (self.proxy_resident_id is None):
            raise ValueError("exactly one of user_id and proxy_resident_id")

    @property
    def subject(self) -> tuple[str, int]:
        if self.user_id is not None:
            return "user", self.user_id
        return "proxy_resident", self.proxy_resident_id

    @property
    def columns(self) -> dict:
        return {
            "initiative_id": self.initiative_id,
            "user_id": self.user_id,
            "proxy_resident_id": self.proxy_resident_id,
        }


def _audit(by_user: User, action: str, resident: ResidentRef, now: datetime, **details) -> None:
    subject_type, subject_id = resident.subject
    record(
        actor=by_user,
        action=action,
        initiative_id=resident.initiative_id,
        subject_type=subject_type,
        subject_id=subject_id,
        details=details or None,
        now=now,
    )


def _checked_note(note: str, initiative_id: int) -> str:
    note = (note or "").strip()
    if not note:
        return ""
    if not queries.free_text_allowed(initiative_id):
        raise OutreachError(
            _l("Dit bewonersinitiatief bewaart geen vrije tekst bij een contactmoment."),
            field="note",
        )
    if len(note) > rules.NOTE_MAX:
        raise OutreachError(
            _l("Maak de notitie korter: hoogstens %(max)s tekens.", max=rules.NOTE_MAX),
            field="note",
        )
    if CONTROL_CHARACTERS.search(note):
        raise OutreachError(_l("Deze tekst bevat tekens die we niet kunnen opslaan."), field="note")
    word = rules.health_word(note)
    if word:
        raise OutreachError(
            _l(
                "Schrijf hier geen medische details (zoals “%(word)s”). Wat u echt moet weten "
                "om goed te helpen, hoort in de privénotitie.",
                word=word,
            ),
            field="note",
        )
    return note


def check_in_create(
    *,
    resident: ResidentRef,
    kind: CheckInKind,
    on_date: date,
    outcome: CheckInOutcome,
    note: str = "",
    by_user: User,
    now: datetime,
    today: date,
) -> CheckIn:
    """Log a contact with a resident on `on_date` (today, or up to LATE_DAYS_MAX days ago)."""
    if not rules.contact_date_ok(on_date, today):
        raise OutreachError(
            _l(
                "Kies een datum van vandaag of van de laatste %(days)s dagen.",
                days=rules.LATE_DAYS_MAX,
            ),
            field="on_date",
        )
    check_in = CheckIn(
        **resident.columns,
        kind=CheckInKind(kind),
        on_date=on_date,
        outcome=CheckInOutcome(outcome),
        note=_checked_note(note, resident.initiative_id),
        by_id=by_user.id,
        created_at=now,
    )
    db.session.add(check_in)
    _audit(by_user, "check_in_logged", resident, now)
    db.session.commit()
    return check_in


def living_situation_set(
    *, resident: ResidentRef, lives_alone: bool | None, consent: bool, by_user: User, now: datetime
) -> LivingSituation | None:
    """Note whether the resident lives alone, with their consent; None forgets it."""
    row = queries.living_situation_of(
        resident.initiative_id,
        user_id=resident.user_id,
        proxy_resident_id=resident.proxy_resident_id,
    )
    if lives_alone is None:
        if row is not None:
            db.session.delete(row)
        _audit(by_user, "living_situation_removed", resident, now)
        db.session.commit()
        return None
    if not consent:
        raise OutreachError(_l("Vraag eerst of de bewoner het goed vindt."), field="consent")
    if row is None:
        row = LivingSituation(**resident.columns, lives_alone=lives_alone, consent_at=now)
        db.session.add(row)
    row.lives_alone = lives_alone
    row.consent_at = now
    row.consent_by_id = by_user.id
    _audit(by_user, "living_situation_noted", resident, now)
    db.session.commit()
    return row


def setting_change(
    *, initiative_id: int, free_text_notes: bool, by_user: User, now: datetime
) -> OutreachSettings:
    """The coordinator's choice: may a check-in carry a short free-text note?"""
    return initiative_setting_change(
        model=OutreachSettings,
        initiative_id=initiative_id,
        name="free_text_notes",
        value=free_text_notes,
        action="outreach_setting_changed",
        actor=by_user,
        now=now,
    )


def referral_create(
    *,
    resident: ResidentRef,
    service: Service,
    follow_up_on: date,
    by_user: User,
    now: datetime,
    today: date,
) -> Referral:
    """Refer the resident to a service of the initiative's sociale kaart; `by_user` gets a
    reminder on `follow_up_on` (scheduler job followup_reminders)."""
    if service.initiative_id != resident.initiative_id or service.archived:
        raise OutreachError(_l("Kies een dienst van de sociale kaart."), field="service_id")
    if not rules.follow_up_date_ok(follow_up_on, today):
        raise OutreachError(
            _l("Kies een datum vanaf vandaag, binnen een jaar."), field="follow_up_on"
        )
    referral = Referral(
        **resident.columns,
        service_id=service.id,
        kind=service.kind,
        referred_on=today,
        follow_up_on=follow_up_on,
        by_id=by_user.id,
        created_at=now,
    )
    db.session.add(referral)
    _audit(by_user, "referral_made", resident, now, service_id=service.id)
    db.session.commit()
    return referral


def follow_up_done(
    *, referral: Referral, outcome: FollowUpOutcome, by_user: User, now: datetime
) -> Referral:
    """Record how the referral turned out; no more reminders after this. One conditional
    UPDATE: of two people recording it at once, the first one counts."""
    done = db.session.execute(
        update(Referral)
        .where(Referral.id == referral.id, Referral.follow_up_done_at.is_(None))
        .values(follow_up_done_at=now, follow_up_outcome=FollowUpOutcome(outcome))
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        db.session.rollback()
        raise OutreachError(_l("Deze doorverwijzing is al opgevolgd."))
    resident = ResidentRef(
        referral.initiative_id,
        user_id=referral.user_id,
        proxy_resident_id=referral.proxy_resident_id,
    )
    _audit(by_user, "referral_followed_up", resident, now, referral_id=referral.id)
    db.session.commit()
    db.session.refresh(referral)
    return referral


def outreach_move_to_user(*, proxy_resident_id: int, user_id: int) -> None:
    """A phone-intake resident got an account: their check-ins, living situation and
    referrals now hang on it (residents.takeover). No commit."""
    for model in (CheckIn, LivingSituation, Referral):
        db.session.execute(
            update(model)
            .where(model.proxy_resident_id == proxy_resident_id)
            .values(proxy_resident_id=None, user_id=user_id)
            .execution_options(synchronize_session=False)
        )
