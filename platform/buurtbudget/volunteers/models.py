"""Tables of volunteering: profiles, offers and invitations (matches)."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from buurtbudget.db.base import Base, utcnow
from buurtbudget.db.changes import VOLUNTEER


class VolunteerProfile(Base):
    """A resident offering skills and time; shown to initiators only under its pseudonym until both agree."""

    __index_change__ = (VOLUNTEER, "id")  # what the in-memory indexes re-read

    __tablename__ = "volunteer_profiles"
    __table_args__ = (
        CheckConstraint("max_commitments BETWEEN 1 AND 10", name="max_commitments_range"),
        Index("ix_volunteer_profiles_neighbourhood_id", "neighbourhood_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(12), unique=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"))
    skills: Mapped[list[str]] = mapped_column(JSON)
    themes: Mapped[list[str]] = mapped_column(JSON)
    weekly: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    dated: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    max_commitments: Mapped[int] = mapped_column(default=3)
    consent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VolunteerMatch(Base):
    """A volunteer and an initiative: an offer or an invitation, and each side's answer."""

    __index_change__ = (VOLUNTEER, "profile_id")  # what the in-memory indexes re-read

    __tablename__ = "volunteer_matches"
    __table_args__ = (
        UniqueConstraint("profile_id", "initiative_id"),
        CheckConstraint("origin IN ('offer', 'invitation')", name="origin"),
        CheckConstraint("volunteer_answer IN ('pending', 'accepted', 'declined')", name="volunteer_answer"),
        CheckConstraint("initiative_answer IN ('pending', 'accepted', 'declined')", name="initiative_answer"),
        CheckConstraint("status IN ('pending', 'agreed', 'declined')", name="status"),
        CheckConstraint("score >= 0 AND score <= 1", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("volunteer_profiles.id", ondelete="CASCADE"), index=True
    )
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(String(12))
    volunteer_answer: Mapped[str] = mapped_column(String(10))
    initiative_answer: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    agreed_at: Mapped[datetime | None]
