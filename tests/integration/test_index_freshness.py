"""Every worker's in-memory indexes follow one change log: late commits, renames and new borders.

Two workers are two engines, each with its own index, on PostgreSQL: there a transaction that changed a
row first can commit after another worker's change was applied (SQLite lets one transaction write).
"""

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from conftest import World
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from test_similar_service import _initiative, ids_of, seed_similar
from test_spaces_service import register
from test_volunteers_service import open_initiative, profile, volunteer

from buurtbudget.db import change_feed, heartbeats
from buurtbudget.db.base import utcnow
from buurtbudget.db.change_log import IndexHeartbeat
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.initiatives.models import Initiative
from buurtbudget.places import service as places
from buurtbudget.similar.holder import holder_for
from buurtbudget.similar.service import SimilarService
from buurtbudget.spaces.index import SpaceIndexHolder
from buurtbudget.spaces.models import Space
from buurtbudget.volunteers.index import Matcher
from buurtbudget.volunteers.models import VolunteerProfile
from buurtbudget.volunteers.service import VolunteerService
from matching import Area, SpaceNeed

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
def database_url(postgres_url: str) -> str:
    return postgres_url


@pytest.fixture
async def other_worker(database_url: str) -> AsyncIterator[Sessions]:
    """A second worker process: its own engine, so its own connections and its own indexes."""
    engine = create_engine(database_url)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()


async def rename(session: AsyncSession, world: World, neighbourhood_id: int, name: str) -> None:
    async with transaction(session):
        neighbourhood = await places.get_neighbourhood(session, neighbourhood_id)
        actor_id = world.actors["platform_admin"].person_id
        await places.rename_neighbourhood(session, neighbourhood, name, actor_id=actor_id)


async def border(session: AsyncSession, first_id: int, second_id: int) -> None:
    async with transaction(session):
        first = await places.get_neighbourhood(session, first_id)
        await places.ensure_adjacent(session, first, await places.get_neighbourhood(session, second_id))


# -- similar initiatives ---------------------------------------------------------------------------


async def similar_ids(sessions: Sessions, query: str) -> list[int]:
    async with sessions() as reader:  # one session per request, as in the app
        return ids_of((await SimilarService(reader).suggest(query, None, 20)).elsewhere)


async def similar_builds(sessions: Sessions) -> int:
    async with sessions() as reader:
        return holder_for(reader).builds


async def test_similar_a_change_that_commits_late_is_applied_when_it_commits(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    ids = await seed_similar(session, world)
    moestuin = ids["moestuin_bovenveen"]
    assert await similar_ids(other_worker, "moestuin") == [moestuin]
    async with other_worker() as late, transaction(late):
        initiative = await late.get(Initiative, moestuin)
        assert initiative is not None
        initiative.state = "withdrawn"
        await late.flush()  # changed (and stamped) first ...
        new = await _initiative(session, world, "resident", world.zuilen_id, "Moestuin achter de flat")
        assert set(await similar_ids(other_worker, "moestuin")) == {moestuin, new}
    # ... and committed after a later change was applied
    assert await similar_ids(other_worker, "moestuin") == [new]
    assert await similar_builds(other_worker) == 1


async def test_similar_a_renamed_neighbourhood_shows_on_every_worker(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    ids = await seed_similar(session, world)
    assert ids["kook_ondiep"] in await similar_ids(other_worker, "kookclub kinderen")
    await rename(session, world, world.ondiep_id, "Ondiep-Noord")
    async with other_worker() as reader:
        found = (await SimilarService(reader).suggest("kookclub kinderen", None, 20)).elsewhere
        [card] = [f.card for f in found if f.card.id == ids["kook_ondiep"]]
        assert card.neighbourhood == "Ondiep-Noord"
        assert holder_for(reader).builds == 1  # only that neighbourhood's initiatives were read again


async def test_similar_a_new_border_moves_every_worker_on_without_a_rebuild(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    await seed_similar(session, world)
    before = await similar_ids(other_worker, "kooklessen")
    await border(session, world.zuilen_id, world.lunetten_id)
    assert await similar_ids(other_worker, "kooklessen") == before  # similarity knows no borders
    async with other_worker() as reader:
        await SimilarService(reader).suggest("kooklessen", None)
        holder = holder_for(reader)
        assert holder.position == await change_feed.read_position(reader)
        assert holder.builds == 1


async def test_a_worker_behind_the_pruned_log_rebuilds_and_one_up_to_date_goes_on(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    ids = await seed_similar(session, world)
    await SimilarService(session).suggest("moestuin", None)  # this worker stops here
    new = await _initiative(session, world, "resident", world.zuilen_id, "Moestuin achter de flat")
    assert set(await similar_ids(other_worker, "moestuin")) == {ids["moestuin_bovenveen"], new}
    async with transaction(session):
        # Both workers silent for longer than DEAD_AFTER: neither holds pruning back.
        assert await heartbeats.prune(session, utcnow() + heartbeats.DEAD_AFTER + timedelta(seconds=1)) > 0
    third = await _initiative(session, world, "resident", world.zuilen_id, "Moestuin bij de school")
    expected = {ids["moestuin_bovenveen"], new, third}
    assert set(await similar_ids(other_worker, "moestuin")) == expected
    assert await similar_builds(other_worker) == 1  # it had applied all that was pruned
    assert set(ids_of((await SimilarService(session).suggest("moestuin", None)).elsewhere)) == expected
    assert holder_for(session).builds == 2  # it had not: the log no longer reaches back to it


async def test_reading_the_log_writes_the_workers_heartbeat_at_most_once_per_interval(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    await _initiative(session, world, "resident", world.zuilen_id, "Moestuin voor de buurt")
    await similar_ids(other_worker, "moestuin")
    process = heartbeats.heartbeat_of(other_worker.kw["bind"]).process
    query = select(IndexHeartbeat.version).where(IndexHeartbeat.process == process)
    async with other_worker() as reader:
        applied = holder_for(reader).position
        assert applied is not None
        assert await reader.scalar(query) == applied.version
    await _initiative(session, world, "resident", world.zuilen_id, "Moestuin achter de flat")
    await similar_ids(other_worker, "moestuin")
    async with other_worker() as reader:
        assert holder_for(reader).position != applied  # applied, but not said again within BEAT_EVERY
        assert await reader.scalar(query) == applied.version


# -- volunteers ------------------------------------------------------------------------------------


async def suggested(
    sessions: Sessions, matcher: Matcher, world: World, initiative_id: int
) -> dict[int, set[str]]:
    """The suggested volunteers' profile ids and their reasons' codes, as the other worker sees them."""
    async with sessions() as reader:
        found = await VolunteerService(reader, matcher).volunteer_suggestions(
            world.actors["resident"], initiative_id, "nl"
        )
        return {s.volunteer.profile_id: {r.code for r in s.reasons} for s in found}


async def test_volunteers_a_change_that_commits_late_is_applied_when_it_commits(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    initiative_id = await open_initiative(session, world)
    _actor, vera = await volunteer(session, "vera@example.org", profile(world))
    matcher = Matcher()
    assert set(await suggested(other_worker, matcher, world, initiative_id)) == {vera.id}
    async with other_worker() as late, transaction(late):
        row = await late.get(VolunteerProfile, vera.id)
        assert row is not None
        row.consent = False
        await late.flush()  # changed first ...
        _actor, wim = await volunteer(session, "wim@example.org", profile(world))
        assert set(await suggested(other_worker, matcher, world, initiative_id)) == {vera.id, wim.id}
    # ... and committed after a later change was applied
    assert set(await suggested(other_worker, matcher, world, initiative_id)) == {wim.id}
    assert matcher.builds == 1


async def test_volunteers_a_renamed_neighbourhood_reaches_every_worker(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    initiative_id = await open_initiative(session, world)
    _actor, vera = await volunteer(session, "vera@example.org", profile(world))
    matcher = Matcher()
    assert set(await suggested(other_worker, matcher, world, initiative_id)) == {vera.id}
    await rename(session, world, world.ondiep_id, "Ondiep-Noord")
    assert set(await suggested(other_worker, matcher, world, initiative_id)) == {vera.id}
    assert matcher.builds == 2  # its areas and borders were read again


async def test_volunteers_a_new_border_reaches_every_worker(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    initiative_id = await open_initiative(session, world)  # in Zuilen
    _actor, lotte = await volunteer(
        session, "lotte@example.org", profile(world, neighbourhood_id=world.lunetten_id)
    )
    matcher = Matcher()
    assert (
        "adjacent_neighbourhood"
        not in (await suggested(other_worker, matcher, world, initiative_id))[lotte.id]
    )
    await border(session, world.zuilen_id, world.lunetten_id)
    assert (
        "adjacent_neighbourhood" in (await suggested(other_worker, matcher, world, initiative_id))[lotte.id]
    )


# -- spaces ----------------------------------------------------------------------------------------


async def space_matches(sessions: Sessions, worker: SpaceIndexHolder, need: SpaceNeed) -> dict[int, set[str]]:
    """The matching spaces' ids and their reasons' codes, as the other worker sees them."""
    async with sessions() as reader:
        index = await worker.current(reader)
        return {int(m.id): {r.code for r in m.reasons} for m in index.match(need)}


ZUILEN_30 = SpaceNeed(Area("Zuilen", "Utrecht"), 30)


async def test_spaces_a_change_that_commits_late_is_applied_when_it_commits(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    kade = await register(session, world)
    worker = SpaceIndexHolder()
    assert set(await space_matches(other_worker, worker, ZUILEN_30)) == {kade.id}
    async with other_worker() as late, transaction(late):
        row = await late.get(Space, kade.id)
        assert row is not None
        row.capacity = 10
        await late.flush()  # changed first ...
        kerk = await register(session, world, name="Kerkzaal", neighbourhood_id=world.ondiep_id, capacity=120)
        assert set(await space_matches(other_worker, worker, ZUILEN_30)) == {kade.id, kerk.id}
    # ... and committed after a later change was applied: the Kade is now too small
    assert set(await space_matches(other_worker, worker, ZUILEN_30)) == {kerk.id}


async def test_spaces_a_renamed_neighbourhood_reaches_every_worker(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    kade = await register(session, world)
    worker = SpaceIndexHolder()
    assert "located_same_neighbourhood" in (await space_matches(other_worker, worker, ZUILEN_30))[kade.id]
    await rename(session, world, world.zuilen_id, "Zuilen-Oost")
    renamed = SpaceNeed(Area("Zuilen-Oost", "Utrecht"), 30)
    assert "located_same_neighbourhood" in (await space_matches(other_worker, worker, renamed))[kade.id]
    assert "located_same_neighbourhood" not in (await space_matches(other_worker, worker, ZUILEN_30))[kade.id]


async def test_spaces_a_new_border_reaches_every_worker(
    session: AsyncSession, world: World, other_worker: Sessions
) -> None:
    kade = await register(session, world, neighbourhood_id=world.lunetten_id)
    worker = SpaceIndexHolder()
    assert (
        "located_adjacent_neighbourhood"
        not in (await space_matches(other_worker, worker, ZUILEN_30))[kade.id]
    )
    await border(session, world.zuilen_id, world.lunetten_id)
    assert "located_adjacent_neighbourhood" in (await space_matches(other_worker, worker, ZUILEN_30))[kade.id]
