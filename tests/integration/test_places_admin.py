"""Setting up places: municipalities (platform administrator), neighbourhoods, borders both ways and
boundaries (the municipality's administrators), every change audited, every bad value named."""

import json
from typing import Any

import pytest
from conftest import World
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed
from buurtbudget.places import service as places
from buurtbudget.places.admin import MunicipalityChanges, NeighbourhoodChanges, PlacesAdmin
from buurtbudget.places.geometry import checked_boundary

SQUARE = [[5.10, 52.10], [5.11, 52.10], [5.11, 52.11], [5.10, 52.11], [5.10, 52.10]]
POLYGON = {"type": "Polygon", "coordinates": [SQUARE]}


async def actions(session: AsyncSession) -> list[str]:
    return list((await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all())


async def test_the_platform_administrator_adds_and_renames_a_municipality(
    session: AsyncSession, world: World
) -> None:
    admin = PlacesAdmin(session)
    with pytest.raises(NotAllowed):
        await admin.create_municipality(world.actors["municipality_admin"], name="Gouda", cbs_code="GM0513")
    await session.rollback()
    gouda = await admin.create_municipality(world.actors["platform_admin"], name="Gouda", cbs_code="gm0513")
    assert (gouda.cbs_code, gouda.slug) == ("GM0513", "gouda")
    gouda_id = gouda.id
    with pytest.raises(InvalidInput) as bad:
        await admin.create_municipality(world.actors["platform_admin"], name="Nergens", cbs_code="GM05")
    assert bad.value.field == "cbs_code"
    with pytest.raises(Conflict):
        await admin.create_municipality(world.actors["platform_admin"], name="Gouda", cbs_code="GM0514")
    await session.rollback()
    # Its own administrator keeps the contact but does not rename it.
    renamed = await admin.update_municipality(
        world.actors["platform_admin"], gouda_id, MunicipalityChanges(name="Gemeente Gouda")
    )
    assert renamed.name == "Gemeente Gouda"
    with pytest.raises(NotAllowed):
        await admin.update_municipality(
            world.actors["municipality_admin"],
            world.municipality_id,
            MunicipalityChanges(name="Stad Utrecht"),
        )
    await session.rollback()
    utrecht = await admin.update_municipality(
        world.actors["municipality_admin"],
        world.municipality_id,
        MunicipalityChanges(contact_email="wijken@utrecht.example.org", contact_phone="14 030"),
    )
    assert (utrecht.contact_email, utrecht.contact_phone) == ("wijken@utrecht.example.org", "14 030")
    with pytest.raises(InvalidInput) as bad:
        await admin.update_municipality(
            world.actors["municipality_admin"],
            world.municipality_id,
            MunicipalityChanges(contact_url="utrecht.nl"),
        )
    assert bad.value.field == "contact_url"
    await session.rollback()
    with pytest.raises(NotAllowed):  # another municipality's contact is not theirs to change
        await admin.update_municipality(
            world.actors["other_municipality_admin"],
            world.municipality_id,
            MunicipalityChanges(contact_phone="0"),
        )
    await session.rollback()
    assert (await actions(session))[-3:] == [
        "municipality.created",
        "municipality.updated",
        "municipality.updated",
    ]


@pytest.mark.parametrize(
    ("code", "field"),
    [("BU0344", "cbs_code"), ("XX03440000", "cbs_code"), ("BU19160000", "cbs_code"), ("WK03441", "cbs_code")],
)
async def test_a_neighbourhood_code_is_checked(
    session: AsyncSession, world: World, code: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as bad:
        await PlacesAdmin(session).create_neighbourhood(
            world.actors["municipality_admin"], world.municipality_id, name="Nieuw", cbs_code=code
        )
    assert bad.value.field == field


async def test_the_municipality_adds_and_edits_its_neighbourhoods(
    session: AsyncSession, world: World
) -> None:
    admin = PlacesAdmin(session)
    actor = world.actors["municipality_admin"]
    centrum = await admin.create_neighbourhood(
        actor, world.municipality_id, name="Centrum", cbs_code="bu03440000", district="Binnenstad"
    )
    assert (centrum.cbs_code, centrum.slug, centrum.label) == (
        "BU03440000",
        "centrum",
        "Centrum (Binnenstad)",
    )
    centrum_id = centrum.id
    twin = await admin.create_neighbourhood(
        actor, world.municipality_id, name="Centrum", cbs_code="BU03440001"
    )
    assert twin.slug == "centrum-utrecht"  # slugs stay unique
    with pytest.raises(Conflict):
        await admin.create_neighbourhood(actor, world.municipality_id, name="Dubbel", cbs_code="BU03440000")
    await session.rollback()
    for role in ("other_municipality_admin", "broker", "resident"):
        with pytest.raises(NotAllowed):
            await admin.create_neighbourhood(
                world.actors[role], world.municipality_id, name="X", cbs_code="BU03440009"
            )
        with pytest.raises(NotAllowed):
            await admin.update_neighbourhood(
                world.actors[role], centrum_id, NeighbourhoodChanges(name="Overgenomen")
            )
        await session.rollback()
    changed = await admin.update_neighbourhood(
        actor, centrum_id, NeighbourhoodChanges(name="Binnenstad-Oost", district="")
    )
    assert (changed.name, changed.district) == ("Binnenstad-Oost", None)
    with pytest.raises(InvalidInput) as bad:
        await admin.update_neighbourhood(actor, centrum_id, NeighbourhoodChanges(name="Twee\nregels"))
    assert bad.value.field == "name"
    await session.rollback()
    assert "neighbourhood.updated" in await actions(session)


async def test_a_border_counts_both_ways_never_to_itself_and_across_municipalities_only_with_both(
    session: AsyncSession, world: World
) -> None:
    admin = PlacesAdmin(session)
    actor = world.actors["municipality_admin"]
    await admin.set_border(actor, world.zuilen_id, world.lunetten_id, adjacent=True)
    adjacency = await places.adjacency(session)
    assert world.lunetten_id in adjacency[world.zuilen_id]
    assert world.zuilen_id in adjacency[world.lunetten_id]
    with pytest.raises(InvalidInput):
        await admin.set_border(actor, world.zuilen_id, world.zuilen_id, adjacent=True)
    voorburg_id = (await admin.neighbourhoods_of(world.other_municipality_id))[0].id
    with pytest.raises(NotAllowed):  # Utrecht alone cannot draw a border into Leidschendam-Voorburg
        await admin.set_border(actor, world.zuilen_id, voorburg_id, adjacent=True)
    await session.rollback()
    await admin.set_border(world.actors["platform_admin"], world.zuilen_id, voorburg_id, adjacent=True)
    assert voorburg_id in (await places.adjacency(session))[world.zuilen_id]
    await admin.set_border(actor, world.lunetten_id, world.zuilen_id, adjacent=False)
    adjacency = await places.adjacency(session)
    assert world.lunetten_id not in adjacency[world.zuilen_id]
    assert world.lunetten_id not in adjacency
    assert (await actions(session))[-1] == "neighbourhood.border_removed"


async def test_a_boundary_is_set_and_cleared(session: AsyncSession, world: World) -> None:
    admin = PlacesAdmin(session)
    actor = world.actors["municipality_admin"]
    feature = {"type": "Feature", "properties": {}, "geometry": POLYGON}
    zuilen = await admin.update_neighbourhood(
        actor, world.zuilen_id, NeighbourhoodChanges(boundary=json.dumps(feature))
    )
    assert zuilen.boundary is not None
    assert json.loads(zuilen.boundary) == POLYGON
    cleared = await admin.update_neighbourhood(
        actor, world.zuilen_id, NeighbourhoodChanges(clear_boundary=True)
    )
    assert cleared.boundary is None


BAD_BOUNDARIES: list[tuple[Any, str]] = [
    ("{not json", "the boundary is not valid JSON"),
    ({"type": "Point", "coordinates": [5.1, 52.1]}, "the boundary must be a GeoJSON Polygon or MultiPolygon"),
    ({"type": "Polygon", "coordinates": []}, "a polygon of the boundary has no rings"),
    (
        {"type": "Polygon", "coordinates": [SQUARE[:3]]},
        "every ring of the boundary needs at least four points",
    ),
    (
        {"type": "Polygon", "coordinates": [[*SQUARE[:4], [5.2, 52.2]]]},
        "every ring of the boundary ends where it starts (a closed ring)",
    ),
    (
        {"type": "Polygon", "coordinates": [[[5.1, 95.0], *SQUARE[1:4], [5.1, 95.0]]]},
        (
            "a point of the boundary lies outside the earth's coordinates (longitude -180 to 180, "
            "latitude -90 to 90)"
        ),
    ),
    (
        {"type": "MultiPolygon", "coordinates": [[[["a", "b"], *SQUARE[1:]]]]},
        "every point of the boundary is a pair of numbers: longitude, latitude",
    ),
]


@pytest.mark.parametrize(("shape", "message"), BAD_BOUNDARIES, ids=[m[:30] for _s, m in BAD_BOUNDARIES])
def test_a_bad_boundary_is_named(shape: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as bad:
        checked_boundary(shape if isinstance(shape, str) else json.dumps(shape))
    assert (bad.value.message, bad.value.field) == (message, "boundary")
