"""The home page: every neighbourhood with its pot and newest initiatives."""

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from api.dependencies import CurrentActor, DbSession
from api.rendering import page
from buurtbudget.initiatives.service import InitiativeFilter, InitiativeService
from buurtbudget.places import service as places
from buurtbudget.pots.models import Pot
from buurtbudget.pots.service import PotService


class HomePage(Controller):
    include_in_schema = False

    @get("/", operation_id="homePage", tags=["pages"])
    async def home(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor
    ) -> Template:
        neighbourhoods = await places.list_neighbourhoods(db_session)
        pot_service = PotService(db_session)
        pots = await pot_service.list_pots()
        summaries = await pot_service.summaries([pot.id for pot in pots])
        current_pot: dict[int, Pot] = {}
        for pot in pots:  # newest period first, so the first seen is the current pot
            current_pot.setdefault(pot.neighbourhood_id, pot)
        initiatives = InitiativeService(db_session)
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
