"""The audit log: who did what in the panel, when, and why."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurthulp.accounts.models import User
from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.extensions import db


class AuditEntry(db.Model):
    """One moderation or panel action. Rows are only ever added, never changed.

    `subject_type` names what was acted on ("help_request", "help_offer", "user",
    "membership", "flag", "street", "note", ...); `subject_id` is its id.
    """

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE")
    )
    action: Mapped[str] = mapped_column(String(60))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict | None] = mapped_column(JSON)

    actor: Mapped[User | None] = relationship()

    __table_args__ = (
        Index("ix_audit_entries_initiative_id_created_at", "initiative_id", "created_at"),
    )
