"""Initiatives, the postcodes they serve, their streets, and who belongs to them."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurthulp.db_types import UTCDateTime, utcnow
from buurthulp.enum_column import enum_column
from buurthulp.extensions import db


class InitiativeKind(StrEnum):
    CARE_COOPERATIVE = "care_cooperative"  # zorgcoöperatie
    CITY_VILLAGE = "city_village"  # stadsdorp
    NOABER = "noaber"  # noaberzorgpunt
    NEIGHBOUR_HELP = "neighbour_help"  # burenhulp
    NEIGHBOURHOOD_COLLECTIVE = "neighbourhood_collective"  # buurtcollectief
    CARING_VILLAGE = "caring_village"  # zorgzaam dorp
    VILLAGE_SUPPORT = "village_support"  # dorpsondersteuning
    OTHER = "other"


class LegalForm(StrEnum):
    FOUNDATION = "foundation"  # stichting
    ASSOCIATION = "association"  # vereniging
    COOPERATIVE = "cooperative"  # coöperatie
    NONE = "none"  # geen rechtsvorm


class Phase(StrEnum):
    EXPLORING = "exploring"  # verkennend
    FOUNDING = "founding"  # in oprichting
    ACTIVE = "active"  # actief


class Domain(StrEnum):
    CARE = "care"  # zorg
    WELFARE = "welfare"  # welzijn
    HOUSING = "housing"  # wonen
    PARTICIPATION = "participation"  # participatie
    POVERTY = "poverty"  # armoedebestrijding
    INTEGRATION = "integration"  # integratie
    SHELTER = "shelter"  # opvang


class RegistryStatus(StrEnum):
    PENDING = "pending"  # aangemeld, wacht op goedkeuring
    APPROVED = "approved"  # in het register
    REJECTED = "rejected"  # afgewezen


class Role(StrEnum):
    RESIDENT = "resident"  # bewoner
    STREET_CONTACT = "street_contact"  # straatcontactpersoon
    CONNECTOR = "connector"  # buurtverbinder
    COORDINATOR = "coordinator"  # coördinator


class Initiative(db.Model):
    __tablename__ = "initiatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[InitiativeKind] = mapped_column(enum_column(InitiativeKind))
    municipality: Mapped[str] = mapped_column(String(80))
    province: Mapped[str] = mapped_column(String(40), index=True)
    legal_form: Mapped[LegalForm] = mapped_column(enum_column(LegalForm))
    phase: Mapped[Phase] = mapped_column(enum_column(Phase))
    founding_year: Mapped[int | None]
    description: Mapped[str] = mapped_column(String(2000), default="")
    contact_email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The registry (monitor): initiatives that do not use the marketplace are counted too.
    uses_platform: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    registry_status: Mapped[RegistryStatus] = mapped_column(
        enum_column(RegistryStatus),
        default=RegistryStatus.APPROVED,
        server_default=RegistryStatus.APPROVED.value,
    )
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Raised in the same transaction as every change to what Dichtbij shows of this
    # initiative (listings.versions); Dichtbij's per-process cache is keyed by it.
    listings_version: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    domains: Mapped[list["InitiativeDomain"]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan"
    )
    postcodes: Mapped[list["InitiativePostcode"]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan"
    )
    streets: Mapped[list["Street"]] = relationship(
        back_populates="initiative", cascade="all, delete-orphan"
    )

    @property
    def domain_values(self) -> list[Domain]:
        return sorted((d.domain for d in self.domains), key=list(Domain).index)

    @property
    def pc4_values(self) -> list[str]:
        return sorted(p.pc4 for p in self.postcodes)


class InitiativeDomain(db.Model):
    __tablename__ = "initiative_domains"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    domain: Mapped[Domain] = mapped_column(enum_column(Domain), primary_key=True)
    initiative: Mapped[Initiative] = relationship(back_populates="domains")


class InitiativePostcode(db.Model):
    """A 4-digit postcode area an initiative serves; areas may overlap between initiatives."""

    __tablename__ = "initiative_postcodes"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    pc4: Mapped[str] = mapped_column(String(4), primary_key=True)
    initiative: Mapped[Initiative] = relationship(back_populates="postcodes")

    __table_args__ = (Index("ix_initiative_postcodes_pc4", "pc4"),)


class Street(db.Model):
    """A street or small area of an initiative: the unit a contact person looks after."""

    __tablename__ = "streets"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    pc4: Mapped[str | None] = mapped_column(String(4))
    initiative: Mapped[Initiative] = relationship(back_populates="streets")

    __table_args__ = (UniqueConstraint("initiative_id", "name"),)


class Membership(db.Model):
    """A user's role in one initiative; a user can belong to several."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.RESIDENT)
    street_id: Mapped[int | None] = mapped_column(ForeignKey("streets.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped["User"] = relationship(back_populates="memberships")  # noqa: F821
    initiative: Mapped[Initiative] = relationship()
    street: Mapped[Street | None] = relationship()

    __table_args__ = (
        UniqueConstraint("user_id", "initiative_id"),
        Index("ix_memberships_initiative_id_role", "initiative_id", "role"),
    )
