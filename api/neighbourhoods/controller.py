"""JSON endpoints for neighbourhoods under /api/v1/neighbourhoods."""

from litestar import Controller, get

from api.dependencies import DbSession
from api.neighbourhoods.schemas import MunicipalityOut, NeighbourhoodOut
from api.schemas import PathId
from buurtbudget.places import service as places
from buurtbudget.places.models import Neighbourhood


def _out(neighbourhood: Neighbourhood, adjacency: dict[int, list[int]]) -> NeighbourhoodOut:
    return NeighbourhoodOut(
        id=neighbourhood.id,
        name=neighbourhood.name,
        slug=neighbourhood.slug,
        cbs_code=neighbourhood.cbs_code,
        municipality=MunicipalityOut.model_validate(neighbourhood.municipality),
        adjacent_ids=adjacency.get(neighbourhood.id, []),
    )


class NeighbourhoodController(Controller):
    path = "/api/v1/neighbourhoods"
    tags = ["neighbourhoods"]

    @get("/", operation_id="listNeighbourhoods", summary="All neighbourhoods with their municipality")
    async def list_neighbourhoods(self, db_session: DbSession) -> list[NeighbourhoodOut]:
        adjacency = await places.adjacency(db_session)
        return [_out(n, adjacency) for n in await places.list_neighbourhoods(db_session)]

    @get("/{neighbourhood_id:int}", operation_id="getNeighbourhood", summary="One neighbourhood")
    async def get_neighbourhood(self, db_session: DbSession, neighbourhood_id: PathId) -> NeighbourhoodOut:
        neighbourhood = await places.get_neighbourhood(db_session, neighbourhood_id)
        return _out(neighbourhood, await places.adjacency(db_session))
