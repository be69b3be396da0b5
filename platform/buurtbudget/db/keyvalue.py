"""Table: expiring key-value entries for sessions and rate-limit counters shared by all workers."""

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from buurtbudget.db.base import Base


class KeyValueEntry(Base):
    """One value under (namespace, key); expired entries are ignored and swept."""

    __tablename__ = "key_value_entries"

    namespace: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
