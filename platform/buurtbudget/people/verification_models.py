"""Tables of verified residents: verifications, requests for approval, identities, letter batches and codes.

A resident is verified per neighbourhood; a verification counts while it has not expired and not ended.
Letter codes are never stored: only their keyed hash (see `letter_codes`), with the address they went to.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from buurtbudget.db.base import Base, utcnow

APPROVAL, LETTER_CODE, OIDC = "approval", "letter_code", "oidc"
METHODS = (APPROVAL, LETTER_CODE, OIDC)


class Verification(Base):
    """Proof that a person lives in a neighbourhood, by one method, until it expires or ends."""

    __tablename__ = "verifications"
    __table_args__ = (Index("ix_verifications_person_active", "person_id", "ended_at", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    method: Mapped[str] = mapped_column(String(16))
    verified_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(String(200))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    # Evidence: the letter batch a code came from, or the identity provider's issuer and subject.
    letter_batch_id: Mapped[int | None] = mapped_column(ForeignKey("letter_batches.id", ondelete="SET NULL"))
    issuer: Mapped[str | None] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(String(255))
    reminded_at: Mapped[datetime | None]

    def active_at(self, moment: datetime) -> bool:
        return self.ended_at is None and self.expires_at > moment


class VerificationRequest(Base):
    """A resident asks the neighbourhood's broker or the municipality to approve that they live there."""

    __tablename__ = "verification_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decision: Mapped[str | None] = mapped_column(String(16))  # "approved" or "declined"
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class IdentityLink(Base):
    """One identity at an identity provider (issuer, subject) belongs to at most one person."""

    __tablename__ = "identity_links"

    issuer: Mapped[str] = mapped_column(String(255), primary_key=True)
    subject: Mapped[str] = mapped_column(String(255), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)


class LetterBatch(Base):
    """A printable batch of single-use codes, one per address of a neighbourhood; expires as a whole."""

    __tablename__ = "letter_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    # Random per batch: with the key outside the database it derives each code again for a download.
    nonce: Mapped[str] = mapped_column(String(32))
    size: Mapped[int]


class LetterCode(Base):
    """One address of a batch and the keyed hash of its code; redeemed at most once."""

    __tablename__ = "letter_codes"
    __table_args__ = (UniqueConstraint("batch_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("letter_batches.id", ondelete="CASCADE"))
    position: Mapped[int]
    street: Mapped[str] = mapped_column(String(120))
    house_number: Mapped[str] = mapped_column(String(20))
    postcode: Mapped[str] = mapped_column(String(7))
    city: Mapped[str] = mapped_column(String(80))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    redeemed_at: Mapped[datetime | None]
    redeemed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))


class CodeAttempt(Base):
    """A wrong letter code someone typed: counted, so guessing is slowed to a few tries an hour."""

    __tablename__ = "code_attempts"
    __table_args__ = (Index("ix_code_attempts_person_at", "person_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
