"""The index change log is pruned only up to what every live worker applied, on SQLite and PostgreSQL.

Two workers are two engines, each with its own index and its own heartbeat row.
"""

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import cast

import pytest
from conftest import RecordingMailer, World
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from test_similar_service import _initiative, ids_of

from buurtbudget.db import change_feed, heartbeats
from buurtbudget.db.base import utcnow
from buurtbudget.db.change_log import IndexChange, IndexHeartbeat
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.notifications.mailer import Mailer
from buurtbudget.outbox import registry
from buurtbudget.outbox.worker import JobContext
from buurtbudget.settings import Settings
from buurtbudget.similar.holder import holder_for
from buurtbudget.similar.service import SimilarService

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
async def other_engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A second worker process: its own engine, so its own indexes and its own heartbeat."""
    engine = create_engine(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def moestuin(session: AsyncSession, world: World, title: str) -> int:
    return await _initiative(session, world, "resident", world.zuilen_id, title)


async def moestuinen(engine: AsyncEngine) -> set[int]:
    """The similar initiatives one worker finds for "moestuin", and then its beat (see `beat_now`)."""
    async with create_session_factory(engine)() as reader:  # one session per request, as in the app
        found = set(ids_of((await SimilarService(reader).suggest("moestuin", None, 20)).elsewhere))
    await heartbeats.beat_now(engine)
    return found


async def builds(engine: AsyncEngine) -> int:
    async with create_session_factory(engine)() as reader:
        return holder_for(reader).builds


async def oldest_kept(session: AsyncSession) -> int | None:
    async with transaction(session):
        return await session.scalar(select(func.min(IndexChange.version)))


async def prune(session: AsyncSession) -> int:
    async with transaction(session):
        return await heartbeats.prune(session, utcnow())


async def test_pruning_waits_for_the_slow_worker_and_removes_what_both_applied(
    session: AsyncSession, world: World, engine: AsyncEngine, other_engine: AsyncEngine
) -> None:
    first = await moestuin(session, world, "Moestuin voor de buurt")
    await moestuinen(engine)  # this worker stops here
    slow = (await change_feed.read_position(session)).version
    new = await moestuin(session, world, "Moestuin achter de flat")
    assert await moestuinen(other_engine) == {first, new}

    assert await prune(session) > 0  # what both applied goes
    assert await oldest_kept(session) == slow + 1  # what the slow one has not applied stays
    assert await moestuinen(engine) == {first, new}
    assert await builds(engine) == 1  # it caught up from the log, no rebuild

    await prune(session)  # now both applied everything
    assert await oldest_kept(session) is None
    assert await builds(other_engine) == 1


async def test_a_worker_silent_too_long_stops_holding_pruning_back_and_rebuilds_when_back(
    session: AsyncSession, world: World, engine: AsyncEngine, other_engine: AsyncEngine
) -> None:
    first = await moestuin(session, world, "Moestuin voor de buurt")
    await moestuinen(engine)
    process = heartbeats.heartbeat_of(engine).process
    new = await moestuin(session, world, "Moestuin achter de flat")
    await moestuinen(other_engine)
    async with transaction(session):  # the first worker has not been seen for longer than DEAD_AFTER
        silent = utcnow() - heartbeats.DEAD_AFTER - timedelta(seconds=1)
        own_row = IndexHeartbeat.process == process
        await session.execute(update(IndexHeartbeat).where(own_row).values(seen_at=silent))

    assert await prune(session) > 0
    assert await oldest_kept(session) is None  # only the live worker counted, and it applied all
    third = await moestuin(session, world, "Moestuin bij de school")
    expected = {first, new, third}
    assert await moestuinen(other_engine) == expected
    assert await builds(other_engine) == 1
    assert await moestuinen(engine) == expected  # back, behind the pruned log: it rebuilds
    assert await builds(engine) == 2


async def test_with_no_live_worker_the_whole_log_is_pruned_and_old_heartbeats_are_forgotten(
    session: AsyncSession, world: World, engine: AsyncEngine
) -> None:
    await moestuin(session, world, "Moestuin voor de buurt")
    await moestuinen(engine)
    async with transaction(session):
        later = utcnow() + heartbeats.FORGET_AFTER + timedelta(seconds=1)
        assert await heartbeats.prune(session, later) > 0
        assert await session.scalar(select(func.count()).select_from(IndexChange)) == 0
        assert await session.scalar(select(func.count()).select_from(IndexHeartbeat)) == 0


async def test_the_pruning_job_writes_its_own_workers_beat_before_it_prunes(
    session: AsyncSession, world: World, engine: AsyncEngine
) -> None:
    await moestuin(session, world, "Moestuin voor de buurt")
    async with create_session_factory(engine)() as reader:
        await SimilarService(reader).suggest("moestuin", None)
        applied = holder_for(reader).position
    assert applied is not None
    await moestuin(session, world, "Moestuin achter de flat")  # not applied by this worker yet
    sessions = create_session_factory(engine)
    context = JobContext(sessions, cast("Mailer", RecordingMailer()), Settings(), utcnow())
    await registry.prune_index_changes(context, {})
    assert await oldest_kept(session) == applied.version + 1
