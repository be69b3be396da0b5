"""The matching engine's space index, built from the database once per process and kept up to date.

Every worker follows the index change log (`buurtbudget.db.change_feed`): what changed since the
version it applied is read outside the lock, and only the spaces and bookings it names are read and
applied under it. A changed neighbourhood or municipality (a rename, a new border) rebuilds the index,
whose areas hold names and whose geography holds the borders, as does a new log generation.
"""

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from weakref import WeakKeyDictionary

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from buurtbudget.db import change_feed, heartbeats
from buurtbudget.db.base import utcnow
from buurtbudget.db.change_feed import Batch, Position
from buurtbudget.db.changes import BOOKING, MUNICIPALITY, NEIGHBOURHOOD, SPACE
from buurtbudget.places.models import Adjacency, Neighbourhood
from buurtbudget.spaces.models import BOOKED, Booking, Space
from buurtbudget.spaces.periods import clock
from buurtbudget.workdays import AMSTERDAM
from matching import Area, DatedSlot, Geography, SpaceIndex, SpaceProfile, WeeklySlot, default_catalogues

# Bookings that ended longer ago than this no longer matter for matching.
KEEP_PAST = timedelta(days=1)


def booking_slot(starts_at: datetime, ends_at: datetime) -> DatedSlot:
    """A stored booking as the engine's local wall-clock slot (bookings lie within one local day)."""
    start, end = starts_at.astimezone(AMSTERDAM), ends_at.astimezone(AMSTERDAM)
    end_time = end.time() if end.date() == start.date() else time(0)
    return DatedSlot(start.date(), start.time().replace(second=0, microsecond=0), end_time)


def profile_of(space: Space, area: Area) -> SpaceProfile:
    """A space row as the engine's profile (facilities the catalogue no longer knows are left out)."""
    known = default_catalogues().facilities.entries
    return SpaceProfile(
        id=str(space.id),
        name=space.name,
        area=area,
        capacity=space.capacity,
        price_per_hour_cents=space.price_per_hour_cents,
        wheelchair_accessible=space.wheelchair_accessible,
        accessible_toilet=space.accessible_toilet,
        facilities=tuple(code for code in space.facilities if code in known),
        opening=tuple(
            WeeklySlot(w.weekday, clock(w.opens_minute), clock(w.closes_minute)) for w in space.opening_hours
        ),
    )


@dataclass
class SpaceIndexHolder:
    """One process's index of one database, with the position in the change log it reflects."""

    index: SpaceIndex = field(default_factory=SpaceIndex)
    position: Position | None = None
    areas: dict[int, Area] = field(default_factory=dict)
    spaces: set[int] = field(default_factory=set)
    bookings: dict[int, int] = field(default_factory=dict)  # booking id -> space id
    last_applied: int = 0  # rows read and applied by the last refresh (0: only the log was read)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def current(self, session: AsyncSession) -> SpaceIndex:
        """The index, brought up to date with the database first when the log moved."""
        read = await change_feed.read_since(session, self.position)
        async with self.lock:
            self.last_applied = 0
            batch = read.seen_from(self.position) or await change_feed.read_since(session, self.position)
            if self.position is None or batch.rebuild or batch.touches(NEIGHBOURHOOD, MUNICIPALITY):
                self.index, self.areas, self.spaces, self.bookings = SpaceIndex(), {}, set(), {}
                await self._load_places(session)
                await self._apply(session, None)
            elif batch.rows:
                await self._apply(session, batch)
            self.position = batch.upto
        await heartbeats.report(session, "spaces", self.position)
        return self.index

    async def _load_places(self, session: AsyncSession) -> None:
        rows = await session.execute(select(Neighbourhood).options(selectinload(Neighbourhood.municipality)))
        self.areas = {n.id: Area(n.name, n.municipality.name) for n in rows.scalars()}
        links = await session.execute(select(Adjacency.neighbourhood_id, Adjacency.adjacent_id))
        adjacency: dict[str, list[str]] = {}
        for a, b in links.tuples():
            if a in self.areas and b in self.areas:
                adjacency.setdefault(self.areas[a].neighbourhood, []).append(self.areas[b].neighbourhood)
        self.index.geography = Geography(adjacency)

    async def _apply(self, session: AsyncSession, batch: Batch | None) -> None:
        """Apply the rows the batch names; a rebuild (no batch) reads every live row.

        Rows are read as they are now, which may already be newer than the batch: applying a row's
        current state is idempotent, so a later refresh that names it again changes nothing.
        """
        rebuild = batch is None
        fresh = {"populate_existing": True}  # the session may hold older copies of these rows
        spaces = select(Space).order_by(Space.id).execution_options(**fresh)
        live = Booking.state == BOOKED, Booking.ends_at > utcnow() - KEEP_PAST
        bookings = select(Booking).order_by(Booking.id).execution_options(**fresh)
        if batch is None:
            bookings = bookings.where(*live)
        else:
            spaces = spaces.where(Space.id.in_(batch.ids(SPACE)))
            bookings = bookings.where(Booking.id.in_(batch.ids(BOOKING)))
        returned: list[int] = []
        for space in (await session.execute(spaces)).scalars():
            self.last_applied += 1
            if space.neighbourhood_id not in self.areas:
                await self._load_places(session)
            if self._apply_space(space):
                returned.append(space.id)
        for booking in (await session.execute(bookings)).scalars():
            self.last_applied += 1
            self._apply_booking(booking)
        if returned and not rebuild:  # a space open for bookings again: the engine forgot its bookings
            query = select(Booking).where(Booking.space_id.in_(returned), *live).execution_options(**fresh)
            for booking in (await session.execute(query)).scalars():
                self._apply_booking(booking)

    def _apply_space(self, space: Space) -> bool:
        """Add, update or remove a space; True when it was added."""
        key = str(space.id)
        if not space.bookable:
            if space.id in self.spaces:
                self.index.remove(key)
                self.spaces.discard(space.id)
                self.bookings = {b: s for b, s in self.bookings.items() if s != space.id}
            return False
        profile = profile_of(space, self.areas[space.neighbourhood_id])
        if space.id in self.spaces:
            self.index.update(profile)
            return False
        self.index.add(profile)
        self.spaces.add(space.id)
        return True

    def _apply_booking(self, booking: Booking) -> None:
        if booking.state == BOOKED and booking.id not in self.bookings and booking.space_id in self.spaces:
            slot = booking_slot(booking.starts_at, booking.ends_at)
            self.index.load_booking(str(booking.space_id), str(booking.id), slot)
            self.bookings[booking.id] = booking.space_id
        elif booking.state != BOOKED and booking.id in self.bookings:
            self.index.cancel_booking(str(booking.id))
            del self.bookings[booking.id]


_HOLDERS: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, SpaceIndexHolder]] = WeakKeyDictionary()


def holder_for(session: AsyncSession) -> SpaceIndexHolder:
    """This process's holder for the session's database (one per event loop, so its lock is usable)."""
    bind = session.get_bind()
    key = (bind.engine if isinstance(bind, Connection) else bind).url.render_as_string(hide_password=True)
    per_loop = _HOLDERS.setdefault(asyncio.get_running_loop(), {})
    return per_loop.setdefault(key, SpaceIndexHolder())


async def current_index(session: AsyncSession) -> SpaceIndex:
    """The up-to-date space index for the session's database."""
    return await holder_for(session).current(session)
