"""Suitable spaces for an initiative: its space needs, the ranked spaces and why each fits."""

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, DbSession, Locale
from api.pages.form_errors import NumberText, filter_number, translated
from api.providers import SpaceMatches
from api.rendering import page
from api.schemas import PathId
from api.spaces.pages import Facilities, Toilet, Wheelchair, facility_options
from api.spaces.texts import facility_label, reason_text
from buurtbudget import formatting
from buurtbudget.places import service as places
from buurtbudget.spaces.matches import MatchOptions
from buurtbudget.workdays import AMSTERDAM
from matching import Reason, default_catalogues


class SpaceMatchPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    @get("/initiatieven/{initiative_id:int}/ruimtes", operation_id="initiativeSpacesPage")
    async def matches(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        space_matcher: SpaceMatches,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
        rolstoel: Wheelchair = None,
        toilet: Toilet = None,
        voorziening: Facilities = None,
        max_prijs: NumberText = None,
    ) -> Template:
        errors: dict[str, str] = {}
        max_euros = filter_number("max_prijs", max_prijs, errors, minimum=0, maximum=10_000)
        known = default_catalogues().facilities.entries
        chosen = [code for code in (voorziening or []) if code in known]
        options = MatchOptions(
            wheelchair_accessible=bool(rolstoel),
            accessible_toilet=bool(toilet),
            required_facilities=tuple(chosen),
            max_price_per_hour_cents=None if max_euros is None else max_euros * 100,
        )
        initiative, results = await space_matcher.for_initiative(actor, initiative_id, options)

        def explain(reason: Reason) -> str:
            return reason_text(reason, locale, lambda cents: formatting.money(cents, locale))

        return page(
            request,
            "spaces/matches.html",
            status_code=HTTP_422_UNPROCESSABLE_ENTITY if errors else 200,
            initiative=initiative,
            neighbourhood=await places.get_neighbourhood(db_session, initiative.neighbourhood_id),
            results=results,
            explain=explain,
            search={
                "rolstoel": rolstoel,
                "toilet": toilet,
                "max_prijs": max_prijs or "",
            },
            errors=translated(errors, locale),
            chosen=chosen,
            facilities=facility_options(locale),
            label=lambda code: facility_label(code, locale),
            zone=AMSTERDAM,
        )
