"""SpaceService: registering, changing, finding spaces and reading their agenda; each change audited."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.changes import SPACE, note_change
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.people import service as people
from buurtbudget.people.roles import Actor
from buurtbudget.places.models import Neighbourhood
from buurtbudget.spaces.errors import NotASpaceManager
from buurtbudget.spaces.models import OpeningHours, Space, SpaceFacility
from buurtbudget.spaces.periods import Window
from buurtbudget.spaces.rules import SpaceInput, facility_codes, validate


@dataclass(frozen=True, slots=True)
class SpaceFilter:
    neighbourhood_id: int | None = None
    text: str | None = None
    people: int | None = None
    wheelchair_accessible: bool = False
    accessible_toilet: bool = False
    facilities: tuple[str, ...] = ()
    max_price_per_hour_cents: int | None = None
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True, slots=True)
class SpacePage:
    items: list[Space]
    total: int
    page: int
    per_page: int


def windows_of(space: Space) -> list[Window]:
    """A space's opening hours as pure windows."""
    return [Window(w.weekday, w.opens_minute, w.closes_minute) for w in space.opening_hours]


def input_of(space: Space) -> SpaceInput:
    """A stored space as service input, to merge changed fields into."""
    return SpaceInput(
        name=space.name,
        neighbourhood_id=space.neighbourhood_id,
        capacity=space.capacity,
        description=space.description,
        address=space.address,
        price_per_hour_cents=space.price_per_hour_cents,
        wheelchair_accessible=space.wheelchair_accessible,
        accessible_toilet=space.accessible_toilet,
        facilities=space.facilities,
        opening_hours=windows_of(space),
        lat=space.lat,
        lon=space.lon,
        bookable=space.bookable,
    )


class SpaceService:
    """Spaces are registered and changed by their owners, or by brokers and admins of their neighbourhood."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- reading -------------------------------------------------------------------------------

    async def _neighbourhood(self, neighbourhood_id: int) -> Neighbourhood:
        neighbourhood = await self.session.get(Neighbourhood, neighbourhood_id)
        if neighbourhood is None:
            raise InvalidInput("unknown neighbourhood", field="neighbourhood_id")
        return neighbourhood

    async def get(self, space_id: int, *, lock: bool = False) -> Space:
        """A space (spaces are public)."""
        query = select(Space).where(Space.id == space_id)
        if lock:  # and reload it: a copy read earlier in this session may be stale
            query = query.with_for_update().execution_options(populate_existing=True)
        space = (await self.session.execute(query)).scalar_one_or_none()
        if space is None:
            raise NotFound("no such space", space_id=space_id)
        return space

    async def can_manage(self, actor: Actor, space: Space) -> bool:
        """The owner, and brokers and admins of the space's neighbourhood."""
        if actor.person_id is not None and actor.person_id == space.owner_id:
            return True
        neighbourhood = await self._neighbourhood(space.neighbourhood_id)
        return actor.supports(neighbourhood.id, neighbourhood.municipality_id)

    async def search(self, filters: SpaceFilter) -> SpacePage:
        query = select(Space)
        if filters.neighbourhood_id is not None:
            query = query.where(Space.neighbourhood_id == filters.neighbourhood_id)
        if filters.text and filters.text.strip():
            pattern = f"%{filters.text.strip().lower()}%"
            query = query.where(
                or_(
                    func.lower(Space.name).like(pattern),
                    func.lower(Space.description).like(pattern),
                    func.lower(Space.address).like(pattern),
                )
            )
        if filters.people is not None:
            query = query.where(Space.capacity >= filters.people)
        if filters.wheelchair_accessible:
            query = query.where(Space.wheelchair_accessible.is_(True))
        if filters.accessible_toilet:
            query = query.where(Space.accessible_toilet.is_(True))
        for code in facility_codes(list(filters.facilities)):
            query = query.where(
                exists().where(SpaceFacility.space_id == Space.id, SpaceFacility.code == code)
            )
        if filters.max_price_per_hour_cents is not None:
            query = query.where(Space.price_per_hour_cents <= filters.max_price_per_hour_cents)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = await self.session.execute(
            query.order_by(func.lower(Space.name), Space.id)
            .offset((filters.page - 1) * filters.per_page)
            .limit(filters.per_page)
        )
        return SpacePage(list(rows.scalars()), total, filters.page, filters.per_page)

    async def managed_by(self, actor: Actor) -> list[Space]:
        """The spaces the actor owns."""
        if actor.person_id is None:
            return []
        rows = await self.session.execute(
            select(Space).where(Space.owner_id == actor.person_id).order_by(func.lower(Space.name), Space.id)
        )
        return list(rows.scalars())

    # --- writing -------------------------------------------------------------------------------

    async def _audit(self, actor: Actor, action: str, space: Space, **data: object) -> None:
        await record(
            self.session,
            actor_id=actor.person_id,
            action=f"space.{action}",
            subject_type="space",
            subject_id=space.id,
            data=dict(data),
        )

    @staticmethod
    def _apply(space: Space, content: SpaceInput) -> None:
        space.name = content.name
        space.neighbourhood_id = content.neighbourhood_id
        space.description = content.description
        space.address = content.address
        space.capacity = content.capacity
        space.price_per_hour_cents = content.price_per_hour_cents
        space.wheelchair_accessible = content.wheelchair_accessible
        space.accessible_toilet = content.accessible_toilet
        space.lat, space.lon = content.lat, content.lon
        space.bookable = content.bookable
        space.facility_links = [SpaceFacility(code=code) for code in content.facilities]
        space.opening_hours = [
            OpeningHours(weekday=w.weekday, opens_minute=w.opens_minute, closes_minute=w.closes_minute)
            for w in content.opening_hours
        ]

    async def register(self, actor: Actor, content: SpaceInput, *, owner_email: str | None = None) -> Space:
        """Register a space; its owner is the actor, or (named by a broker or admin) someone else."""
        if not actor.signed_in:
            raise NotAllowed("sign in to register a space")
        content = validate(content)
        async with transaction(self.session):
            neighbourhood = await self._neighbourhood(content.neighbourhood_id)
            if owner_email is None:
                owner_id = actor.person_id or 0
            else:
                if not actor.supports(neighbourhood.id, neighbourhood.municipality_id):
                    raise NotASpaceManager(
                        "only a broker of this neighbourhood registers a space for someone else"
                    )
                owner_id = (
                    await people.get_or_create(self.session, owner_email, actor_id=actor.person_id)
                ).id
            space = Space(owner_id=owner_id, created_at=utcnow())
            self._apply(space, content)
            self.session.add(space)
            await self.session.flush()
            note_change(self.session, SPACE, space.id)
            await self._audit(actor, "registered", space, owner_id=owner_id, name=space.name)
        return space

    async def update(self, actor: Actor, space_id: int, content: SpaceInput) -> Space:
        """Replace everything about a space (the edit form sends it all)."""
        content = validate(content)
        return await self._change(actor, space_id, lambda _: content)

    async def change(self, actor: Actor, space_id: int, changes: Mapping[str, Any]) -> Space:
        """Change only the given fields of a space (names of SpaceInput fields).

        The merge happens on the locked row, so two people changing different fields at the same
        time both keep their change.
        """
        return await self._change(
            actor, space_id, lambda space: validate(replace(input_of(space), **changes))
        )

    async def _change(self, actor: Actor, space_id: int, content_of: Callable[[Space], SpaceInput]) -> Space:
        """The owner, or a broker of the neighbourhood (and of the new one, when the space moves)."""
        async with transaction(self.session):
            space = await self.get(space_id, lock=True)
            content = content_of(space)
            if not await self.can_manage(actor, space):
                raise NotASpaceManager("only the owner or a broker of the neighbourhood changes a space")
            target = await self._neighbourhood(content.neighbourhood_id)
            moving = target.id != space.neighbourhood_id
            if (
                moving
                and actor.person_id != space.owner_id
                and not actor.supports(target.id, target.municipality_id)
            ):
                raise NotASpaceManager("only the owner or a broker of the neighbourhood changes a space")
            self._apply(space, content)
            space.updated_at = utcnow()
            await self.session.flush()
            note_change(self.session, SPACE, space.id)
            await self._audit(actor, "changed", space, name=space.name)
        return space
