"""Tables of the index change log: one version counter, the rows each version changed, who applied what."""

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from buurtbudget.db.base import Base, utcnow


class IndexChangeMarker(Base):
    """One row: the newest committed version of the change log.

    A committing transaction raises it (and keeps its row lock until the commit), so versions commit in
    order. `generation` is new whenever the row is made again (a wiped or restored database).
    """

    __tablename__ = "index_change_marker"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(BigInteger, default=0)


class IndexChange(Base):
    """What one version changed: a kind (initiative, volunteer, space, booking, place) and a row id."""

    __tablename__ = "index_changes"

    version: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class IndexHeartbeat(Base):
    """One row per process: how far its indexes applied the log, and when it last said so.

    The log is pruned up to the lowest version of the processes seen recently (`buurtbudget.db.heartbeats`).
    """

    __tablename__ = "index_heartbeats"

    process: Mapped[str] = mapped_column(String(32), primary_key=True)
    generation: Mapped[str] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(BigInteger)
    seen_at: Mapped[datetime] = mapped_column()
