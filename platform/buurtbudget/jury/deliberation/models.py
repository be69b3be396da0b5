"""Tables of deliberation: messages per initiative in a round, advice, minutes."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from buurtbudget.db.base import Base, utcnow


class DiscussionMessage(Base):
    """A message in the discussion of one initiative on a round's ballot (jury and advisors only)."""

    __tablename__ = "discussion_messages"
    __table_args__ = (Index("ix_discussion_messages_thread", "round_id", "initiative_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    body: Mapped[str] = mapped_column(Text)
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Advice(Base):
    """A professional's advice on one initiative of a round: one per advisor, changeable."""

    __tablename__ = "advice"
    __table_args__ = (UniqueConstraint("round_id", "initiative_id", "advisor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiatives.id"))
    advisor_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    body: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Minutes(Base):
    """The minutes of a jury meeting of a round: public once the round is closed."""

    __tablename__ = "round_minutes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    held_on: Mapped[date]
    body: Mapped[str] = mapped_column(Text)
    written_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
