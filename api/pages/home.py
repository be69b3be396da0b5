"""The home page: find your neighbourhood by name or postcode; the municipalities as entry points."""

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from api.dependencies import CurrentActor
from api.providers import Finders, Initiatives, Places, Pots
from api.rendering import page
from buurtbudget.initiatives.service import InitiativeFilter
from buurtbudget.places.finder import Kind
from buurtbudget.pots.models import Pot

Search = Annotated[str | None, QueryParameter(name="q", max_length=100)]


class HomePage(Controller):
    include_in_schema = False
    tags = ["pages"]

    @get("/", operation_id="homePage")
    async def home(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        finder: Finders,
        places: Places,
        initiatives: Initiatives,
        pots: Pots,
        q: Search = None,
    ) -> Template:
        finding = await finder.find(q or "")
        found = {n.id for n in finding.hits}
        current_pot: dict[int, Pot] = {}
        for pot in await pots.list_pots():  # newest period first: the first seen is the current pot
            if pot.neighbourhood_id in found:
                current_pot.setdefault(pot.neighbourhood_id, pot)
        latest = await initiatives.search(actor, InitiativeFilter(per_page=6))
        return page(
            request,
            "home.html",
            finding=finding,
            kinds=Kind,
            current_pot=current_pot,
            summaries=await pots.summaries([pot.id for pot in current_pot.values()]),
            counts=await initiatives.public_counts(),
            municipalities=await places.municipalities(),
            sizes=await places.neighbourhood_counts(),
            latest=latest.items,
        )

    @get("/gemeenten/{slug:str}", operation_id="municipalityPage")
    async def municipality(
        self, request: Request[Any, Any, Any], places: Places, initiatives: Initiatives, slug: FromPath[str]
    ) -> Template:
        """A municipality's neighbourhoods, by district, for those who prefer to browse."""
        municipality = await places.by_slug(slug)
        neighbourhoods = await places.neighbourhoods_of(municipality.id)
        by_district: dict[str, list[Any]] = {}
        for neighbourhood in neighbourhoods:
            by_district.setdefault(neighbourhood.district or "", []).append(neighbourhood)
        return page(
            request,
            "municipality.html",
            municipality=municipality,
            by_district=by_district,
            counts=await initiatives.public_counts(),
        )
