"""The conversation between a match's requester and volunteer, kept in the database.

Nobody needs to share an email address or phone number to talk: messages go through
Buurthulp and reach the other side as a notification and, live, on the open page.
"""

import re
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from buurthulp.accounts.models import User
from buurthulp.db_types import utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.permissions import author_id
from buurthulp.matching import queries as match_queries
from buurthulp.matching.models import Match
from buurthulp.realtime import stream
from buurthulp.realtime.models import ConversationMessage
from buurthulp.text import CONTROL_CHARACTERS

BODY_MAX = 2000
# At most this many messages from one person in one conversation per window.
BURST_MAX = 20
BURST_WINDOW = timedelta(minutes=1)
CLIENT_KEY = re.compile(r"^[\x21-\x7e]{8,64}$")  # printable ASCII, no spaces
PREVIEW_MAX = 200


class ConversationError(Exception):
    """A refused message; the text is Dutch (translated where shown)."""

    def __init__(self, message, *, field: str | None = None):
        self.message = message
        self.field = field
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message)


def can_view_conversation(user, match: Match) -> bool:
    """Who may read and write in a match's conversation: its requester (for a request taken
    by phone, the contact person who manages it) and its volunteer."""
    return match_queries.is_party(user, match)


def may_post(user, match: Match) -> bool:
    """Posting is for the two people while the match stands (agreed or done)."""
    return can_view_conversation(user, match) and match.status in match_queries.LIVE_MATCH


def other_party_id(user, match: Match) -> int | None:
    asker_id = author_id(match.request)
    return match.volunteer_id if user.id == asker_id else asker_id


def party_names(match: Match) -> dict[int, str]:
    """The two people's public names by user id, to label the messages."""
    asker = match.request.requester
    if asker is None and match.request.created_by_id is not None:
        asker = db.session.get(User, match.request.created_by_id)
    people = (asker, match.volunteer)
    return {person.id: person.public_name for person in people if person is not None}


def history(match: Match, limit: int = 200) -> list[ConversationMessage]:
    """The conversation's last `limit` messages, oldest first."""
    query = (
        select(ConversationMessage)
        .where(ConversationMessage.match_id == match.id)
        .order_by(ConversationMessage.id.desc())
        .limit(limit)
    )
    return list(reversed(db.session.execute(query).scalars().all()))


def _clean_body(body) -> str:
    body = body.strip() if isinstance(body, str) else ""
    if not body:
        raise ConversationError(_l("Schrijf eerst een bericht."), field="body")
    if len(body) > BODY_MAX:
        raise ConversationError(
            _l("Maak het bericht korter: hoogstens %(max)s tekens.", max=BODY_MAX), field="body"
        )
    if CONTROL_CHARACTERS.search(body):
        raise ConversationError(
            _l("Dit bericht bevat tekens die we niet kunnen opslaan."), field="body"
        )
    return body


def _match_for(match_id, sender: User) -> Match:
    match = None
    if isinstance(match_id, int) and not isinstance(match_id, bool) and 0 < match_id < 2**31:
        match = match_queries.get_match(match_id)
    if match is None or not can_view_conversation(sender, match):
        raise ConversationError(_l("Dit gesprek bestaat niet."))
    if not may_post(sender, match):
        raise ConversationError(_l("Deze koppeling is gestopt; u kunt hier niet meer schrijven."))
    return match


def _existing(match_id: int, sender_id: int, client_key: str) -> ConversationMessage | None:
    query = select(ConversationMessage).where(
        ConversationMessage.match_id == match_id,
        ConversationMessage.sender_id == sender_id,
        ConversationMessage.client_key == client_key,
    )
    return db.session.execute(query).scalar_one_or_none()


def _sent_lately(match_id: int, sender_id: int) -> int:
    since = utcnow() - BURST_WINDOW
    query = select(func.count(ConversationMessage.id)).where(
        ConversationMessage.match_id == match_id,
        ConversationMessage.sender_id == sender_id,
        ConversationMessage.created_at >= since,
    )
    return db.session.execute(query).scalar_one()


def message_post(*, match_id, sender: User, body, client_key) -> ConversationMessage:
    """Store a message once per `client_key` (a retried send returns the stored one) and
    push it to both people's pages; the other side also gets a notification."""
    if not isinstance(client_key, str) or not CLIENT_KEY.match(client_key):
        raise ConversationError(_l("Het formulier was verlopen. Probeer het opnieuw."))
    match = _match_for(match_id, sender)
    body = _clean_body(body)
    stored = _existing(match.id, sender.id, client_key)
    if stored is not None:
        return stored
    if _sent_lately(match.id, sender.id) >= BURST_MAX:
        # The socket path has no Flask-Limiter; this holds for both paths alike.
        raise ConversationError(_l("U stuurt veel berichten vlak na elkaar. Wacht even."))
    message = ConversationMessage(
        match_id=match.id,
        sender_id=sender.id,
        client_key=client_key,
        body=body,
        created_at=utcnow(),
    )
    db.session.add(message)
    try:
        db.session.commit()
    except IntegrityError:
        # The same send arrived twice at the same moment; the unique constraint kept one.
        db.session.rollback()
        stored = _existing(match.id, sender.id, client_key)
        if stored is None:
            raise
        return stored
    _tell(message, match, sender)
    return message


def _tell(message: ConversationMessage, match: Match, sender: User) -> None:
    data = {
        "match_id": match.id,
        "message_id": message.id,
        "sender": sender.public_name,
        "sender_id": sender.id,
        "text": message.body,
        "created_at": message.created_at.isoformat(),
    }
    stream.push(sender.id, "message", data)
    recipient_id = other_party_id(sender, match)
    recipient = db.session.get(User, recipient_id) if recipient_id else None
    if recipient is None:
        return
    with force_locale(recipient.locale or "nl"):
        title = _("Nieuw bericht van %(name)s", name=sender.public_name)
    preview = message.body[:PREVIEW_MAX] + ("…" if len(message.body) > PREVIEW_MAX else "")
    stream.push(recipient.id, "message", data, title=title, body=preview)
