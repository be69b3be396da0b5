"""No double booking under concurrent requests: 20 sessions, each on its own connection, race for one slot."""

import asyncio
from collections.abc import Iterator
from datetime import datetime

import pytest
from conftest import World
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from test_spaces_service import TUESDAY, at, register

from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.spaces.bookings import BookingInput, BookingService
from buurtbudget.spaces.errors import BookingConflict
from buurtbudget.spaces.models import Booking

RACERS = 20
BOOKERS = ["resident", "other_resident", "broker", "juror", "advisor"]


@pytest.fixture
async def racing_engine(database_url: str) -> Iterator[AsyncEngine]:
    """An engine with a connection for every racer, so no request waits for the pool."""
    extra = {"pool_size": RACERS + 2, "max_overflow": 0} if database_url.startswith("postgresql") else {}
    engine = create_engine(database_url, **extra)
    yield engine  # type: ignore[misc]
    await engine.dispose()


async def race(
    engine: AsyncEngine, world: World, space_id: int, slots: list[tuple[datetime, datetime]]
) -> list[object]:
    """Every slot booked at once, each in its own session; the outcome of each (a booking or an error)."""
    sessions = create_session_factory(engine)

    async def one(number: int, starts_at: datetime, ends_at: datetime) -> object:
        async with sessions() as session:
            actor = world.actors[BOOKERS[number % len(BOOKERS)]]
            booking = await BookingService(session).book(
                actor, space_id, BookingInput(starts_at, ends_at, 10, f"Poging {number}")
            )
            return booking.id

    return await asyncio.gather(*(one(n, s, e) for n, (s, e) in enumerate(slots)), return_exceptions=True)


async def booked(session: AsyncSession) -> int:
    return int(
        await session.scalar(select(func.count()).select_from(Booking).where(Booking.state == "booked")) or 0
    )


async def test_twenty_concurrent_bookings_of_the_same_slot_give_exactly_one_booking(
    racing_engine: AsyncEngine, session: AsyncSession, world: World
) -> None:
    space_id = (await register(session, world)).id
    outcomes = await race(racing_engine, world, space_id, [(at(TUESDAY, 19), at(TUESDAY, 21))] * RACERS)
    winners = [o for o in outcomes if isinstance(o, int)]
    conflicts = [o for o in outcomes if isinstance(o, BookingConflict)]
    assert (len(winners), len(conflicts)) == (1, RACERS - 1), outcomes
    assert all(c.code == "booking_conflict" for c in conflicts)
    assert await session.scalar(select(func.count()).select_from(Booking)) == 1
    audited = select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "booking.booked")
    assert await session.scalar(audited) == 1


async def test_twenty_concurrent_overlapping_but_different_slots_give_exactly_one_booking(
    racing_engine: AsyncEngine, session: AsyncSession, world: World
) -> None:
    space_id = (await register(session, world)).id
    # 5 starts (17:00 .. 18:00) x 4 ends (19:15 .. 20:00): all different, all covering 18:00-19:15
    starts = [at(TUESDAY, 17), at(TUESDAY, 17, 15), at(TUESDAY, 17, 30), at(TUESDAY, 17, 45), at(TUESDAY, 18)]
    ends = [at(TUESDAY, 19, 15), at(TUESDAY, 19, 30), at(TUESDAY, 19, 45), at(TUESDAY, 20)]
    slots = [(start, end) for start in starts for end in ends]
    assert len(set(slots)) == RACERS
    outcomes = await race(racing_engine, world, space_id, slots)
    winners = [o for o in outcomes if isinstance(o, int)]
    assert len(winners) == 1, outcomes
    assert all(isinstance(o, BookingConflict) for o in outcomes if not isinstance(o, int)), outcomes
    assert await booked(session) == 1


async def test_concurrent_bookings_back_to_back_all_succeed(
    racing_engine: AsyncEngine, session: AsyncSession, world: World
) -> None:
    space_id = (await register(session, world)).id
    slots = [(at(TUESDAY, 9 + hour), at(TUESDAY, 10 + hour)) for hour in range(13)]
    outcomes = await race(racing_engine, world, space_id, slots)
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert await booked(session) == len(slots)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_postgresql_itself_refuses_overlapping_booked_periods(
    database_url: str, session: AsyncSession, world: World
) -> None:
    """The exclusion constraint, not only the service's check: a raw insert of an overlap fails."""
    space_id = (await register(session, world)).id
    person_id = world.actors["resident"].person_id
    insert = text(
        "INSERT INTO bookings (space_id, booked_by_id, title, people, starts_at, ends_at, state, created_at)"
        " VALUES (:space, :person, 'x', 1, :starts, :ends, :state, now())"
    )
    values = {"space": space_id, "person": person_id, "state": "booked"}
    await session.execute(insert, {**values, "starts": at(TUESDAY, 19), "ends": at(TUESDAY, 21)})
    await session.commit()
    with pytest.raises(IntegrityError, match="ex_bookings_no_overlap"):
        await session.execute(insert, {**values, "starts": at(TUESDAY, 20), "ends": at(TUESDAY, 22)})
    await session.rollback()
    # a cancelled booking may overlap, and so may a booking back to back
    await session.execute(
        insert, {**values, "state": "cancelled", "starts": at(TUESDAY, 20), "ends": at(TUESDAY, 22)}
    )
    await session.execute(insert, {**values, "starts": at(TUESDAY, 21), "ends": at(TUESDAY, 22)})
    await session.commit()
    assert await booked(session) == 2


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_a_refusal_by_the_constraint_becomes_the_booking_conflict(
    database_url: str, session: AsyncSession, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Were the service's own check to miss an overlap, the constraint's refusal still reads as a conflict."""
    space_id = (await register(session, world)).id
    bookings = BookingService(session)
    await bookings.book(
        world.actors["resident"], space_id, BookingInput(at(TUESDAY, 19), at(TUESDAY, 21), 5, "a")
    )

    async def misses(*_args: object) -> bool:
        return False

    monkeypatch.setattr(BookingService, "_overlapping", misses)
    audits = await session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(BookingConflict):
        await bookings.book(
            world.actors["other_resident"], space_id, BookingInput(at(TUESDAY, 20), at(TUESDAY, 22), 5, "b")
        )
    assert await booked(session) == 1
    assert await session.scalar(select(func.count()).select_from(AuditEntry)) == audits
