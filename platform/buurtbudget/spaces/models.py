"""Tables of spaces and their bookings: Space, SpaceFacility, OpeningHours, Booking."""

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    func,
    literal_column,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbudget.db.base import Base, utcnow
from buurtbudget.db.changes import BOOKING, SPACE

BOOKED = "booked"
CANCELLED = "cancelled"


class Space(Base):
    """A room or place that can be booked."""

    __index_change__ = (SPACE, "id")  # what the in-memory indexes re-read

    __tablename__ = "spaces"
    __table_args__ = (
        CheckConstraint("capacity > 0", name="positive_capacity"),
        CheckConstraint("price_per_hour_cents >= 0", name="price_not_negative"),
        CheckConstraint("(lat IS NULL) = (lon IS NULL)", name="both_coordinates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int]
    price_per_hour_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    wheelchair_accessible: Mapped[bool] = mapped_column(default=False)
    accessible_toilet: Mapped[bool] = mapped_column(default=False)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    bookable: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    facility_links: Mapped[list["SpaceFacility"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SpaceFacility.code"
    )
    opening_hours: Mapped[list["OpeningHours"]] = relationship(
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by=lambda: (OpeningHours.weekday, OpeningHours.opens_minute),
    )

    @property
    def facilities(self) -> list[str]:
        return [link.code for link in self.facility_links]


class SpaceFacility(Base):
    """A facility of a space, as a code of the matching engine's facility catalogue."""

    __index_change__ = (SPACE, "space_id")  # what the in-memory indexes re-read

    __tablename__ = "space_facilities"

    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class OpeningHours(Base):
    """One weekly window in local (Amsterdam) time; weekday 0 is Monday, minutes after midnight."""

    __index_change__ = (SPACE, "space_id")  # what the in-memory indexes re-read

    __tablename__ = "space_opening_hours"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint(
            "opens_minute >= 0 AND opens_minute < closes_minute AND closes_minute <= 1440", name="window"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int]
    opens_minute: Mapped[int]
    closes_minute: Mapped[int]


class Booking(Base):
    """A space booked for a period; no two booked periods of a space overlap (enforced by the database)."""

    __index_change__ = (BOOKING, "id")  # what the in-memory indexes re-read

    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="period_order"),
        CheckConstraint("people > 0", name="positive_people"),
        CheckConstraint(f"state IN ('{BOOKED}', '{CANCELLED}')", name="state"),
        Index("ix_bookings_space_period", "space_id", "starts_at", "ends_at"),
        # PostgreSQL refuses overlapping booked periods itself, also between concurrent transactions;
        # SQLite serialises writers (BEGIN IMMEDIATE), so the service's check there is enough.
        ExcludeConstraint(
            ("space_id", "="),
            (func.tstzrange(literal_column("starts_at"), literal_column("ends_at")), "&&"),
            name="ex_bookings_no_overlap",
            using="gist",
            where=text(f"state = '{BOOKED}'"),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id"), index=True)
    booked_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(150))
    people: Mapped[int]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    state: Mapped[str] = mapped_column(String(10), default=BOOKED)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    space: Mapped[Space] = relationship(lazy="joined", innerjoin=True)
