"""Tables of rounds, their ballot, the committed jury draw and pool, seats, recusals, ballots, grants."""

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from buurtbudget.db.base import Base, utcnow
from buurtbudget.jury.result import RoundResult, StoredResult


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
    track: Mapped[str] = mapped_column(String(10), default="regular", server_default="regular")  # | fast
    # When an initiative does not fit in full, may it get its essential lines (the rest is optional)?
    partial_grants: Mapped[bool] = mapped_column(default=True, server_default=true())
    state: Mapped[str] = mapped_column(String(10), default="draft")  # draft | open | closed | cancelled
    amount_cents: Mapped[int] = mapped_column(BigInteger)
    ballot_kind: Mapped[str] = mapped_column(String(20))
    max_approvals: Mapped[int | None]
    max_total_cents: Mapped[int | None] = mapped_column(BigInteger)
    max_score: Mapped[int] = mapped_column(default=10)
    points: Mapped[int] = mapped_column(default=10)
    rule: Mapped[str] = mapped_column(String(20))
    tie_break: Mapped[str] = mapped_column(String(20))
    seed: Mapped[str] = mapped_column(String(64))
    deliberation_opens_at: Mapped[datetime | None]
    voting_opens_at: Mapped[datetime]
    voting_closes_at: Mapped[datetime]
    decision_due_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    result: Mapped[RoundResult | None] = mapped_column(StoredResult)  # the published result, once closed
    # Ballots needed to decide; None: half the jury's seats rounded up (jury), one ballot (open round).
    quorum: Mapped[int | None]
    # The jury's seats as planned when the round opened (jury rounds); freezing the pool fixes them.
    seats: Mapped[int | None]
    # Support (approvals or points) an initiative needs at least to be granted anything.
    min_support: Mapped[int] = mapped_column(default=1, server_default="1")
    early_close_reason: Mapped[str | None] = mapped_column(String(500))  # closed before voting ended
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    ended_at: Mapped[datetime | None]  # closed or cancelled


class RoundInitiative(Base):
    """An initiative on a round's ballot, with the cost it asks for at the moment the round opened.

    `open_initiative_id` repeats the initiative's id while the round is open (NULL afterwards): its
    unique constraint keeps an initiative on at most one open round, on every database.
    """

    __tablename__ = "round_initiatives"
    __table_args__ = (
        UniqueConstraint("open_initiative_id"),
        CheckConstraint("open_initiative_id IS NULL OR open_initiative_id = initiative_id", name="open_link"),
    )

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id"), primary_key=True)
    cost_cents: Mapped[int] = mapped_column(BigInteger)
    optional_cents: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    open_initiative_id: Mapped[int | None]


class JuryVolunteer(Base):
    """A resident who volunteers for the jury of a neighbourhood, with what the quotas look at."""

    __tablename__ = "jury_volunteers"
    __table_args__ = (UniqueConstraint("person_id", "neighbourhood_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    attributes: Mapped[dict[str, str]] = mapped_column(JSON)
    last_served_on: Mapped[date | None]


class JuryDraw(Base):
    """The committed draw of a round: seats, reserves and quotas frozen with the SHA-256 of a secret seed.

    The seed itself is not stored until the draw reveals it: it is derived from `seed_nonce` with the
    audit key, which is not in the database, so reading the database before the draw does not tell it.
    `jurors` and `reserves_drawn` are the pool's pseudonyms the draw picked.
    """

    __tablename__ = "jury_draws"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    seats: Mapped[int]
    reserves: Mapped[int]
    quotas: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    seed_hash: Mapped[str] = mapped_column(String(64))
    seed_nonce: Mapped[str] = mapped_column(String(64))
    seed: Mapped[str | None] = mapped_column(String(64))  # revealed at the draw
    frozen_at: Mapped[datetime]
    drawn_at: Mapped[datetime | None]
    jurors: Mapped[list[str] | None] = mapped_column(JSON)
    reserves_drawn: Mapped[list[str] | None] = mapped_column(JSON)


class JuryPoolMember(Base):
    """A volunteer in a round's frozen pool: a pseudonym and the attributes as they were at the freeze."""

    __tablename__ = "jury_pool_members"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(16), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    attributes: Mapped[dict[str, str]] = mapped_column(JSON)


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


class Grant(Base):
    """Money a round awarded an initiative: in full, or partly (its essential lines) until the answer."""

    __tablename__ = "grants"
    __table_args__ = (
        UniqueConstraint("round_id", "initiative_id"),
        CheckConstraint("granted_cents > 0 AND granted_cents <= asked_cents", name="granted_within_asked"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id"), index=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id"), index=True)
    asked_cents: Mapped[int] = mapped_column(BigInteger)
    granted_cents: Mapped[int] = mapped_column(BigInteger)
    partial: Mapped[bool]
    answer: Mapped[str | None] = mapped_column(String(10))  # accepted | declined; None: partial, waiting
    answered_at: Mapped[datetime | None]
