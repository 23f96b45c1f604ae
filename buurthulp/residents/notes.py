"""Private notes on a resident ("woont alleen, slechtziend"): care needs are health data.

Who may read and write: the straatcontactpersoon of the resident's street and the
initiative's buurtverbinders; nobody else. Coordinators do not: the issue names only
those two roles, a coordinator administers the initiative and needs no care details for
that, and one person holds one role per initiative (Membership is unique), so a
coordinator cannot also be a connector there. Platform administrators count as
coordinators and do not read notes either. The caller checks the street scope
(residents.scope); `NOTE_ROLES` is the role check.

Every read and every change adds an audit entry (who, when, which resident), never the
text itself: coordinators read the audit log. Notes appear in no export, listing or JSON.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from buurthulp.accounts.models import User
from buurthulp.audit.log import record
from buurthulp.extensions import db
from buurthulp.initiatives.models import Role
from buurthulp.residents.models import ResidentNote
from buurthulp.text import CONTROL_CHARACTERS

NOTE_ROLES = (Role.STREET_CONTACT, Role.CONNECTOR)
NOTE_MAX = 2000


class NoteError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


def _subject(user_id: int | None, proxy_resident_id: int | None) -> tuple[str, int]:
    if (user_id is None) == (proxy_resident_id is None):
        raise ValueError("a note is on exactly one resident")
    return ("user", user_id) if user_id is not None else ("proxy_resident", proxy_resident_id)


def _find(initiative_id: int, user_id: int | None, proxy_resident_id: int | None):
    query = select(ResidentNote).where(ResidentNote.initiative_id == initiative_id)
    if user_id is not None:
        query = query.where(ResidentNote.user_id == user_id)
    else:
        query = query.where(ResidentNote.proxy_resident_id == proxy_resident_id)
    return db.session.execute(query).scalar_one_or_none()


def note_read(
    *,
    initiative_id: int,
    reader: User,
    now: datetime,
    user_id: int | None = None,
    proxy_resident_id: int | None = None,
) -> ResidentNote | None:
    """The note (None when there is none yet); the read is written to the audit log."""
    subject_type, subject_id = _subject(user_id, proxy_resident_id)
    note = _find(initiative_id, user_id, proxy_resident_id)
    record(
        actor=reader,
        action="note_read",
        initiative_id=initiative_id,
        subject_type=subject_type,
        subject_id=subject_id,
        now=now,
    )
    db.session.commit()
    return note


def note_write(
    *,
    initiative_id: int,
    body: str,
    by_user: User,
    now: datetime,
    user_id: int | None = None,
    proxy_resident_id: int | None = None,
) -> ResidentNote:
    """Replace the note's text (empty clears it); the change is written to the audit log."""
    subject_type, subject_id = _subject(user_id, proxy_resident_id)
    body = (body or "").strip()
    if len(body) > NOTE_MAX:
        raise NoteError(_l("Maak de notitie korter: hoogstens %(max)s tekens.", max=NOTE_MAX))
    if CONTROL_CHARACTERS.search(body):
        raise NoteError(_l("Deze tekst bevat tekens die we niet kunnen opslaan."))
    note = _find(initiative_id, user_id, proxy_resident_id)
    if note is None:
        note = ResidentNote(
            initiative_id=initiative_id, user_id=user_id, proxy_resident_id=proxy_resident_id
        )
        db.session.add(note)
    note.body = body
    note.updated_by_id = by_user.id
    note.updated_at = now
    record(
        actor=by_user,
        action="note_changed",
        initiative_id=initiative_id,
        subject_type=subject_type,
        subject_id=subject_id,
        now=now,
    )
    db.session.commit()
    return note


def notes_move_to_user(*, proxy_resident_id: int, user_id: int) -> None:
    """A phone-intake resident got an account: their notes now hang on it. No commit."""
    for note in db.session.execute(
        select(ResidentNote).where(ResidentNote.proxy_resident_id == proxy_resident_id)
    ).scalars():
        note.proxy_resident_id = None
        note.user_id = user_id
