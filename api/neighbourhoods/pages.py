"""The neighbourhood page: its pot, its broker and its initiatives."""

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath
from litestar.response import Template

from api.dependencies import CurrentActor, DbSession
from api.rendering import page
from buurtbudget.initiatives.service import InitiativeFilter, InitiativeService
from buurtbudget.places import service as places
from buurtbudget.pots.service import PotService


class NeighbourhoodPage(Controller):
    include_in_schema = False

    @get("/buurten/{slug:str}", operation_id="neighbourhoodPage", tags=["pages"])
    async def neighbourhood(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, slug: FromPath[str]
    ) -> Template:
        neighbourhood = await places.get_by_slug(db_session, slug)
        pot_service = PotService(db_session)
        pots = await pot_service.list_pots(neighbourhood.id)
        initiatives = InitiativeService(db_session)
        listing = await initiatives.search(
            actor, InitiativeFilter(neighbourhood_id=neighbourhood.id, per_page=100)
        )
        return page(
            request,
            "neighbourhood.html",
            neighbourhood=neighbourhood,
            pots=pots,
            summaries=await pot_service.summaries([pot.id for pot in pots]),
            broker=await initiatives.broker_of(neighbourhood.id),
            initiatives=listing.items,
            total=listing.total,
        )
