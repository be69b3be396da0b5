"""Tables: Initiative, Initiator, CostLine, VolunteerNeed, SpaceNeed, InitiativeTheme, TimelineEvent."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbudget.db.base import Base, utcnow
from buurtbudget.db.changes import INITIATIVE


class Initiative(Base):
    """A residents' plan asking for money and/or help."""

    __index_change__ = (INITIATIVE, "id")  # what the in-memory indexes re-read

    __tablename__ = "initiatives"
    __table_args__ = (Index("ix_initiatives_neighbourhood_state", "neighbourhood_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    title: Mapped[str] = mapped_column(String(150))
    summary: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="draft")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    initiators: Mapped[list["Initiator"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Initiator.id"
    )
    cost_lines: Mapped[list["CostLine"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CostLine.position"
    )
    volunteer_needs: Mapped[list["VolunteerNeed"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VolunteerNeed.id"
    )
    space_needs: Mapped[list["SpaceNeed"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SpaceNeed.id"
    )
    theme_links: Mapped[list["InitiativeTheme"]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="InitiativeTheme.theme"
    )

    def initiator_of(self, person_id: int | None, *, status: str | None = "active") -> "Initiator | None":
        """This person's place among the initiators (with this status; None: any status), if any."""
        return next(
            (
                i
                for i in self.initiators
                if i.person_id == person_id and (status is None or i.status == status)
            ),
            None,
        )

    @property
    def themes(self) -> list[str]:
        return [link.theme for link in self.theme_links]

    @property
    def total_cents(self) -> int:
        return sum(line.amount_cents for line in self.cost_lines)


class Initiator(Base):
    """A resident who owns (or is invited to co-own) an initiative."""

    __index_change__ = (INITIATIVE, "initiative_id")  # what the in-memory indexes re-read

    __tablename__ = "initiators"
    __table_args__ = (
        Index("uq_initiators_initiative_person", "initiative_id", "person_id", unique=True),
        CheckConstraint("status IN ('active', 'invited')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="active")
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Consent to be contacted about this initiative by residents elsewhere (similar initiatives).
    contact_consent: Mapped[bool] = mapped_column(default=False, server_default=false())


class CostLine(Base):
    """One line of the itemised budget, in euro cents."""

    __index_change__ = (INITIATIVE, "initiative_id")  # what the in-memory indexes re-read

    __tablename__ = "cost_lines"
    __table_args__ = (CheckConstraint("amount_cents > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    description: Mapped[str] = mapped_column(String(200))
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    essential: Mapped[bool] = mapped_column(default=True)


class VolunteerNeed(Base):
    """Help wanted: a skill and the hours it takes."""

    __index_change__ = (INITIATIVE, "initiative_id")  # what the in-memory indexes re-read

    __tablename__ = "volunteer_needs"
    __table_args__ = (CheckConstraint("hours > 0", name="positive_hours"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    skill: Mapped[str] = mapped_column(String(80))
    hours: Mapped[int]


class SpaceNeed(Base):
    """A room or place wanted, for how many people, and when."""

    __tablename__ = "space_needs"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="period_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    capacity: Mapped[int]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]


class InitiativeTheme(Base):
    """A theme label on an initiative (normalised lower case)."""

    __index_change__ = (INITIATIVE, "initiative_id")  # what the in-memory indexes re-read

    __tablename__ = "initiative_themes"

    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiatives.id", ondelete="CASCADE"), primary_key=True
    )
    theme: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class TimelineEvent(Base):
    """What happened, what comes next, who the contact is and by when."""

    __index_change__ = (INITIATIVE, "initiative_id")  # what the in-memory indexes re-read

    __tablename__ = "timeline_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    event: Mapped[str] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20))
    next_step: Mapped[str] = mapped_column(String(40))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    due_at: Mapped[datetime | None]
