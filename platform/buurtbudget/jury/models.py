"""Tables: Round, RoundInitiative, JuryVolunteer, Juror, Recusal, CastBallot (one per voter per round)."""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from buurtbudget.db.base import Base, utcnow


class Round(Base):
    """One decision over a set of initiatives and an amount of a pot."""

    __tablename__ = "rounds"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="positive_amount"),
        CheckConstraint("voting_opens_at < voting_closes_at", name="voting_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pots.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    mode: Mapped[str] = mapped_column(String(10))  # jury | open
    state: Mapped[str] = mapped_column(String(10), default="draft")  # draft | open | closed
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    ballot_kind: Mapped[str] = mapped_column(String(20))
    max_approvals: Mapped[int | None]
    max_total_cents: Mapped[int | None] = mapped_column(BigInteger)
    max_score: Mapped[int] = mapped_column(default=10)
    points: Mapped[int] = mapped_column(default=10)
    rule: Mapped[str] = mapped_column(String(20))
    tie_break: Mapped[str] = mapped_column(String(20))
    seed: Mapped[str] = mapped_column(String(64))
    voting_opens_at: Mapped[datetime]
    voting_closes_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    result: Mapped[dict[str, object] | None] = mapped_column(JSON)


class RoundInitiative(Base):
    """An initiative on a round's ballot, with the cost it asks for at the moment the round opened."""

    __tablename__ = "round_initiatives"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id"), primary_key=True)
    cost_cents: Mapped[int] = mapped_column(BigInteger)


class JuryVolunteer(Base):
    """A resident who volunteers for the jury of a neighbourhood, with what the quotas look at."""

    __tablename__ = "jury_volunteers"
    __table_args__ = (UniqueConstraint("person_id", "neighbourhood_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    attributes: Mapped[dict[str, str]] = mapped_column(JSON)
    last_served_on: Mapped[date | None]


class Juror(Base):
    """A seat in a round's jury (or a reserve), from the published draw."""

    __tablename__ = "jurors"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    seat: Mapped[str] = mapped_column(String(8))  # juror | reserve


class Recusal(Base):
    """A juror who may not score an initiative: initiator, co-initiator, volunteer, or declared."""

    __tablename__ = "recusals"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id"), primary_key=True)
    reason: Mapped[str] = mapped_column(String(12))


class CastBallot(Base):
    """A voter's ballot in a round: the unique constraint keeps one, changeable until the round closes."""

    __tablename__ = "cast_ballots"
    __table_args__ = (UniqueConstraint("round_id", "voter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    voter_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    marks: Mapped[dict[str, int]] = mapped_column(JSON)
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)
