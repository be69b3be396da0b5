"""The home page: every neighbourhood with its pot and newest initiatives."""

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from api.dependencies import CurrentActor, DbSession
from api.providers import Initiatives, Pots
from api.rendering import page
from buurtbudget.initiatives.service import InitiativeFilter
from buurtbudget.places import service as places
from buurtbudget.pots.models import Pot


class HomePage(Controller):
    include_in_schema = False

    @get("/", operation_id="homePage", tags=["pages"])
    async def home(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        pots: Pots,
        initiatives: Initiatives,
        actor: CurrentActor,
    ) -> Template:
        neighbourhoods = await places.list_neighbourhoods(db_session)
        all_pots = await pots.list_pots()
        summaries = await pots.summaries([pot.id for pot in all_pots])
        current_pot: dict[int, Pot] = {}
        for pot in all_pots:  # newest period first, so the first seen is the current pot
            current_pot.setdefault(pot.neighbourhood_id, pot)
        counts = await initiatives.public_counts()
        by_municipality: dict[str, list[Any]] = {}
        for neighbourhood in neighbourhoods:
            by_municipality.setdefault(neighbourhood.municipality.name, []).append(neighbourhood)
        latest = await initiatives.search(actor, InitiativeFilter(per_page=6))
        return page(
            request,
            "home.html",
            by_municipality=by_municipality,
            current_pot=current_pot,
            summaries=summaries,
            counts=counts,
            latest=latest.items,
        )
