"""Suitable spaces for an initiative: its space needs, the ranked spaces and why each fits."""

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from api import formatting
from api.dependencies import CurrentActor, DbSession, Locale
from api.rendering import page
from api.schemas import PathId
from api.spaces.pages import Facilities, Toilet, Wheelchair, facility_options
from api.spaces.texts import facility_label, reason_text
from buurtbudget.places import service as places
from buurtbudget.spaces.matches import MatchOptions, SpaceMatcher
from buurtbudget.workdays import AMSTERDAM
from matching import Reason, default_catalogues

MaxPrice = Annotated[int | None, QueryParameter(name="max_prijs", ge=0, le=10_000)]


class SpaceMatchPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    @get("/initiatieven/{initiative_id:int}/ruimtes", operation_id="initiativeSpacesPage")
    async def matches(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
        rolstoel: Wheelchair = None,
        toilet: Toilet = None,
        voorziening: Facilities = None,
        max_prijs: MaxPrice = None,
    ) -> Template:
        known = default_catalogues().facilities.entries
        chosen = [code for code in (voorziening or []) if code in known]
        options = MatchOptions(
            wheelchair_accessible=bool(rolstoel),
            accessible_toilet=bool(toilet),
            required_facilities=tuple(chosen),
            max_price_per_hour_cents=None if max_prijs is None else max_prijs * 100,
        )
        initiative, results = await SpaceMatcher(db_session).for_initiative(actor, initiative_id, options)

        def explain(reason: Reason) -> str:
            return reason_text(reason, locale, lambda cents: formatting.money(cents, locale))

        return page(
            request,
            "spaces/matches.html",
            initiative=initiative,
            neighbourhood=await places.get_neighbourhood(db_session, initiative.neighbourhood_id),
            results=results,
            explain=explain,
            search={
                "rolstoel": rolstoel,
                "toilet": toilet,
                "max_prijs": "" if max_prijs is None else max_prijs,
            },
            chosen=chosen,
            facilities=facility_options(locale),
            label=lambda code: facility_label(code, locale),
            zone=AMSTERDAM,
        )
