"""JSON endpoints for neighbourhoods under /api/v1/neighbourhoods: reading and finding for everyone,
setting up (add, change, borders) for the municipality's administrators."""

import json
from typing import Annotated

from litestar import Controller, delete, get, patch, post, put
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from api.dependencies import CurrentActor, DbSession
from api.guards import PUBLIC, requires_signed_in
from api.neighbourhoods.schemas import MunicipalityOut, NeighbourhoodOut
from api.places.schemas import BoundaryOut, NeighbourhoodIn, NeighbourhoodPatch
from api.providers import Finders, Places
from api.schemas import PathId
from buurtbudget.places import service as places_service
from buurtbudget.places.admin import NeighbourhoodChanges
from buurtbudget.places.models import Neighbourhood

Query = Annotated[str, QueryParameter(name="q", min_length=1, max_length=100)]


def neighbourhood_out(neighbourhood: Neighbourhood, adjacency: dict[int, list[int]]) -> NeighbourhoodOut:
    return NeighbourhoodOut(
        id=neighbourhood.id,
        name=neighbourhood.name,
        label=neighbourhood.label,
        district=neighbourhood.district,
        slug=neighbourhood.slug,
        cbs_code=neighbourhood.cbs_code,
        has_boundary=neighbourhood.boundary is not None,
        municipality=MunicipalityOut.model_validate(neighbourhood.municipality),
        adjacent_ids=adjacency.get(neighbourhood.id, []),
    )


class NeighbourhoodController(Controller):
    path = "/api/v1/neighbourhoods"
    tags = ["neighbourhoods"]
    guards = [requires_signed_in]

    @get(
        "/",
        operation_id="listNeighbourhoods",
        summary="All neighbourhoods with their municipality",
        opt=PUBLIC,
    )
    async def list_neighbourhoods(self, db_session: DbSession) -> list[NeighbourhoodOut]:
        adjacency = await places_service.adjacency(db_session)
        return [neighbourhood_out(n, adjacency) for n in await places_service.list_neighbourhoods(db_session)]

    @get(
        "/search",
        operation_id="findNeighbourhoods",
        summary="Find neighbourhoods by name (typos allowed, accents ignored) or postcode (3552 AB, 3552)",
        opt=PUBLIC,
    )
    async def find(self, db_session: DbSession, finder: Finders, q: Query) -> list[NeighbourhoodOut]:
        finding = await finder.find(q)
        adjacency = await places_service.adjacency(db_session)
        return [neighbourhood_out(n, adjacency) for n in finding.hits]

    @get("/{neighbourhood_id:int}", operation_id="getNeighbourhood", summary="One neighbourhood", opt=PUBLIC)
    async def get_neighbourhood(self, db_session: DbSession, neighbourhood_id: PathId) -> NeighbourhoodOut:
        neighbourhood = await places_service.get_neighbourhood(db_session, neighbourhood_id)
        return neighbourhood_out(neighbourhood, await places_service.adjacency(db_session))

    @get(
        "/{neighbourhood_id:int}/boundary",
        operation_id="getNeighbourhoodBoundary",
        summary="A neighbourhood's boundary as GeoJSON (null when none is known)",
        opt=PUBLIC,
    )
    async def boundary(self, db_session: DbSession, neighbourhood_id: PathId) -> BoundaryOut:
        neighbourhood = await places_service.get_neighbourhood(db_session, neighbourhood_id)
        shape = None if neighbourhood.boundary is None else json.loads(neighbourhood.boundary)
        return BoundaryOut(neighbourhood_id=neighbourhood.id, boundary=shape)

    async def _out(self, db_session: DbSession, places: Places, neighbourhood_id: int) -> NeighbourhoodOut:
        neighbourhood = await places.neighbourhood(neighbourhood_id)
        return neighbourhood_out(neighbourhood, await places_service.adjacency(db_session))

    @post(
        "/",
        operation_id="createNeighbourhood",
        summary="Add a neighbourhood (the municipality's administrators)",
        status_code=HTTP_201_CREATED,
    )
    async def create(
        self, db_session: DbSession, places: Places, actor: CurrentActor, data: JSONBody[NeighbourhoodIn]
    ) -> NeighbourhoodOut:
        neighbourhood = await places.create_neighbourhood(
            actor,
            data.municipality_id,
            name=data.name,
            cbs_code=data.cbs_code,
            district=data.district,
            boundary=None if data.boundary is None else json.dumps(data.boundary),
        )
        return await self._out(db_session, places, neighbourhood.id)

    @patch(
        "/{neighbourhood_id:int}",
        operation_id="updateNeighbourhood",
        summary="Rename, set the district, correct the CBS code, set or clear the boundary (administrators)",
    )
    async def update(
        self,
        db_session: DbSession,
        places: Places,
        actor: CurrentActor,
        neighbourhood_id: PathId,
        data: JSONBody[NeighbourhoodPatch],
    ) -> NeighbourhoodOut:
        changes = NeighbourhoodChanges(
            name=data.name,
            district=data.district,
            cbs_code=data.cbs_code,
            boundary=None if data.boundary is None else json.dumps(data.boundary),
            clear_boundary=data.clear_boundary,
        )
        await places.update_neighbourhood(actor, neighbourhood_id, changes)
        return await self._out(db_session, places, neighbourhood_id)

    @put(
        "/{neighbourhood_id:int}/adjacent/{other_id:int}",
        operation_id="addNeighbourhoodBorder",
        summary="Two neighbourhoods border on each other (both directions; administrators)",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def add_border(
        self, places: Places, actor: CurrentActor, neighbourhood_id: PathId, other_id: PathId
    ) -> None:
        await places.set_border(actor, neighbourhood_id, other_id, adjacent=True)

    @delete(
        "/{neighbourhood_id:int}/adjacent/{other_id:int}",
        operation_id="removeNeighbourhoodBorder",
        summary="Two neighbourhoods no longer border on each other (administrators)",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def remove_border(
        self, places: Places, actor: CurrentActor, neighbourhood_id: PathId, other_id: PathId
    ) -> None:
        await places.set_border(actor, neighbourhood_id, other_id, adjacent=False)
