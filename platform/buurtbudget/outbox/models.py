"""Table: outbox messages (mails, events' follow-ups, scheduled jobs) waiting for the worker."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from buurtbudget.db.base import Base, utcnow
from buurtbudget.i18n import N_

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
DEAD = "dead"
# The statuses as the administrators' page names them (marked for translation).
STATUS_NAMES = (N_("pending"), N_("sending"), N_("sent"), N_("dead"))


class OutboxMessage(Base):
    """One piece of work for the worker, committed in the same transaction as the change behind it.

    `kind` names its handler and `payload` is that handler's input. `dedupe_key` (unique) lets a scheduler
    slot be queued once however many workers tick; `topic` groups messages of one purpose (a person's
    sign-in mails) so a newer one can replace one still waiting.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "available_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    topic: Mapped[str | None] = mapped_column(String(300), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(16), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    available_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
