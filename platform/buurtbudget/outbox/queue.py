"""Writing to the outbox inside a unit of work, and claiming, finishing and retrying its messages."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import note_outbox_message, require_unit_of_work
from buurtbudget.outbox.models import DEAD, PENDING, SENDING, SENT, OutboxMessage


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff from `first_delay`, capped at `longest_delay`; dead after `max_attempts`."""

    max_attempts: int = 10
    first_delay: timedelta = timedelta(seconds=30)
    longest_delay: timedelta = timedelta(hours=1)
    lease: timedelta = timedelta(minutes=5)

    def delay_after(self, attempts: int) -> timedelta:
        delay: timedelta = self.first_delay * 2 ** max(attempts - 1, 0)
        return min(delay, self.longest_delay)


@dataclass(frozen=True, slots=True)
class Claimed:
    """A message this worker holds until its lease ends."""

    id: int
    kind: str
    payload: dict[str, Any]
    attempts: int


async def enqueue(
    session: AsyncSession,
    kind: str,
    payload: dict[str, Any],
    *,
    topic: str | None = None,
    available_at: datetime | None = None,
) -> OutboxMessage:
    """Queue work in the caller's unit of work: it is delivered only if that commits."""
    require_unit_of_work(session)
    message = OutboxMessage(
        kind=kind, payload=payload, topic=topic, status=PENDING, available_at=available_at or utcnow()
    )
    session.add(message)
    await session.flush()
    note_outbox_message(session, message.id)
    return message


async def enqueue_once(
    session: AsyncSession, kind: str, payload: dict[str, Any], *, dedupe_key: str, available_at: datetime
) -> bool:
    """Queue work under a unique key unless it is queued already (however many workers try at once)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxMessage)
        .values(
            kind=kind,
            payload=payload,
            dedupe_key=dedupe_key,
            status=PENDING,
            attempts=0,
            available_at=available_at,
            created_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    return (await session.execute(statement)).scalar_one_or_none() is not None


async def claim(
    session: AsyncSession,
    *,
    now: datetime,
    limit: int,
    lease: timedelta,
    ids: Sequence[int] | None = None,
) -> list[Claimed]:
    """Take up to `limit` due messages (or those of `ids` that are still due) for `lease`.

    On PostgreSQL rows another worker holds are skipped (FOR UPDATE SKIP LOCKED), so several workers
    share the queue; SQLite has one writer at a time. A message whose lease ran out (its worker died)
    is due again.
    """
    due = or_(
        and_(OutboxMessage.status == PENDING, OutboxMessage.available_at <= now),
        and_(OutboxMessage.status == SENDING, OutboxMessage.locked_until < now),
    )
    candidates = select(OutboxMessage.id).where(due).order_by(OutboxMessage.id).limit(limit)
    if ids is not None:
        candidates = candidates.where(OutboxMessage.id.in_(list(ids)))
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    rows = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()))
        .values(status=SENDING, locked_until=now + lease, attempts=OutboxMessage.attempts + 1)
        .returning(OutboxMessage.id, OutboxMessage.kind, OutboxMessage.payload, OutboxMessage.attempts)
        .execution_options(synchronize_session=False)
    )
    return sorted((Claimed(*row) for row in rows), key=lambda claimed: claimed.id)


async def complete(session: AsyncSession, claimed: Claimed, *, now: datetime) -> None:
    """The message was delivered."""
    await session.execute(
        _held(claimed).values(status=SENT, finished_at=now, locked_until=None, last_error=None)
    )


async def fail(
    session: AsyncSession, claimed: Claimed, error: str, *, now: datetime, policy: RetryPolicy, final: bool
) -> str:
    """Try again later with backoff, or give up (dead letter) when attempts are used up or `final`."""
    if final or claimed.attempts >= policy.max_attempts:
        await session.execute(
            _held(claimed).values(status=DEAD, finished_at=now, locked_until=None, last_error=error[:2000])
        )
        return DEAD
    await session.execute(
        _held(claimed).values(
            status=PENDING,
            available_at=now + policy.delay_after(claimed.attempts),
            locked_until=None,
            last_error=error[:2000],
        )
    )
    return PENDING


def _held(claimed: Claimed) -> Any:
    # Only while this worker still holds it: a worker whose lease ran out must not overwrite another's.
    return (
        update(OutboxMessage)
        .where(
            OutboxMessage.id == claimed.id,
            OutboxMessage.status == SENDING,
            OutboxMessage.attempts == claimed.attempts,
        )
        .execution_options(synchronize_session=False)
    )


async def dead_letters(session: AsyncSession, *, limit: int = 100) -> list[OutboxMessage]:
    """Messages the worker gave up on, newest first."""
    rows = await session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == DEAD)
        .order_by(OutboxMessage.id.desc())
        .limit(limit)
    )
    return list(rows)


async def retry_dead(session: AsyncSession, message_id: int) -> bool:
    """Put a dead letter back in the queue with fresh attempts; False when it is not a dead letter."""
    require_unit_of_work(session)
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == DEAD)
        .values(status=PENDING, attempts=0, available_at=utcnow(), finished_at=None)
        .returning(OutboxMessage.id)
    )
    return result.scalar_one_or_none() is not None


async def counts(session: AsyncSession) -> dict[str, int]:
    """How many messages are in each status."""
    rows = await session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return {str(status): int(count) for status, count in rows.tuples()}


async def prune_sent(session: AsyncSession, *, before: datetime) -> int:
    """Forget delivered messages finished before `before` (dead letters stay until handled)."""
    result = await session.execute(
        delete(OutboxMessage).where(OutboxMessage.status == SENT, OutboxMessage.finished_at < before)
    )
    return int(getattr(result, "rowcount", 0) or 0)
