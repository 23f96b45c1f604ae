"""Each person's event stream (notifications and live updates) and match conversations."""

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.extensions import db

# SQLite only auto-increments a column declared INTEGER PRIMARY KEY.
EventId = BigInteger().with_variant(Integer(), "sqlite")


class Event(db.Model):
    """One thing that happened for one person, in order of `id`.

    An event with a title is also a notification: it shows on Mededelingen and counts as
    unread until seen. Without a title it only updates open pages (the sender's own copy
    of a message, the moderation queue's count).
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(EventId, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(String(2000), default="")
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_events_user_id_id", "user_id", "id"),)


class ConversationMessage(db.Model):
    """A message between the requester and the volunteer of a match.

    `client_key` is chosen by the sending page; a retried send with the same key is
    the same message, so the unique constraint stores it once.
    """

    __tablename__ = "conversation_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    client_key: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("match_id", "sender_id", "client_key"),
        Index("ix_conversation_messages_match_id_id", "match_id", "id"),
    )
