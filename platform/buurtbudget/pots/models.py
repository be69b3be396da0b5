"""Tables: Pot, ledger Account, LedgerTransaction and LedgerEntry (balances are derived)."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from buurtbudget.db.base import Base, utcnow


class Pot(Base):
    """Money for one neighbourhood and period."""

    __tablename__ = "pots"
    __table_args__ = (
        UniqueConstraint("neighbourhood_id", "name"),
        CheckConstraint("period_start <= period_end", name="period_order"),
        CheckConstraint("fast_track_threshold_cents > 0", name="positive_fast_track_threshold"),
        CheckConstraint("fast_track_seats > 0", name="positive_fast_track_seats"),
        CheckConstraint("max_per_initiative_cents > 0", name="positive_max_per_initiative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    neighbourhood_id: Mapped[int] = mapped_column(ForeignKey("neighbourhoods.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    period_start: Mapped[date]
    period_end: Mapped[date]
    # Requests of at most this amount may go to a fast-track round with a smaller panel (None: no fast track).
    fast_track_threshold_cents: Mapped[int | None] = mapped_column(BigInteger)
    fast_track_seats: Mapped[int] = mapped_column(default=3, server_default="3")
    # The "how it works" page the municipality writes: the most one initiative may ask (None: no limit),
    # the criteria and how money is paid and accounted for (plain text, paragraphs), the next round's date.
    max_per_initiative_cents: Mapped[int | None] = mapped_column(BigInteger)
    criteria: Mapped[str] = mapped_column(Text, default="", server_default="")
    next_round_on: Mapped[date | None]
    payment_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    accounts: Mapped[list["Account"]] = relationship(back_populates="pot", lazy="selectin")


class Account(Base):
    """A ledger account of a pot; `code` is unique per pot (e.g. 'available:groen', 'reserved:42')."""

    __tablename__ = "ledger_accounts"
    __table_args__ = (UniqueConstraint("pot_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pots.id"), index=True)
    code: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))
    theme: Mapped[str | None] = mapped_column(String(80))
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiatives.id"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id"), index=True)
    # A reserved account's budget (a theme budget or the general one): releases go back there.
    source_account_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_accounts.id"))

    pot: Mapped[Pot] = relationship(back_populates="accounts")


class LedgerTransaction(Base):
    """One balanced change of money: its entries sum to zero (checked by the database at commit).

    Written only through `pots.writing.write_transaction`: on SQLite the row must come after its entries.
    Rows are never updated or deleted (triggers refuse it).
    """

    __tablename__ = "ledger_transactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pot_id: Mapped[int] = mapped_column(ForeignKey("pots.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    memo: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    entries: Mapped[list["LedgerEntry"]] = relationship(
        back_populates="transaction", cascade="all, delete-orphan", lazy="selectin"
    )


class LedgerEntry(Base):
    """A signed amount in euro cents on one account (debit positive, credit negative)."""

    __tablename__ = "ledger_entries"
    __table_args__ = (CheckConstraint("amount_cents <> 0", name="non_zero"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Deferred: on SQLite the transaction row is written after its entries and seals them (migration 0010).
    transaction_id: Mapped[int] = mapped_column(
        ForeignKey("ledger_transactions.id", deferrable=True, initially="DEFERRED"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("ledger_accounts.id"), index=True)
    amount_cents: Mapped[int] = mapped_column(BigInteger)

    transaction: Mapped[LedgerTransaction] = relationship(back_populates="entries")
