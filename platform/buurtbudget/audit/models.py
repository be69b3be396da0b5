"""Tables: AuditEntry (append-only) and AuditHead (the chain's tip, locked while appending)."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from buurtbudget.db.base import Base


class AuditEntry(Base):
    """Who did what, when; `entry_hash` covers the entry and the previous entry's hash."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    action: Mapped[str] = mapped_column(String(80))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None]
    data: Mapped[dict[str, object]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # HMAC-SHA256 of entry_hash with the audit key, which is not stored in the database (see audit.keys);
    # None only for entries written before the key existed.
    entry_mac: Mapped[str | None] = mapped_column(String(64))


class AuditHead(Base):
    """The single row naming the chain's last hash; appending locks it, so the chain stays linear."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_entry_id: Mapped[int | None]
    last_hash: Mapped[str] = mapped_column(String(64))
