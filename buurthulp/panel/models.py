"""Panel data: which streets a contact person looks after."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurthulp.accounts.models import User
from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.extensions import db
from buurthulp.initiatives.models import Street


class StreetAssignment(db.Model):
    """A street a straatcontactpersoon looks after; a contact person can have several.

    (Membership.street_id is the street a member lives in, not the streets they look after.)
    """

    __tablename__ = "street_assignments"

    street_id: Mapped[int] = mapped_column(
        ForeignKey("streets.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    street: Mapped[Street] = relationship()
    user: Mapped[User] = relationship()

    __table_args__ = (Index("ix_street_assignments_user_id", "user_id"),)
