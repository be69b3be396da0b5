"""The neighbourhood page: its pot, its broker and its initiatives (searchable, live with htmx)."""

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from api.dependencies import CurrentActor, DbSession
from api.initiatives.labels import STATE_LABELS
from api.providers import Initiatives, Pots
from api.rendering import page
from buurtbudget.initiatives.service import InitiativeFilter
from buurtbudget.places import service as places

Search = Annotated[str | None, QueryParameter(name="zoek", max_length=100)]


class NeighbourhoodPage(Controller):
    include_in_schema = False

    @get("/buurten/{slug:str}", operation_id="neighbourhoodPage", tags=["pages"])
    async def neighbourhood(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        pots: Pots,
        initiatives: Initiatives,
        actor: CurrentActor,
        slug: FromPath[str],
        zoek: Search = None,
    ) -> Template:
        neighbourhood = await places.get_by_slug(db_session, slug)
        neighbourhood_pots = await pots.list_pots(neighbourhood.id)
        listing = await initiatives.search(
            actor, InitiativeFilter(neighbourhood_id=neighbourhood.id, text=zoek or None, per_page=100)
        )
        return page(
            request,
            "neighbourhood.html",
            neighbourhood=neighbourhood,
            pots=neighbourhood_pots,
            summaries=await pots.summaries([pot.id for pot in neighbourhood_pots]),
            broker=await initiatives.broker_of(neighbourhood.id),
            initiatives=listing.items,
            total=listing.total,
            states=STATE_LABELS,
            search=zoek or "",
        )
