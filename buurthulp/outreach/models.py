"""Outreach: contact persons' check-ins with residents, what they know of a resident's
living situation, the initiative's directory of local services (sociale kaart) and
referrals to those services.

A resident is a member (`user_id`) or a phone-intake resident (`proxy_resident_id`),
exactly one of the two, as in residents.models.ResidentNote. Everything here is personal
data of the initiative: it is shown only in the panel, to the roles of outreach.access.
"""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurthulp.accounts.models import User
from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.enum_column import enum_column
from buurthulp.extensions import db

ONE_RESIDENT = "(user_id IS NULL) <> (proxy_resident_id IS NULL)"


class CheckInKind(StrEnum):
    VISIT = "visit"  # bezoek
    PHONE = "phone"  # telefoontje
    DOORSTEP = "doorstep"  # aan de deur


class CheckInOutcome(StrEnum):
    DOING_WELL = "doing_well"  # gaat goed
    WANTS_HELP = "wants_help"  # wil graag hulp
    NOT_HOME = "not_home"  # niet thuis
    REFERRED = "referred"  # doorverwezen
    OTHER = "other"  # anders


class ServiceKind(StrEnum):
    GP = "gp"  # huisarts
    DISTRICT_TEAM = "district_team"  # wijkteam
    WMO_DESK = "wmo_desk"  # WMO-loket
    HOME_CARE = "home_care"  # thuiszorg
    DAY_CARE = "day_care"  # dagbesteding
    MEAL_SERVICE = "meal_service"  # maaltijdservice
    TRANSPORT = "transport"  # vervoersdienst
    DEBT_HELP = "debt_help"  # schuldhulp
    OTHER = "other"  # anders


class FollowUpOutcome(StrEnum):
    HELPED = "helped"  # geholpen
    ONGOING = "ongoing"  # loopt nog
    NOT_HELPED = "not_helped"  # niet gelukt
    DECLINED = "declined"  # wilde toch niet


class CheckIn(db.Model):
    """A contact person's visit, call or knock at the door (contactmoment)."""

    __tablename__ = "check_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    proxy_resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("proxy_residents.id", ondelete="CASCADE")
    )
    kind: Mapped[CheckInKind] = mapped_column(enum_column(CheckInKind))
    on_date: Mapped[date]
    outcome: Mapped[CheckInOutcome] = mapped_column(enum_column(CheckInOutcome))
    # Only when the initiative allows free text (OutreachSettings); never medical details.
    note: Mapped[str] = mapped_column(String(300), default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    by: Mapped[User | None] = relationship(foreign_keys=[by_id])

    __table_args__ = (
        CheckConstraint(ONE_RESIDENT, name="one_resident"),
        Index("ix_check_ins_initiative_id_on_date", "initiative_id", "on_date"),
        Index("ix_check_ins_user_id", "user_id"),
        Index("ix_check_ins_proxy_resident_id", "proxy_resident_id"),
    )


class LivingSituation(db.Model):
    """What a contact person noted, with the resident's consent, about how they live.

    Personal data: shown only in the panel scope, used to put residents who live alone
    first in the list of residents not contacted for a while.
    """

    __tablename__ = "living_situations"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    proxy_resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("proxy_residents.id", ondelete="CASCADE")
    )
    lives_alone: Mapped[bool]
    # The resident agreed that we note this (when, by whom).
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    __table_args__ = (
        UniqueConstraint("initiative_id", "user_id", name="uq_living_situations_initiative_user"),
        UniqueConstraint(
            "initiative_id", "proxy_resident_id", name="uq_living_situations_initiative_proxy"
        ),
        CheckConstraint(ONE_RESIDENT, name="one_resident"),
    )


class OutreachSettings(db.Model):
    """An initiative's choice; without a row check-ins have no free-text note."""

    __tablename__ = "outreach_settings"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    free_text_notes: Mapped[bool] = mapped_column(default=False, server_default=sa_false())


class Service(db.Model):
    """A local professional service on the initiative's sociale kaart (public information)."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    kind: Mapped[ServiceKind] = mapped_column(enum_column(ServiceKind))
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    website: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    opening_hours: Mapped[str] = mapped_column(String(500), default="")
    # For the panel only (a direct line, who to ask for); not on the members' page.
    notes: Mapped[str] = mapped_column(Text, default="")
    # A service with referrals is archived, not deleted: the referrals keep their service.
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_services_initiative_id_kind", "initiative_id", "kind"),)


class Referral(db.Model):
    """A contact person referred a resident to a service, and will follow it up.

    `kind` is the service's kind when the referral was made, so the monitor's counts by
    kind do not change when a service is edited later.
    """

    __tablename__ = "referrals"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id", ondelete="CASCADE"))
    kind: Mapped[ServiceKind] = mapped_column(enum_column(ServiceKind))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    proxy_resident_id: Mapped[int | None] = mapped_column(
        ForeignKey("proxy_residents.id", ondelete="CASCADE")
    )
    referred_on: Mapped[date]
    follow_up_on: Mapped[date]
    # Who made it: the one the scheduler reminds on `follow_up_on`.
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    follow_up_outcome: Mapped[FollowUpOutcome | None] = mapped_column(enum_column(FollowUpOutcome))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    service: Mapped[Service] = relationship()
    by: Mapped[User | None] = relationship(foreign_keys=[by_id])

    __table_args__ = (
        CheckConstraint(ONE_RESIDENT, name="one_resident"),
        Index("ix_referrals_initiative_id_referred_on", "initiative_id", "referred_on"),
        Index("ix_referrals_follow_up_on", "follow_up_on"),
        Index("ix_referrals_service_id", "service_id"),
    )
