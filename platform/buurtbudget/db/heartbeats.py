"""Each process's heartbeat: how far its in-memory indexes applied the index change log.

A process reports the position of an index each time that index reads the log; at most every
`BEAT_EVERY` the lowest version of its indexes used within `DEAD_AFTER` is written to its row, on a
connection of its own (a read-only request's transaction would take the beat with it when it rolls
back). The log is pruned only up to the lowest version of the processes seen within `DEAD_AFTER`
(`change_feed.prune`); a process silent for longer no longer holds pruning back, and if it comes back
behind the pruned log it rebuilds its indexes, as a gap in the log always makes it do.

On SQLite a session that is in a transaction holds the database's one write lock, so a second
connection would wait for it: the beat is then left for a later read, and the pruning job writes its
own process's beat first. Missing a beat is always safe: it only makes the process look dead, which at
worst costs it a rebuild.
"""

import weakref
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from buurtbudget.db import change_feed
from buurtbudget.db.base import utcnow
from buurtbudget.db.change_feed import Position
from buurtbudget.db.change_log import IndexChange, IndexHeartbeat

BEAT_EVERY = timedelta(seconds=30)
DEAD_AFTER = timedelta(minutes=10)  # far above BEAT_EVERY, so a busy process never looks dead
FORGET_AFTER = timedelta(days=1)  # rows of processes silent this long are deleted


@dataclass
class Heartbeat:
    """What one process's indexes of one database applied, and when its row was last written."""

    process: str = field(default_factory=lambda: uuid4().hex)
    applied: dict[str, tuple[Position, datetime]] = field(default_factory=dict)
    written_at: datetime | None = None

    def lowest(self, now: datetime) -> Position | None:
        """The lowest position of the indexes used within DEAD_AFTER, in the newest generation seen."""
        recent = [(seen, position) for position, seen in self.applied.values() if now - seen < DEAD_AFTER]
        if not recent:
            return None
        generation = max(recent, key=lambda pair: pair[0])[1].generation
        return min((p for _seen, p in recent if p.generation == generation), key=lambda p: p.version)

    def due(self, now: datetime) -> bool:
        return self.written_at is None or now - self.written_at >= BEAT_EVERY


_BEATS: "weakref.WeakKeyDictionary[Engine, Heartbeat]" = weakref.WeakKeyDictionary()


def heartbeat_of(engine: AsyncEngine) -> Heartbeat:
    """This process's heartbeat for one database (one per engine)."""
    beat = _BEATS.get(engine.sync_engine)
    if beat is None:
        beat = _BEATS[engine.sync_engine] = Heartbeat()
    return beat


async def report(session: AsyncSession, index: str, position: Position | None) -> None:
    """Note how far `index` applied the log (None: not built yet), and write the beat when it is due."""
    engine = session.bind
    if position is None or not isinstance(engine, AsyncEngine):
        return
    beat = heartbeat_of(engine)
    now = utcnow()
    beat.applied[index] = (position, now)
    if not beat.due(now) or (engine.dialect.name == "sqlite" and session.in_transaction()):
        return
    await _write(engine, beat, now)


async def beat_now(engine: AsyncEngine) -> None:
    """Write this process's beat now, due or not (the pruning job does, before it prunes)."""
    await _write(engine, heartbeat_of(engine), utcnow())


async def _write(engine: AsyncEngine, beat: Heartbeat, now: datetime) -> None:
    lowest = beat.lowest(now)
    if lowest is None:
        return
    beat.written_at = now
    insert_ = postgresql_insert if engine.dialect.name == "postgresql" else sqlite_insert
    values = {"generation": lowest.generation, "version": lowest.version, "seen_at": now}
    statement = (
        insert_(IndexHeartbeat)
        .values(process=beat.process, **values)
        .on_conflict_do_update(index_elements=["process"], set_=values)
    )
    async with engine.begin() as connection:
        await connection.execute(statement)


async def prune(session: AsyncSession, now: datetime) -> int:
    """Delete the log rows every live process applied (all of them when none is live).

    No age bound is needed as a safety valve: a process counts only while its indexes read the log,
    and each read applies it, so the lowest live version trails the newest by what was committed in
    about DEAD_AFTER plus BEAT_EVERY; a process that stops reading stops counting after DEAD_AFTER.
    """
    newest = await change_feed.read_position(session)
    lowest = await lowest_live(session, newest.generation, now)
    upto = newest.version if lowest is None else min(lowest, newest.version)
    result = await session.execute(delete(IndexChange).where(IndexChange.version <= upto))
    await session.execute(delete(IndexHeartbeat).where(IndexHeartbeat.seen_at < now - FORGET_AFTER))
    return int(getattr(result, "rowcount", 0) or 0)


async def lowest_live(session: AsyncSession, generation: str, now: datetime) -> int | None:
    """The lowest version applied by the processes of this log generation seen within DEAD_AFTER."""
    query = select(func.min(IndexHeartbeat.version)).where(
        IndexHeartbeat.generation == generation, IndexHeartbeat.seen_at > now - DEAD_AFTER
    )
    lowest = (await session.execute(query)).scalar_one_or_none()
    return None if lowest is None else int(lowest)
