"""Reading and registering municipalities and neighbourhoods, and their adjacency."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from buurtbudget.audit.service import record
from buurtbudget.errors import NotFound
from buurtbudget.places.codes import slugify
from buurtbudget.places.models import Adjacency, Municipality, Neighbourhood


async def list_neighbourhoods(session: AsyncSession) -> list[Neighbourhood]:
    rows = await session.execute(
        select(Neighbourhood)
        .options(selectinload(Neighbourhood.municipality))
        .join(Municipality)
        .order_by(Municipality.name, Neighbourhood.name)
    )
    return list(rows.scalars())


async def get_neighbourhood(session: AsyncSession, neighbourhood_id: int) -> Neighbourhood:
    row = await session.execute(
        select(Neighbourhood)
        .options(selectinload(Neighbourhood.municipality))
        .where(Neighbourhood.id == neighbourhood_id)
    )
    neighbourhood = row.scalar_one_or_none()
    if neighbourhood is None:
        raise NotFound("no such neighbourhood", neighbourhood_id=neighbourhood_id)
    return neighbourhood


async def get_by_slug(session: AsyncSession, slug: str) -> Neighbourhood:
    row = await session.execute(
        select(Neighbourhood)
        .options(selectinload(Neighbourhood.municipality))
        .where(Neighbourhood.slug == slug)
    )
    neighbourhood = row.scalar_one_or_none()
    if neighbourhood is None:
        raise NotFound("no such neighbourhood", slug=slug)
    return neighbourhood


async def adjacency(session: AsyncSession) -> dict[int, list[int]]:
    """For every neighbourhood, the ids of those it borders on."""
    result: dict[int, list[int]] = {}
    rows = await session.execute(
        select(Adjacency).order_by(Adjacency.neighbourhood_id, Adjacency.adjacent_id)
    )
    for link in rows.scalars():
        result.setdefault(link.neighbourhood_id, []).append(link.adjacent_id)
    return result


async def ensure_municipality(
    session: AsyncSession, *, name: str, cbs_code: str, actor_id: int | None
) -> Municipality:
    """The municipality with this CBS code, registered when new (in the caller's transaction)."""
    existing = (
        await session.execute(select(Municipality).where(Municipality.cbs_code == cbs_code))
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    slug = slugify(name) or cbs_code.lower()
    if await session.scalar(select(Municipality.id).where(Municipality.slug == slug)) is not None:
        slug = f"{slug}-{cbs_code.lower()}"
    municipality = Municipality(name=name, cbs_code=cbs_code, slug=slug)
    session.add(municipality)
    await session.flush()
    await record(
        session,
        actor_id=actor_id,
        action="municipality.created",
        subject_type="municipality",
        subject_id=municipality.id,
    )
    return municipality


async def ensure_neighbourhood(
    session: AsyncSession,
    municipality: Municipality,
    *,
    name: str,
    slug: str,
    cbs_code: str,
    actor_id: int | None,
    district: str | None = None,
) -> Neighbourhood:
    """The neighbourhood with this CBS code, registered when new (in the caller's transaction).

    An existing one without a district gets `district` (a demo loaded before districts existed).
    """
    existing = (
        await session.execute(select(Neighbourhood).where(Neighbourhood.cbs_code == cbs_code))
    ).scalar_one_or_none()
    if existing is not None:
        if district and existing.district is None:
            existing.district = district
            await session.flush()
        return existing
    neighbourhood = Neighbourhood(
        municipality_id=municipality.id, name=name, slug=slug, cbs_code=cbs_code, district=district
    )
    session.add(neighbourhood)
    await session.flush()
    await record(
        session,
        actor_id=actor_id,
        action="neighbourhood.created",
        subject_type="neighbourhood",
        subject_id=neighbourhood.id,
        data={"name": name, "cbs_code": cbs_code},
    )
    return neighbourhood


async def ensure_adjacent(session: AsyncSession, first: Neighbourhood, second: Neighbourhood) -> None:
    """Record that two neighbourhoods border on each other, in both directions."""
    for a, b in ((first, second), (second, first)):
        if await session.get(Adjacency, (a.id, b.id)) is None:
            session.add(Adjacency(neighbourhood_id=a.id, adjacent_id=b.id))
    await session.flush()


async def rename_neighbourhood(
    session: AsyncSession, neighbourhood: Neighbourhood, name: str, *, actor_id: int | None
) -> None:
    """Give a neighbourhood its new name (in the caller's transaction); the indexes re-read it at commit."""
    previous, neighbourhood.name = neighbourhood.name, name
    await session.flush()
    await record(
        session,
        actor_id=actor_id,
        action="neighbourhood.renamed",
        subject_type="neighbourhood",
        subject_id=neighbourhood.id,
        data={"from": previous, "to": name},
    )
