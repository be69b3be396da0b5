"""BookingService: booking a space without ever booking it twice, cancelling, and reading bookings."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.changes import BOOKING, note_change
from buurtbudget.db.transaction import record_event, transaction
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.people.roles import Actor
from buurtbudget.spaces.errors import (
    AlreadyCancelled,
    BookingConflict,
    BookingOver,
    OverCapacity,
    SpaceNotBookable,
)
from buurtbudget.spaces.events import BookingChanged
from buurtbudget.spaces.models import BOOKED, CANCELLED, Booking, Space
from buurtbudget.spaces.periods import check_open, local_period
from buurtbudget.spaces.service import SpaceService, windows_of

EXCLUSION_VIOLATION = "23P01"  # PostgreSQL's SQLSTATE for a violated exclusion constraint
DEADLOCK = "40P01"
INSERT_ATTEMPTS = 5
NO_OVERLAP = "ex_bookings_no_overlap"


@dataclass(frozen=True, slots=True)
class BookingInput:
    starts_at: datetime
    ends_at: datetime
    people: int
    title: str
    initiative_id: int | None = None


def _sqlstate(error: DBAPIError) -> str | None:
    """PostgreSQL's SQLSTATE of a database error (None on SQLite)."""
    state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return str(state) if state else None


class BookingService:
    """Anyone signed in books; the booker, the space's owner and its neighbourhood's brokers cancel."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.spaces = SpaceService(session)

    async def _audit(self, actor: Actor, action: str, booking: Booking, **data: object) -> None:
        await record(
            self.session,
            actor_id=actor.person_id,
            action=f"booking.{action}",
            subject_type="booking",
            subject_id=booking.id,
            data=dict(data),
        )

    async def can_see(self, actor: Actor, booking: Booking) -> bool:
        """The booker, and whoever manages the space."""
        if actor.person_id is not None and actor.person_id == booking.booked_by_id:
            return True
        return await self.spaces.can_manage(actor, booking.space)

    async def get(self, actor: Actor, booking_id: int, *, lock: bool = False) -> Booking:
        """A booking the actor may see; to others it does not exist."""
        query = select(Booking).where(Booking.id == booking_id)
        if lock:
            query = query.with_for_update(of=Booking)
        booking = (await self.session.execute(query)).scalar_one_or_none()
        if booking is None or not await self.can_see(actor, booking):
            raise NotFound("no such booking", booking_id=booking_id)
        return booking

    async def mine(self, actor: Actor) -> list[Booking]:
        """The actor's own bookings, the coming ones first, then the rest (newest first)."""
        if actor.person_id is None:
            return []
        rows = await self.session.execute(
            select(Booking).where(Booking.booked_by_id == actor.person_id).order_by(Booking.starts_at.desc())
        )
        now = utcnow()
        bookings = list(rows.scalars())
        coming = sorted(
            (b for b in bookings if b.ends_at > now and b.state == BOOKED), key=lambda b: b.starts_at
        )
        return coming + [b for b in bookings if b not in coming]

    async def _check_initiative(self, actor: Actor, initiative_id: int) -> None:
        service = InitiativeService(self.session)
        initiative = await service.get(actor, initiative_id)
        own = initiative.initiator_of(actor.person_id) is not None
        if not own and not await service.supports(actor, initiative):
            raise NotAllowed("you can book for your own initiative only")

    async def _overlapping(self, space_id: int, starts_at: datetime, ends_at: datetime) -> bool:
        found = await self.session.scalar(
            select(Booking.id)
            .where(
                Booking.space_id == space_id,
                Booking.state == BOOKED,
                Booking.starts_at < ends_at,
                Booking.ends_at > starts_at,
            )
            .limit(1)
        )
        return found is not None

    async def book(self, actor: Actor, space_id: int, wanted: BookingInput) -> Booking:
        """Book a space; bad input, a closed space or an overlap raise a specific error and store nothing.

        The overlap check below serialises on SQLite (every transaction holds the write lock from
        BEGIN IMMEDIATE). On PostgreSQL concurrent requests can all pass it; the exclusion
        constraint then lets exactly one insert through and the others fail as BookingConflict.
        """
        if not actor.signed_in:
            raise NotAllowed("sign in to book a space")
        title = " ".join(wanted.title.split())
        if not 1 <= len(title) <= 150:
            raise InvalidInput("say in 1 to 150 characters what the booking is for", field="title")
        if isinstance(wanted.people, bool) or not 1 <= wanted.people <= 100_000:
            raise InvalidInput("a booking is for 1 to 100000 people", field="people")
        period = local_period(wanted.starts_at, wanted.ends_at, now=utcnow())
        async with transaction(self.session):
            space = await self.spaces.get(space_id)
            if not space.bookable:
                raise SpaceNotBookable("this space cannot be booked at the moment")
            if wanted.people > space.capacity:
                raise OverCapacity(
                    "there are more people than the space holds", field="people", capacity=space.capacity
                )
            check_open(windows_of(space), period)
            if wanted.initiative_id is not None:
                await self._check_initiative(actor, wanted.initiative_id)
            booking = await self._insert(actor, space, wanted, title)
            note_change(self.session, BOOKING, booking.id)
            await self._audit(actor, "booked", booking, space_id=space.id)
            record_event(self.session, BookingChanged(booking.id, cancelled=False, actor_id=actor.person_id))
        return booking

    async def _insert(self, actor: Actor, space: Space, wanted: BookingInput, title: str) -> Booking:
        """Check for an overlap and insert, in a savepoint; retried when PostgreSQL breaks a deadlock.

        Two transactions inserting overlapping periods at once can each wait for the other in the
        exclusion constraint's check; PostgreSQL then aborts one of them. That one overlapped a
        concurrent booking: it tries again, and the check or the constraint now sees the winner.
        """
        for _attempt in range(INSERT_ATTEMPTS):
            if await self._overlapping(space.id, wanted.starts_at, wanted.ends_at):
                raise BookingConflict("the space is already booked at that time")
            booking = Booking(
                space=space,
                booked_by_id=actor.person_id,
                initiative_id=wanted.initiative_id,
                title=title,
                people=wanted.people,
                starts_at=wanted.starts_at,
                ends_at=wanted.ends_at,
                state=BOOKED,
                created_at=utcnow(),
            )
            try:
                async with self.session.begin_nested():
                    self.session.add(booking)
            except IntegrityError as error:
                if _sqlstate(error) == EXCLUSION_VIOLATION or NO_OVERLAP in str(error.orig):
                    raise BookingConflict("the space is already booked at that time") from error
                raise
            except DBAPIError as error:
                if _sqlstate(error) != DEADLOCK:
                    raise
                continue
            return booking
        # Deadlocked every time: overlapping bookings keep arriving at this very moment.
        raise BookingConflict("the space is already booked at that time")

    async def cancel(self, actor: Actor, booking_id: int) -> Booking:
        """Cancel a coming booking: the booker, the space's owner or a broker of its neighbourhood."""
        async with transaction(self.session):
            booking = await self.get(actor, booking_id, lock=True)
            if booking.state == CANCELLED:
                raise AlreadyCancelled("this booking was already cancelled")
            now = utcnow()
            if booking.starts_at <= now:
                raise BookingOver("a booking that has begun cannot be cancelled")
            booking.state = CANCELLED
            booking.cancelled_at = now
            booking.cancelled_by_id = actor.person_id
            await self.session.flush()
            note_change(self.session, BOOKING, booking.id)
            await self._audit(actor, "cancelled", booking, space_id=booking.space_id)
            record_event(self.session, BookingChanged(booking.id, cancelled=True, actor_id=actor.person_id))
        return booking

    async def for_space(self, space: Space, *, include_cancelled: bool = False) -> list[Booking]:
        """The space's coming bookings (with the cancelled ones when asked), for its agenda and feed."""
        states = [BOOKED, CANCELLED] if include_cancelled else [BOOKED]
        rows = await self.session.execute(
            select(Booking)
            .where(Booking.space_id == space.id, Booking.state.in_(states), Booking.ends_at > utcnow())
            .order_by(Booking.starts_at, Booking.id)
            .limit(500)
        )
        return list(rows.scalars())

    async def for_initiative(self, actor: Actor, initiative_id: int) -> list[Booking]:
        """The initiative's bookings (cancelled ones too), for its residents and broker; none for others."""
        service = InitiativeService(self.session)
        initiative = await service.get(actor, initiative_id)
        own = initiative.initiator_of(actor.person_id) is not None
        if not own and not await service.supports(actor, initiative):
            return []
        rows = await self.session.execute(
            select(Booking)
            .where(Booking.initiative_id == initiative_id)
            .order_by(Booking.starts_at, Booking.id)
            .limit(200)
        )
        return list(rows.scalars())

    async def visible_details(self, actor: Actor, bookings: list[Booking]) -> set[int]:
        """Of one space's bookings, the ids whose details (title, people) the actor may see."""
        if not bookings:
            return set()
        if await self.spaces.can_manage(actor, bookings[0].space):
            return {b.id for b in bookings}
        return {b.id for b in bookings if actor.person_id is not None and b.booked_by_id == actor.person_id}
