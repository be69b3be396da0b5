"""Suitable spaces for an initiative's space needs, ranked and explained by the matching engine."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.models import SpaceNeed as NeedRow
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.people.roles import Actor
from buurtbudget.places import service as places
from buurtbudget.spaces.index import current_index
from buurtbudget.spaces.models import Space
from buurtbudget.spaces.periods import DAY_MINUTES, QUARTER, clock
from buurtbudget.spaces.rules import MAX_CAPACITY, facility_codes
from buurtbudget.workdays import AMSTERDAM
from matching import Area, DatedSlot, Match, SpaceNeed

MAX_DAYS = 31  # a need longer than a month is matched on its first month


@dataclass(frozen=True, slots=True)
class MatchOptions:
    """What the initiative needs beyond people and time (its space needs do not record these)."""

    wheelchair_accessible: bool = False
    accessible_toilet: bool = False
    required_facilities: tuple[str, ...] = ()
    wanted_facilities: tuple[str, ...] = ()
    max_price_per_hour_cents: int | None = None
    limit: int = 10


@dataclass(frozen=True, slots=True)
class SpaceMatch:
    space: Space
    match: Match


@dataclass(frozen=True, slots=True)
class NeedMatches:
    need: NeedRow
    matches: list[SpaceMatch] = field(default_factory=list)


def _floor(moment: datetime) -> int:
    return (moment.hour * 60 + moment.minute) // QUARTER * QUARTER


def _ceil(moment: datetime) -> int:
    minutes = moment.hour * 60 + moment.minute + (1 if moment.second or moment.microsecond else 0)
    return -(-minutes // QUARTER) * QUARTER


def need_slots(starts_at: datetime, ends_at: datetime) -> tuple[DatedSlot, ...]:
    """The need's period as local slots per day, widened to whole quarters of an hour."""
    start, end = starts_at.astimezone(AMSTERDAM), ends_at.astimezone(AMSTERDAM)
    slots: list[DatedSlot] = []
    day = start.date()
    while day <= end.date() and len(slots) < MAX_DAYS:
        first = _floor(start) if day == start.date() else 0
        last = _ceil(end) if day == end.date() else DAY_MINUTES
        if last > first:
            slots.append(DatedSlot(day, clock(first), clock(last)))
        day += timedelta(days=1)
    return tuple(slots)


class SpaceMatcher:
    """Reads the initiative, asks the per-process index, and returns the matched rows."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def for_initiative(
        self, actor: Actor, initiative_id: int, options: MatchOptions
    ) -> tuple[Initiative, list[NeedMatches]]:
        """Every space need of an initiative the actor may see, with its best spaces."""
        initiative = await InitiativeService(self.session).get(actor, initiative_id)
        required = tuple(facility_codes(list(options.required_facilities)))
        wanted = tuple(facility_codes(list(options.wanted_facilities)))
        neighbourhood = await places.get_neighbourhood(self.session, initiative.neighbourhood_id)
        area = Area(neighbourhood.name, neighbourhood.municipality.name)
        index = await current_index(self.session)
        results = []
        for row in initiative.space_needs:
            need = SpaceNeed(
                area=area,
                people=min(max(row.capacity, 1), MAX_CAPACITY),
                when=need_slots(row.starts_at, row.ends_at),
                wheelchair_accessible=options.wheelchair_accessible,
                accessible_toilet=options.accessible_toilet,
                required_facilities=required,
                wanted_facilities=wanted,
                max_price_per_hour_cents=options.max_price_per_hour_cents,
            )
            found = index.match(need, options.limit)
            spaces = await self._spaces([int(m.id) for m in found])
            results.append(
                NeedMatches(row, [SpaceMatch(spaces[int(m.id)], m) for m in found if int(m.id) in spaces])
            )
        return initiative, results

    async def _spaces(self, ids: list[int]) -> dict[int, Space]:
        if not ids:
            return {}
        rows = await self.session.execute(select(Space).where(Space.id.in_(ids)))
        return {space.id: space for space in rows.scalars()}
