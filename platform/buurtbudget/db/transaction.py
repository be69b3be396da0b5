"""The unit of work a use case runs in: one transaction, its domain events, and its outbox messages."""

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.events import DomainEvent, dispatch

_ACTIVE = "bb.unit_of_work"
_EVENTS = "bb.events"
_WRITTEN = "bb.outbox_written"
# Set by the application on its request sessions: called after a commit with the ids of the outbox
# messages that commit wrote, so a sign-in mail leaves at once instead of at the worker's next poll.
AFTER_COMMIT = "bb.after_commit"

AfterCommit = Callable[[list[int]], Awaitable[None]]


class NestedUnitOfWorkError(RuntimeError):
    """A use case opened a unit of work inside another one: the inner one would commit half of the outer."""


@asynccontextmanager
async def transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """One use case: all of it commits, or on any error none of it does.

    It refuses to be nested. Events recorded with `record_event` are handed to their subscribers just
    before the commit, in the same transaction, so what they queue in the outbox commits with the change
    (or not at all); nothing leaves the process before that commit. Reads done earlier on the same
    session auto-began a transaction; it holds no changes of ours, so it is ended first.
    """
    if session.info.get(_ACTIVE):
        raise NestedUnitOfWorkError("a unit of work is already open on this session")
    if session.in_transaction():
        await session.commit()
    session.info[_ACTIVE] = True
    session.info[_EVENTS] = []
    session.info[_WRITTEN] = []
    try:
        async with session.begin():
            yield session
            await _dispatch_recorded(session)
        written: list[int] = list(session.info[_WRITTEN])
    finally:
        session.info[_ACTIVE] = False
        session.info[_EVENTS] = []
        session.info[_WRITTEN] = []
    after_commit: AfterCommit | None = session.info.get(AFTER_COMMIT)
    if written and after_commit is not None:
        await after_commit(written)


async def _dispatch_recorded(session: AsyncSession) -> None:
    # A subscriber may record further events; hand them over until none are left.
    while pending := session.info[_EVENTS]:
        session.info[_EVENTS] = []
        for event in pending:
            await dispatch(session, event)


def require_unit_of_work(session: AsyncSession) -> None:
    """Refuse work that must commit with a change when no unit of work is open."""
    if not session.info.get(_ACTIVE):
        raise RuntimeError("open a unit of work (transaction(session)) first")


def record_event(session: AsyncSession, event: DomainEvent) -> None:
    """Record that something happened; its subscribers run when the unit of work commits."""
    require_unit_of_work(session)
    session.info[_EVENTS].append(event)


def note_outbox_message(session: AsyncSession, message_id: int) -> None:
    """Remember an outbox message written in this unit of work, for delivery right after the commit."""
    require_unit_of_work(session)
    session.info[_WRITTEN].append(message_id)
