"""The engine's indexes per process and database, built once and brought up to date before every query.

Several stateless workers share one database. Each keeps its own index and follows the index change log
(`buurtbudget.db.change_feed`): what changed since the version it applied is read outside the lock, and
only the profiles and initiatives it names are re-read under it. A changed neighbourhood or municipality
(a rename, a new border) rebuilds the indexes, whose geography holds the borders.
"""

import asyncio
import weakref
from collections.abc import Iterable

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db import change_feed, heartbeats
from buurtbudget.db.change_feed import Position
from buurtbudget.db.changes import INITIATIVE, MUNICIPALITY, NEIGHBOURHOOD, VOLUNTEER
from buurtbudget.initiatives.lifecycle import State
from buurtbudget.initiatives.models import Initiative
from buurtbudget.places.models import Adjacency, Neighbourhood
from buurtbudget.volunteers.models import VolunteerMatch, VolunteerProfile
from buurtbudget.volunteers.rules import dated_slots, weekly_slots
from matching import Area, Catalogues, Geography, Match, NeedIndex, VolunteerIndex, default_catalogues
from matching import VolunteerNeed as EngineNeed
from matching import VolunteerProfile as EngineProfile
from matching.errors import MatchingError

# Initiatives that may look for volunteers: sent in and not finished.
OPEN_STATES = frozenset(
    {
        State.SUBMITTED.value,
        State.IN_REVIEW.value,
        State.READY_FOR_JURY.value,
        State.GRANTED.value,
        State.PARTLY_GRANTED.value,
        State.RUNNING.value,
    }
)
MAX_NEED_HOURS = 168.0


def neighbourhood_key(neighbourhood_id: int) -> str:
    return f"n{neighbourhood_id}"


def municipality_key(municipality_id: int) -> str:
    return f"m{municipality_id}"


class Matcher:
    """A VolunteerIndex of consenting profiles and a NeedIndex of open initiatives, for one database."""

    def __init__(self, catalogues: Catalogues | None = None) -> None:
        self.catalogues = catalogues or default_catalogues()
        self._lock = asyncio.Lock()
        self._position: Position | None = None
        self._municipality_of: dict[int, int] = {}
        self.volunteers = VolunteerIndex(catalogues=self.catalogues)
        self.needs = NeedIndex(catalogues=self.catalogues)
        self.profiles: dict[int, EngineProfile] = {}
        self.open_needs: dict[int, EngineNeed] = {}
        self.builds = 0

    # -- keeping up ------------------------------------------------------------------------------

    async def sync(self, session: AsyncSession) -> None:
        """Bring the indexes up to the database: the first time all of it, then only the changes."""
        await self._refresh(session)
        await heartbeats.report(session, "volunteers", self._position)

    async def _refresh(self, session: AsyncSession) -> None:
        read = await change_feed.read_since(session, self._position)
        if self._position is not None and read.empty and read.after == self._position:
            return
        async with self._lock:
            batch = read.seen_from(self._position) or await change_feed.read_since(session, self._position)
            if self._position is None or batch.rebuild or batch.touches(NEIGHBOURHOOD, MUNICIPALITY):
                await self._build(session, batch.upto)
                return
            await self._load_profiles(session, batch.ids(VOLUNTEER))
            await self._apply_initiative_changes(session, batch.ids(INITIATIVE))
            self._position = batch.upto

    async def _build(self, session: AsyncSession, position: Position) -> None:
        rows = await session.execute(select(Neighbourhood.id, Neighbourhood.municipality_id))
        self._municipality_of = dict(rows.tuples().all())
        adjacency: dict[str, list[str]] = {}
        for link in (await session.execute(select(Adjacency))).scalars():
            adjacency.setdefault(neighbourhood_key(link.neighbourhood_id), []).append(
                neighbourhood_key(link.adjacent_id)
            )
        geography = Geography(adjacency)
        self.volunteers = VolunteerIndex(geography, self.catalogues)
        self.needs = NeedIndex(geography, self.catalogues)
        self.profiles = {}
        self.open_needs = {}
        await self._load_profiles(session, None)
        await self._load_initiatives(session, None)
        self._position = position
        self.builds += 1

    async def _apply_initiative_changes(self, session: AsyncSession, changed: set[int]) -> None:
        if not changed:
            return
        await self._load_initiatives(session, changed)
        # A finished initiative no longer counts towards its volunteers' commitments.
        involved = await session.execute(
            select(VolunteerMatch.profile_id).where(
                VolunteerMatch.initiative_id.in_(changed), VolunteerMatch.status == "agreed"
            )
        )
        await self._load_profiles(session, set(involved.scalars()))

    async def _load_profiles(self, session: AsyncSession, ids: set[int] | None) -> None:
        """(Re)index these profiles (all when None); those gone or without consent leave the index."""
        if ids is not None and not ids:
            return
        query = select(VolunteerProfile)
        busy = commitments_query()
        if ids is not None:
            query = query.where(VolunteerProfile.id.in_(ids))
            busy = busy.where(VolunteerMatch.profile_id.in_(ids))
        found = {p.id: p for p in (await session.execute(query)).scalars()}
        counts = dict((await session.execute(busy)).tuples().all())
        for profile_id in ids if ids is not None else set(found):
            profile = found.get(profile_id)
            if profile is None or not profile.consent:
                self._drop_profile(profile_id)
                continue
            engine_profile = self.engine_profile(profile, counts.get(profile_id, 0))
            self.volunteers.upsert(engine_profile)
            self.profiles[profile_id] = engine_profile

    def _drop_profile(self, profile_id: int) -> None:
        if str(profile_id) in self.volunteers:
            self.volunteers.remove(str(profile_id))
        self.profiles.pop(profile_id, None)

    async def _load_initiatives(self, session: AsyncSession, ids: set[int] | None) -> None:
        query = select(Initiative)
        if ids is not None:
            query = query.where(Initiative.id.in_(ids))
        found = {i.id: i for i in (await session.execute(query)).scalars()}
        for initiative_id in ids if ids is not None else set(found):
            initiative = found.get(initiative_id)
            if initiative_id in self.open_needs:
                self.needs.remove(str(initiative_id))
                del self.open_needs[initiative_id]
            if initiative is None:
                continue
            need = self.engine_need(initiative)
            if need is not None:
                self.needs.add(need)
                self.open_needs[initiative_id] = need

    # -- translating rows ------------------------------------------------------------------------

    def area(self, neighbourhood_id: int) -> Area:
        return Area(
            neighbourhood_key(neighbourhood_id),
            municipality_key(self._municipality_of.get(neighbourhood_id, 0)),
        )

    def engine_profile(self, profile: VolunteerProfile, commitments: int) -> EngineProfile:
        return EngineProfile(
            id=str(profile.id),
            area=self.area(profile.neighbourhood_id),
            skills=tuple(profile.skills),
            themes=tuple(profile.themes),
            weekly=weekly_slots(profile.weekly),
            dated=dated_slots(profile.dated),
            commitments=commitments,
            max_commitments=profile.max_commitments,
            active=profile.consent,
        )

    def _lenient(self, texts: Iterable[str], *, skills: bool) -> tuple[str, ...]:
        """What an initiative typed freely, one text per catalogue code; unknown words are left out."""
        catalogue = self.catalogues.skills if skills else self.catalogues.themes
        codes: dict[str, str] = {}
        for text in texts:
            try:
                codes.setdefault(catalogue.resolve(text), text)
            except MatchingError:
                continue
        return tuple(codes.values())

    def engine_need(self, initiative: Initiative) -> EngineNeed | None:
        """What an open initiative asks of volunteers, or None when it asks nothing the catalogue knows."""
        if initiative.state not in OPEN_STATES:
            return None
        skills = self._lenient((n.skill for n in initiative.volunteer_needs), skills=True)
        if not skills:
            return None
        hours = float(sum(n.hours for n in initiative.volunteer_needs))
        return EngineNeed(
            initiative_id=str(initiative.id),
            area=self.area(initiative.neighbourhood_id),
            skills=skills,
            themes=self._lenient(initiative.themes, skills=False),
            hours=min(hours, MAX_NEED_HOURS) if hours > 0 else None,
        )

    # -- queries (after sync) --------------------------------------------------------------------

    def volunteers_for(self, need: EngineNeed, exclude: set[int], k: int) -> list[Match]:
        """The best volunteers for a need, leaving out (as declined) those already asked or who said no."""
        wanted = EngineNeed(
            initiative_id=need.initiative_id,
            area=need.area,
            skills=need.skills,
            themes=need.themes,
            weekly=need.weekly,
            dated=need.dated,
            hours=need.hours,
            declined_by=frozenset(str(i) for i in exclude),
        )
        return self.volunteers.match(wanted, k)

    def needs_for(self, profile_id: int, exclude: set[int], k: int) -> list[Match]:
        """The open initiatives this volunteer fits best, leaving out those already matched."""
        profile = self.profiles.get(profile_id)
        if profile is None:
            return []
        found = self.needs.for_volunteer(profile, min(k + len(exclude), 1000))
        return [m for m in found if int(m.id) not in exclude][:k]


def commitments_query() -> Select[tuple[int, int]]:
    """Agreed matches on initiatives still going, per profile: the volunteer's active commitments."""
    return (
        select(VolunteerMatch.profile_id, func.count())
        .join(Initiative, Initiative.id == VolunteerMatch.initiative_id)
        .where(VolunteerMatch.status == "agreed", Initiative.state.in_(OPEN_STATES))
        .group_by(VolunteerMatch.profile_id)
    )


_MATCHERS: "weakref.WeakKeyDictionary[Engine, Matcher]" = weakref.WeakKeyDictionary()


def matcher_for(session: AsyncSession) -> Matcher:
    """The process's matcher for the session's database (one per engine, so per app and worker)."""
    engine = session.get_bind()
    if not isinstance(engine, Engine):
        engine = engine.engine
    matcher = _MATCHERS.get(engine)
    if matcher is None:
        matcher = _MATCHERS[engine] = Matcher()
    return matcher
