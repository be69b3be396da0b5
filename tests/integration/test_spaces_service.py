"""Spaces and bookings: who registers and changes a space, booking rules, cancelling, matching."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from conftest import World, new_initiatives
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.errors import DomainError, InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives.rules import DraftContent, SpaceNeedInput
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.people.roles import Actor
from buurtbudget.people.service import find_by_email
from buurtbudget.spaces import errors
from buurtbudget.spaces.bookings import BookingInput, BookingService
from buurtbudget.spaces.index import SpaceIndexHolder
from buurtbudget.spaces.matches import MatchOptions, SpaceMatcher
from buurtbudget.spaces.models import Booking, Space
from buurtbudget.spaces.periods import Window
from buurtbudget.spaces.rules import SpaceInput
from buurtbudget.spaces.service import SpaceFilter, SpaceService
from buurtbudget.workdays import AMSTERDAM

WEEKDAYS_9_TO_22 = [Window(day, 9 * 60, 22 * 60) for day in range(5)]


def coming(weekday: int, *, weeks: int = 1) -> date:
    """A date on this weekday (0 is Monday) at least `weeks` weeks from today, in Amsterdam."""
    today = datetime.now(AMSTERDAM).date()
    return today + timedelta(days=7 * weeks + (weekday - today.weekday()) % 7)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """Wall-clock time in Amsterdam on `day`, as an aware UTC datetime."""
    return datetime.combine(day, time(hour, minute), tzinfo=AMSTERDAM).astimezone(UTC)


TUESDAY = coming(1)


def space_input(world: World, **changes: object) -> SpaceInput:
    fields: dict[str, object] = {
        "name": "Buurthuis De Kade",
        "neighbourhood_id": world.zuilen_id,
        "capacity": 40,
        "description": "Een grote zaal met keuken.",
        "address": "Kade 1, Utrecht",
        "price_per_hour_cents": 0,
        "wheelchair_accessible": True,
        "accessible_toilet": True,
        "facilities": ["keuken", "beamer"],
        "opening_hours": WEEKDAYS_9_TO_22,
    }
    fields.update(changes)
    return SpaceInput(**fields)  # type: ignore[arg-type]


async def register(
    session: AsyncSession, world: World, by: str = "broker", owner: str | None = None, **changes: object
) -> Space:
    return await SpaceService(session).register(
        world.actors[by], space_input(world, **changes), owner_email=owner
    )


def evening(day: date = TUESDAY, start: int = 19, end: int = 21, people: int = 20) -> BookingInput:
    return BookingInput(at(day, start), at(day, end), people, "Kookles voor kinderen")


async def count(session: AsyncSession, model: type[object]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def owner_actor(session: AsyncSession, email: str) -> Actor:
    from buurtbudget.people.service import actor_for

    person = await find_by_email(session, email)
    assert person is not None
    return actor_for(person)


async def test_a_broker_registers_a_space_for_its_owner_and_both_may_change_it(
    session: AsyncSession, world: World
) -> None:
    space = await register(session, world, owner="beheer@dekade.example.org")
    space_id = space.id
    owner = await owner_actor(session, "beheer@dekade.example.org")
    assert space.owner_id == owner.person_id
    assert space.facilities == ["beamer", "keuken"]
    assert [(w.weekday, w.opens_minute, w.closes_minute) for w in space.opening_hours][:1] == [(0, 540, 1320)]
    service = SpaceService(session)
    changed = await service.update(owner, space.id, space_input(world, capacity=60, facilities=["kitchen"]))
    assert (changed.capacity, changed.facilities) == (60, ["keuken"])
    changed = await service.update(world.actors["broker"], space.id, space_input(world, name="De Kade"))
    assert changed.name == "De Kade"
    for outsider in ("resident", "other_broker", "juror", "other_municipality_admin"):
        with pytest.raises(errors.NotASpaceManager):
            await service.update(world.actors[outsider], space_id, space_input(world, capacity=1))
    # the broker of Zuilen cannot move the space to a neighbourhood he does not serve
    with pytest.raises(errors.NotASpaceManager):
        await service.update(
            world.actors["broker"], space_id, space_input(world, neighbourhood_id=world.lunetten_id)
        )
    assert (await service.get(space_id)).capacity == 40  # the last accepted change
    actions = (await session.execute(select(AuditEntry.action).order_by(AuditEntry.id))).scalars().all()
    assert actions[-3:] == ["space.registered", "space.changed", "space.changed"]


async def test_changing_some_fields_merges_them_into_the_latest_stored_space(
    database_url: str, session: AsyncSession, world: World
) -> None:
    space = await register(session, world)  # this session keeps its copy of the space
    space_id = space.id  # a refused change rolls back and expires that copy
    engine = create_engine(database_url)  # someone else changes the name meanwhile
    try:
        async with create_session_factory(engine)() as other:
            await SpaceService(other).change(world.actors["broker"], space_id, {"name": "De Nieuwe Kade"})
    finally:
        await engine.dispose()
    changed = await SpaceService(session).change(world.actors["broker"], space_id, {"capacity": 60})
    assert (changed.name, changed.capacity) == ("De Nieuwe Kade", 60)
    assert changed.facilities == ["beamer", "keuken"]
    with pytest.raises(InvalidInput) as refused:
        await SpaceService(session).change(world.actors["broker"], space_id, {"capacity": 0})
    assert refused.value.field == "capacity"
    with pytest.raises(errors.NotASpaceManager):
        await SpaceService(session).change(world.actors["resident"], space_id, {"capacity": 2})
    assert (await SpaceService(session).get(space_id)).capacity == 60


async def test_residents_register_their_own_space_and_only_brokers_name_another_owner(
    session: AsyncSession, world: World
) -> None:
    space = await register(session, world, by="resident", name="Mijn schuur", capacity=8, facilities=[])
    assert space.owner_id == world.actors["resident"].person_id
    with pytest.raises(errors.NotASpaceManager):
        await register(session, world, by="resident", owner="iemand@example.org")
    with pytest.raises(errors.NotASpaceManager):  # a broker of Lunetten, for a space in Zuilen
        await register(session, world, by="other_broker", owner="iemand@example.org")
    with pytest.raises(NotAllowed):
        await SpaceService(session).register(Actor(None), space_input(world))
    assert await count(session, Space) == 1


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"name": " x "}, InvalidInput, "name"),
        ({"capacity": 0}, InvalidInput, "capacity"),
        ({"capacity": 100_001}, InvalidInput, "capacity"),
        ({"price_per_hour_cents": -1}, InvalidInput, "price_per_hour_cents"),
        ({"lat": 52.1}, InvalidInput, "lat"),
        ({"lat": 123.0, "lon": 5.1}, InvalidInput, "lat"),
        ({"lat": 52.1, "lon": 500.0}, InvalidInput, "lon"),
        ({"facilities": ["teleporter"]}, errors.UnknownFacility, "facilities"),
        ({"opening_hours": [Window(0, 600, 540)]}, InvalidInput, "opening_hours"),
        ({"opening_hours": [Window(7, 540, 600)]}, InvalidInput, "opening_hours"),
        ({"opening_hours": [Window(0, 540, 720), Window(0, 700, 800)]}, InvalidInput, "opening_hours"),
        ({"opening_hours": [Window(0, 541, 600)]}, InvalidInput, "opening_hours"),
        ({"neighbourhood_id": 999_999}, InvalidInput, "neighbourhood_id"),
    ],
)
async def test_bad_space_input_is_refused_and_nothing_is_stored(
    session: AsyncSession, world: World, changes: dict[str, object], error: type[InvalidInput], field: str
) -> None:
    audits = await count(session, AuditEntry)
    with pytest.raises(error) as raised:
        await register(session, world, **changes)
    assert raised.value.field == field
    assert (await count(session, Space), await count(session, AuditEntry)) == (0, audits)


async def test_search_filters_on_people_access_facilities_price_and_words(
    session: AsyncSession, world: World
) -> None:
    await register(session, world)
    await register(
        session,
        world,
        name="Kerkzaal Ondiep",
        neighbourhood_id=world.ondiep_id,
        capacity=120,
        price_per_hour_cents=25_00,
        accessible_toilet=False,
        facilities=["kitchen", "piano"],
    )
    await register(
        session, world, name="Atelier", capacity=12, price_per_hour_cents=10_00, wheelchair_accessible=False,
        accessible_toilet=False, facilities=["garden"],
    )  # fmt: skip
    service = SpaceService(session)

    async def names(**filters: object) -> list[str]:
        return [s.name for s in (await service.search(SpaceFilter(**filters))).items]  # type: ignore[arg-type]

    assert await names() == ["Atelier", "Buurthuis De Kade", "Kerkzaal Ondiep"]
    assert await names(people=50) == ["Kerkzaal Ondiep"]
    assert await names(wheelchair_accessible=True, accessible_toilet=True) == ["Buurthuis De Kade"]
    assert await names(facilities=("Keuken",)) == ["Buurthuis De Kade", "Kerkzaal Ondiep"]
    assert await names(facilities=("tuin",)) == ["Atelier"]
    assert await names(max_price_per_hour_cents=0) == ["Buurthuis De Kade"]
    assert await names(text="kerk") == ["Kerkzaal Ondiep"]
    assert await names(neighbourhood_id=world.ondiep_id) == ["Kerkzaal Ondiep"]
    page = await service.search(SpaceFilter(per_page=2, page=2))
    assert (page.total, [s.name for s in page.items]) == (3, ["Kerkzaal Ondiep"])
    with pytest.raises(errors.UnknownFacility):
        await names(facilities=("teleporter",))


async def test_booking_refuses_a_second_booking_until_the_first_is_cancelled(
    session: AsyncSession, world: World
) -> None:
    space = await register(session, world)
    space_id = space.id
    bookings = BookingService(session)
    first = await bookings.book(world.actors["resident"], space_id, evening())
    assert (first.state, first.people, first.title) == ("booked", 20, "Kookles voor kinderen")
    first_id = first.id
    with pytest.raises(errors.BookingConflict):
        await bookings.book(world.actors["other_resident"], space_id, evening())
    with pytest.raises(errors.BookingConflict):  # overlapping, not equal
        await bookings.book(world.actors["other_resident"], space_id, evening(start=20, end=22))
    with pytest.raises(errors.BookingConflict):
        await bookings.book(world.actors["other_resident"], space_id, evening(start=18, end=19 + 1))
    # back to back is fine
    await bookings.book(world.actors["other_resident"], space_id, evening(start=17, end=19))
    await bookings.book(world.actors["other_resident"], space_id, evening(start=21, end=22))
    cancelled = await bookings.cancel(world.actors["resident"], first_id)
    assert (cancelled.state, cancelled.cancelled_by_id) == ("cancelled", world.actors["resident"].person_id)
    again = await bookings.book(world.actors["other_resident"], space_id, evening())
    assert again.state == "booked"
    actions = (await session.execute(select(AuditEntry.action).order_by(AuditEntry.id))).scalars().all()
    assert actions[-5:] == [
        "booking.booked",
        "booking.booked",
        "booking.booked",
        "booking.cancelled",
        "booking.booked",
    ]


SATURDAY = coming(5)


@pytest.mark.parametrize(
    ("wanted", "error", "field"),
    [
        (BookingInput(at(TUESDAY, 21), at(TUESDAY, 19), 5, "x"), errors.BookingEndsBeforeStart, "ends_at"),
        (BookingInput(at(TUESDAY, 19), at(TUESDAY, 19), 5, "x"), errors.BookingEndsBeforeStart, "ends_at"),
        (
            BookingInput(at(date(2020, 6, 2), 19), at(date(2020, 6, 2), 21), 5, "x"),
            errors.BookingInPast,
            "starts_at",
        ),
        (
            BookingInput(at(coming(1, weeks=200), 19), at(coming(1, weeks=200), 21), 5, "x"),
            errors.BookingTooFarAhead,
            "starts_at",
        ),
        (BookingInput(at(TUESDAY, 0), at(TUESDAY, 23), 5, "x"), errors.BookingTooLong, "ends_at"),
        (
            BookingInput(at(TUESDAY, 21), at(TUESDAY + timedelta(days=1), 1), 5, "x"),
            errors.BookingSpansDays,
            "ends_at",
        ),
        (BookingInput(at(TUESDAY, 19, 10), at(TUESDAY, 21), 5, "x"), errors.NotOnQuarterHour, "starts_at"),
        (BookingInput(at(SATURDAY, 10), at(SATURDAY, 12), 5, "x"), errors.OutsideOpeningHours, "starts_at"),
        (BookingInput(at(TUESDAY, 21), at(TUESDAY, 23), 5, "x"), errors.OutsideOpeningHours, "starts_at"),
        (BookingInput(at(TUESDAY, 19), at(TUESDAY, 21), 41, "x"), errors.OverCapacity, "people"),
        (BookingInput(at(TUESDAY, 19), at(TUESDAY, 21), 0, "x"), InvalidInput, "people"),
        (BookingInput(at(TUESDAY, 19), at(TUESDAY, 21), 5, "  "), InvalidInput, "title"),
    ],
)
async def test_bad_bookings_get_a_specific_error_and_change_nothing(
    session: AsyncSession, world: World, wanted: BookingInput, error: type[InvalidInput], field: str
) -> None:
    space = await register(session, world)
    space_id = space.id
    audits = await count(session, AuditEntry)
    with pytest.raises(error) as raised:
        await BookingService(session).book(world.actors["resident"], space_id, wanted)
    assert type(raised.value) is error
    assert raised.value.field == field
    assert (await count(session, Booking), await count(session, AuditEntry)) == (0, audits)


async def test_closed_unknown_and_anonymous_bookings_are_refused(session: AsyncSession, world: World) -> None:
    space = await register(session, world, bookable=False)
    space_id = space.id
    bookings = BookingService(session)
    with pytest.raises(errors.SpaceNotBookable):
        await bookings.book(world.actors["resident"], space_id, evening())
    with pytest.raises(NotFound):
        await bookings.book(world.actors["resident"], 999_999, evening())
    with pytest.raises(NotAllowed):
        await bookings.book(Actor(None), space_id, evening())
    always_open = await register(session, world, name="Plein", opening_hours=[])
    await bookings.book(world.actors["resident"], always_open.id, evening(day=SATURDAY, start=10, end=23))
    late = BookingInput(at(SATURDAY, 23), at(SATURDAY + timedelta(days=1), 0), 5, "Laat")  # ends at midnight
    await bookings.book(world.actors["resident"], always_open.id, late)
    assert await count(session, Booking) == 2


async def test_booking_for_an_initiative_needs_to_be_its_resident_or_broker(
    session: AsyncSession, world: World
) -> None:
    space = await register(session, world)
    space_id = space.id
    [initiative_id] = await new_initiatives(session, world, 1)
    bookings = BookingService(session)
    wanted = BookingInput(at(TUESDAY, 19), at(TUESDAY, 21), 20, "Kookles", initiative_id)
    with pytest.raises(NotFound):  # another resident does not even see the draft
        await bookings.book(world.actors["other_resident"], space_id, wanted)
    booking = await bookings.book(world.actors["resident"], space_id, wanted)
    assert booking.initiative_id == initiative_id


async def test_the_booker_the_owner_and_the_broker_cancel_others_do_not_see_it(
    session: AsyncSession, world: World
) -> None:
    space = await register(session, world, owner="beheer@dekade.example.org")
    space_id = space.id
    owner = await owner_actor(session, "beheer@dekade.example.org")
    bookings = BookingService(session)
    for number, canceller in enumerate([world.actors["resident"], owner, world.actors["broker"]]):
        wanted = evening(start=10 + 2 * number, end=11 + 2 * number)
        booking_id = (await bookings.book(world.actors["resident"], space_id, wanted)).id
        for outsider in ("other_resident", "other_broker", "juror", "advisor"):
            with pytest.raises(NotFound):
                await bookings.cancel(world.actors[outsider], booking_id)
        assert (await bookings.cancel(canceller, booking_id)).state == "cancelled"
        with pytest.raises(errors.AlreadyCancelled):
            await bookings.cancel(canceller, booking_id)
    mine = await bookings.mine(world.actors["resident"])
    assert len(mine) == 3
    assert await bookings.mine(world.actors["other_resident"]) == []


async def test_a_booking_that_has_begun_cannot_be_cancelled(session: AsyncSession, world: World) -> None:
    space = await register(session, world, opening_hours=[])
    space_id = space.id
    booking = await BookingService(session).book(world.actors["resident"], space_id, evening())
    booking.starts_at = datetime.now(UTC) - timedelta(minutes=5)  # time passes
    await session.commit()
    with pytest.raises(errors.BookingOver):
        await BookingService(session).cancel(world.actors["resident"], booking.id)


async def initiative_needing_a_space(session: AsyncSession, world: World, people: int = 20) -> int:
    [initiative_id] = await new_initiatives(session, world, 1)
    await InitiativeService(session).update_draft(
        world.actors["resident"],
        initiative_id,
        DraftContent(
            space_needs=[SpaceNeedInput("Zaal met keuken", people, at(TUESDAY, 19), at(TUESDAY, 21))]
        ),
    )
    return initiative_id


async def test_an_initiative_gets_suitable_spaces_ranked_and_explained(
    session: AsyncSession, world: World
) -> None:
    kade = await register(session, world)
    kerk = await register(
        session, world, name="Kerkzaal", neighbourhood_id=world.ondiep_id, capacity=120,
        price_per_hour_cents=25_00, accessible_toilet=False, facilities=["kitchen", "piano"],
    )  # fmt: skip
    await register(session, world, name="Klein atelier", capacity=10)  # too small
    await register(session, world, name="Weekendzaal", opening_hours=[Window(5, 540, 1320)])  # closed
    await register(session, world, name="Gesloten zaal", bookable=False)  # not open for bookings
    initiative_id = await initiative_needing_a_space(session, world)
    matcher = SpaceMatcher(session)
    _initiative, [result] = await matcher.for_initiative(
        world.actors["resident"], initiative_id, MatchOptions()
    )
    assert [m.space.id for m in result.matches] == [kade.id, kerk.id]
    top = result.matches[0].match
    assert 0.0 <= result.matches[1].match.score <= top.score <= 1.0
    assert [r.text for r in top.reasons] == [
        "past voor 20 mensen (maximaal 40)",
        "open en vrij op het gevraagde moment",
        "gratis",
        "in dezelfde buurt (Zuilen)",
    ]
    assert "in de aangrenzende buurt Ondiep" in [r.text for r in result.matches[1].match.reasons]
    options = MatchOptions(accessible_toilet=True, wanted_facilities=("beamer",))
    _initiative, [result] = await matcher.for_initiative(world.actors["resident"], initiative_id, options)
    assert [m.space.id for m in result.matches] == [kade.id]
    # booked at the needed time: it drops out; cancelled: it is back
    booking = await BookingService(session).book(
        world.actors["other_resident"], kade.id, evening(start=20, end=22)
    )
    _initiative, [result] = await matcher.for_initiative(
        world.actors["resident"], initiative_id, MatchOptions()
    )
    assert [m.space.id for m in result.matches] == [kerk.id]
    await BookingService(session).cancel(world.actors["other_resident"], booking.id)
    _initiative, [result] = await matcher.for_initiative(
        world.actors["resident"], initiative_id, MatchOptions()
    )
    assert [m.space.id for m in result.matches] == [kade.id, kerk.id]
    with pytest.raises(NotFound):  # a draft of someone else
        await matcher.for_initiative(world.actors["other_resident"], initiative_id, MatchOptions())
    with pytest.raises(errors.UnknownFacility):
        await matcher.for_initiative(
            world.actors["resident"], initiative_id, MatchOptions(required_facilities=("teleporter",))
        )


async def test_each_worker_keeps_its_index_up_to_date_from_changed_rows_only(
    database_url: str, session: AsyncSession, world: World
) -> None:
    kade = await register(session, world)
    await register(session, world, name="Kerkzaal", neighbourhood_id=world.ondiep_id, capacity=120)
    engine = create_engine(database_url)  # a second worker: its own connections and its own index
    try:
        async with create_session_factory(engine)() as other:
            worker = SpaceIndexHolder()
            index = await worker.current(other)
            await other.commit()  # end the read (on SQLite every transaction holds the write lock)
            assert (len(index), worker.last_applied) == (2, 2)
            assert await worker.current(other) is index
            await other.commit()
            assert worker.last_applied == 0  # nothing changed: only the marker was read

            await SpaceService(session).update(
                world.actors["broker"], kade.id, space_input(world, capacity=10)
            )
            booking = await BookingService(session).book(world.actors["resident"], kade.id, evening(people=5))
            await worker.current(other)
            await other.commit()
            assert worker.last_applied == 2  # the changed space and the new booking, nothing else
            assert [b[2] for b in index.bookings(str(kade.id))] == [str(booking.id)]
            assert "fits_people" in {r.code for m in index.match(_need(world, 30)) for r in m.reasons}
            assert str(kade.id) not in {m.id for m in index.match(_need(world, 30))}  # now too small

            await BookingService(session).cancel(world.actors["resident"], booking.id)
            await SpaceService(session).update(
                world.actors["broker"], kade.id, space_input(world, bookable=False)
            )
            await worker.current(other)
            await other.commit()
            assert worker.last_applied == 2
            assert len(index) == 1
    finally:
        await engine.dispose()


def _need(world: World, people: int) -> object:
    from matching import Area, SpaceNeed

    return SpaceNeed(Area("Zuilen", "Utrecht"), people)


async def test_domain_errors_of_spaces_carry_english_message_ids(session: AsyncSession, world: World) -> None:
    space = await register(session, world)
    space_id = space.id
    with pytest.raises(DomainError) as raised:
        await BookingService(session).book(world.actors["resident"], space_id, evening(people=41))
    assert raised.value.message == "there are more people than the space holds"
    assert raised.value.params["capacity"] == 40
