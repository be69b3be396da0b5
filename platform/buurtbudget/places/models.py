"""Tables: Municipality, Neighbourhood and the symmetric adjacency between neighbourhoods."""

from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
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
    # The look of its pages: one of the themes the installation ships (buurtbudget.places.themes).
    theme: Mapped[str] = mapped_column(String(40), default="buurtbudget", server_default="buurtbudget")
    logo_url: Mapped[str | None] = mapped_column(String(300))
    # The jury pool's stratification attributes (see `jury.attributes`); None: the defaults.
    jury_attributes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    # How long a resident's verification counts before it must be renewed (moving away).
    verification_days: Mapped[int] = mapped_column(default=730, server_default="730")

    neighbourhoods: Mapped[list["Neighbourhood"]] = relationship(back_populates="municipality")


class Neighbourhood(Base):
    """A wijk or buurt: the unit of a pot."""

    __index_change__ = (NEIGHBOURHOOD, "id")  # what the in-memory indexes re-read

    __tablename__ = "neighbourhoods"

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipalities.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    cbs_code: Mapped[str] = mapped_column(String(12), unique=True)

    municipality: Mapped[Municipality] = relationship(back_populates="neighbourhoods")


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
