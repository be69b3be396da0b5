"""Noting what the in-memory indexes hold changed, and logging it under one new version at commit.

Models declare `__index_change__ = (kind, attribute)`: every flush of such a row notes the kind and the
row id it names. Code that writes with Core statements calls `note_change` itself. Just before the
outermost commit the noted changes are written under the next version of the marker row, whose lock is
then held only until that commit: versions commit in order, and no other lock is taken after it.
"""

from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import Connection, event, insert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction

from buurtbudget.db.base import utcnow
from buurtbudget.db.change_log import IndexChange, IndexChangeMarker

INITIATIVE = "initiative"
VOLUNTEER = "volunteer"
SPACE = "space"
BOOKING = "booking"
NEIGHBOURHOOD = "neighbourhood"  # its name, municipality or borders (adjacency rows name both sides)
MUNICIPALITY = "municipality"
EVERYTHING = "everything"  # more than MAX_ROWS changes in one transaction: every index rebuilds
MAX_ROWS = 1000
_NOTED = "bb.index_changes"


def note_change(session: AsyncSession | Session, kind: str, ref_id: int) -> None:
    """Note that the row `ref_id` of `kind` changed; it is logged when the transaction commits."""
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    _noted(sync).add((kind, ref_id))


def _noted(session: Session) -> set[tuple[str, int]]:
    noted: set[tuple[str, int]] = session.info.setdefault(_NOTED, set())
    return noted


@event.listens_for(Session, "after_flush")
def _collect(session: Session, _context: UOWTransaction) -> None:
    dirty = session.dirty
    for row in (*session.new, *dirty, *session.deleted):
        spec: tuple[str, str] | None = getattr(type(row), "__index_change__", None)
        if spec is None or (row in dirty and not session.is_modified(row, include_collections=False)):
            continue
        ref_id = getattr(row, spec[1])
        if ref_id is not None:
            _noted(session).add((spec[0], int(ref_id)))


@event.listens_for(Session, "before_commit")
def _write(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()
    noted = session.info.pop(_NOTED, None)
    if not noted:
        return
    connection = session.connection()
    version = _next_version(connection)
    at = utcnow()
    if len(noted) > MAX_ROWS:
        noted = {(EVERYTHING, 0)}
    connection.execute(insert(IndexChange), [_row(version, kind, ref_id, at) for kind, ref_id in noted])


@event.listens_for(Session, "after_soft_rollback")
def _forget(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:
        session.info.pop(_NOTED, None)


def _row(version: int, kind: str, ref_id: int, at: datetime) -> dict[str, Any]:
    return {"version": version, "kind": kind, "ref_id": ref_id, "at": at}


def _next_version(connection: Connection) -> int:
    """Raise the marker (made with a new generation the first time); its row stays locked until commit."""
    insert_ = postgresql_insert if connection.dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert_(IndexChangeMarker)
        .values(id=1, generation=uuid4().hex, version=1)
        .on_conflict_do_update(index_elements=["id"], set_={"version": IndexChangeMarker.version + 1})
        .returning(IndexChangeMarker.version)
    )
    return int(connection.execute(statement).scalar_one())
