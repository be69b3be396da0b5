"""Tables: Person, RoleAssignment and the single-use sign-in tokens."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbudget.db.base import Base, utcnow

if TYPE_CHECKING:
    from buurtbudget.people.verification_models import Verification


class Person(Base):
    """Someone with an account; identified by e-mail address only."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    # Chosen by the person ("" until then: others see a neutral label); never made from the address.
    display_name: Mapped[str] = mapped_column(String(120), default="")
    # The language of the interface the person last chose or signed in with: mails to them use it.
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Sessions signed in before this moment no longer count (set when one of the person's roles is revoked).
    sessions_valid_from: Mapped[datetime | None]

    roles: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="RoleAssignment.person_id",
    )
    # Where the person is (or was) a verified resident: the resident grant comes only from these.
    verifications: Mapped[list["Verification"]] = relationship(
        foreign_keys="Verification.person_id", cascade="all, delete-orphan", lazy="selectin"
    )


class RoleAssignment(Base):
    """A role held by a person, scoped to a neighbourhood, a municipality or the platform."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        UniqueConstraint("person_id", "role", "neighbourhood_id", "municipality_id"),
        Index("ix_role_assignments_scope", "role", "neighbourhood_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    neighbourhood_id: Mapped[int | None] = mapped_column(ForeignKey("neighbourhoods.id"))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    # Who gave the role and when (unknown for roles given before these were kept, and by the command line).
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime | None] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(back_populates="roles", foreign_keys=[person_id])


class SignInToken(Base):
    """A magic-link token; only its SHA-256 hash is stored, and it can be used once."""

    __tablename__ = "sign_in_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # The language the link was asked for in: the person's mails follow it once they sign in.
    locale: Mapped[str | None] = mapped_column(String(8))


# The verification tables are part of a person (the relationship above names them).
import buurtbudget.people.verification_models  # noqa: E402, F401
