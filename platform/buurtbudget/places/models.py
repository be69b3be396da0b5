"""Tables: Municipality, Neighbourhood, the symmetric adjacency between neighbourhoods, and postcodes."""

from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbudget.db.base import Base
from buurtbudget.db.changes import MUNICIPALITY, NEIGHBOURHOOD


class Municipality(Base):
    """A gemeente: funds pots and sets the rules."""

    __index_change__ = (MUNICIPALITY, "id")  # what the in-memory indexes re-read

    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    cbs_code: Mapped[str] = mapped_column(String(12), unique=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    # Whom residents contact where a neighbourhood has no broker (all optional).
    contact_email: Mapped[str | None] = mapped_column(String(254), default=None)
    contact_phone: Mapped[str | None] = mapped_column(String(40), default=None)
    contact_url: Mapped[str | None] = mapped_column(String(300), default=None)
    # The look of its pages: one of the themes the installation ships (buurtbudget.places.themes).
    theme: Mapped[str] = mapped_column(String(40), default="buurtbudget", server_default="buurtbudget")
    logo_url: Mapped[str | None] = mapped_column(String(300))
    # The jury pool's stratification attributes (see `jury.attributes`); None: the defaults.
    jury_attributes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # How long a resident's verification counts before it must be renewed (moving away).
    verification_days: Mapped[int] = mapped_column(default=730, server_default="730")

    neighbourhoods: Mapped[list["Neighbourhood"]] = relationship(back_populates="municipality")

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_email or self.contact_phone or self.contact_url)


class Neighbourhood(Base):
    """A wijk or buurt: the unit of a pot."""

    __index_change__ = (NEIGHBOURHOOD, "id")  # what the in-memory indexes re-read

    __tablename__ = "neighbourhoods"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    cbs_code: Mapped[str] = mapped_column(String(12), unique=True)
    # The wijk or stadsdeel it lies in: tells equal names apart ("Centrum (Nieuw-West)").
    district: Mapped[str | None] = mapped_column(String(120), default=None)
    # A GeoJSON Polygon or MultiPolygon (WGS 84), checked by places.geometry before it is stored.
    boundary: Mapped[str | None] = mapped_column(Text, default=None)

    municipality: Mapped[Municipality] = relationship(back_populates="neighbourhoods")

    @property
    def label(self) -> str:
        """The name as lists show it: with its district when it has one."""
        return f"{self.name} ({self.district})" if self.district else self.name


class Adjacency(Base):
    """One direction of a 'borders on' relation; the service always writes both directions."""

    __index_change__ = (NEIGHBOURHOOD, "neighbourhood_id")  # what the in-memory indexes re-read

    __tablename__ = "neighbourhood_adjacency"
    __table_args__ = (CheckConstraint("neighbourhood_id <> adjacent_id", name="not_self"),)

    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), primary_key=True
    )
    adjacent_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), primary_key=True
    )


class Postcode(Base):
    """A postcode (`3552AB`) or a whole 4-digit area (`3552`) and a neighbourhood it lies in.

    A postcode on a border may name two neighbourhoods, so (postcode, neighbourhood) is the key.
    """

    __tablename__ = "postcodes"
    __table_args__ = (
        UniqueConstraint("postcode", "neighbourhood_id"),
        Index("ix_postcodes_area", "area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    postcode: Mapped[str] = mapped_column(String(6), index=True)  # normalised: digits, then capitals
    area: Mapped[str] = mapped_column(String(4))  # its four digits: "3552" finds every 3552 xx
    municipality_id: Mapped[int] = mapped_column(
        ForeignKey("municipalities.id", ondelete="CASCADE"), index=True
    )
    neighbourhood_id: Mapped[int] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="CASCADE"), index=True
    )
