"""The municipality's neighbourhood pages under /beheer/gemeenten/{id}/buurten: the list, adding and
editing a neighbourhood (name, district, CBS code, boundary) and its borders."""

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import sentence, whole_number
from api.providers import Places
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import Conflict, InvalidInput
from buurtbudget.i18n import gettext
from buurtbudget.people.roles import Actor
from buurtbudget.places import service as places_service
from buurtbudget.places.admin import NeighbourhoodChanges, PlacesAdmin

FIELDS = ("name", "district", "cbs_code", "boundary")
BASE = "/beheer/gemeenten/{municipality_id:int}/buurten"
Notice = Annotated[str | None, QueryParameter(max_length=40)]  # what was just done: `gedaan=toegevoegd`


def _form_values(form: Any) -> dict[str, str]:
    return {name: str(form.get(name) or "") for name in (*FIELDS, "grens_weg")}


def _error(error: InvalidInput | Conflict, locale: str) -> dict[str, str]:
    field = str(error.params.get("field") or "name")
    return {field if field in FIELDS else "name": sentence(gettext(error.message, locale))}


class NeighbourhoodAdminPages(Controller):
    path = BASE
    include_in_schema = False
    tags = ["pages"]

    @get("/", operation_id="municipalityNeighbourhoodsPage")
    async def list_page(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        places: Places,
        municipality_id: PathId,
        gedaan: Notice = None,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        municipality = await places.administered(actor, municipality_id)
        adjacency = await places_service.adjacency(db_session)
        return page(
            request,
            "places/list.html",
            municipality=municipality,
            neighbourhoods=await places.neighbourhoods_of(municipality.id),
            postcodes=await places.postcode_counts(municipality.id),
            borders={key: len(value) for key, value in adjacency.items()},
            notice=gedaan or "",
        )

    async def _form(
        self,
        request: Request[Any, Any, Any],
        places: PlacesAdmin,
        actor: Actor,
        municipality_id: int,
        neighbourhood_id: int | None,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        municipality = await places.administered(actor, municipality_id)
        neighbourhood = None
        if neighbourhood_id is not None:
            neighbourhood = await places.administered_neighbourhood(actor, neighbourhood_id, municipality.id)
        if values is None:
            values = dict.fromkeys(FIELDS, "")
            if neighbourhood is not None:
                values.update(
                    name=neighbourhood.name,
                    district=neighbourhood.district or "",
                    cbs_code=neighbourhood.cbs_code,
                    boundary=neighbourhood.boundary or "",
                )
        return page(
            request,
            "places/neighbourhood_form.html",
            status_code=status_code,
            municipality=municipality,
            neighbourhood=neighbourhood,
            values=values,
            errors=errors or {},
        )

    @get("/nieuw", operation_id="newNeighbourhoodPage")
    async def new_page(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        places: Places,
        municipality_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await self._form(request, places, actor, municipality_id, None)

    @post("/nieuw", operation_id="newNeighbourhoodPost")
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        municipality_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        values = _form_values(await request.form())
        try:
            await places.create_neighbourhood(
                actor,
                municipality_id,
                name=values["name"],
                cbs_code=values["cbs_code"],
                district=values["district"],
                boundary=values["boundary"],
            )
        except (InvalidInput, Conflict) as error:
            await db_session.rollback()
            status = HTTP_409_CONFLICT if isinstance(error, Conflict) else HTTP_422_UNPROCESSABLE_ENTITY
            return await self._form(
                request,
                places,
                actor,
                municipality_id,
                None,
                values=values,
                errors=_error(error, locale),
                status_code=status,
            )
        return see_other(f"/beheer/gemeenten/{municipality_id}/buurten", gedaan="toegevoegd")

    @get("/{neighbourhood_id:int}", operation_id="editNeighbourhoodPage")
    async def edit_page(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        places: Places,
        municipality_id: PathId,
        neighbourhood_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await self._form(request, places, actor, municipality_id, neighbourhood_id)

    @post("/{neighbourhood_id:int}", operation_id="editNeighbourhoodPost")
    async def update(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        municipality_id: PathId,
        neighbourhood_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        values = _form_values(await request.form())
        clear = values["grens_weg"] == "ja" or not values["boundary"].strip()
        changes = NeighbourhoodChanges(
            name=values["name"],
            district=values["district"],
            cbs_code=values["cbs_code"],
            boundary=None if clear else values["boundary"],
            clear_boundary=clear,
        )
        try:
            await places.update_neighbourhood(
                actor, neighbourhood_id, changes, municipality_id=municipality_id
            )
        except (InvalidInput, Conflict) as error:
            await db_session.rollback()
            status = HTTP_409_CONFLICT if isinstance(error, Conflict) else HTTP_422_UNPROCESSABLE_ENTITY
            return await self._form(
                request,
                places,
                actor,
                municipality_id,
                neighbourhood_id,
                values=values,
                errors=_error(error, locale),
                status_code=status,
            )
        return see_other(f"/beheer/gemeenten/{municipality_id}/buurten", gedaan="opgeslagen")

    async def _borders(
        self,
        request: Request[Any, Any, Any],
        places: PlacesAdmin,
        actor: Actor,
        municipality_id: int,
        neighbourhood_id: int,
        *,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        neighbourhood = await places.administered_neighbourhood(actor, neighbourhood_id, municipality_id)
        adjacent = await places.adjacent_to(neighbourhood.id)
        known = {n.id for n in adjacent}
        candidates = [n for n in await places.border_candidates(actor, neighbourhood) if n.id not in known]
        return page(
            request,
            "places/borders.html",
            status_code=status_code,
            municipality=neighbourhood.municipality,
            neighbourhood=neighbourhood,
            adjacent=adjacent,
            candidates=candidates,
            errors=errors or {},
        )

    @get("/{neighbourhood_id:int}/grenzen", operation_id="neighbourhoodBordersPage")
    async def borders_page(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        places: Places,
        municipality_id: PathId,
        neighbourhood_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await self._borders(request, places, actor, municipality_id, neighbourhood_id)

    @post("/{neighbourhood_id:int}/grenzen", operation_id="neighbourhoodBordersPost")
    async def set_border(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        municipality_id: PathId,
        neighbourhood_id: PathId,
    ) -> Template | Redirect:
        """Add the neighbour chosen in the list (`buur`), or remove one (`weg`)."""
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        removed = whole_number(str(form.get("weg") or ""), minimum=1)
        added = whole_number(str(form.get("buur") or ""), minimum=1)
        other = removed if removed is not None else added
        if other is None:
            message = sentence(gettext("Choose a neighbourhood from the list.", locale))
            return await self._borders(
                request,
                places,
                actor,
                municipality_id,
                neighbourhood_id,
                errors={"buur": message},
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        try:
            await places.set_border(
                actor, neighbourhood_id, other, adjacent=removed is None, municipality_id=municipality_id
            )
        except InvalidInput as error:
            await db_session.rollback()
            return await self._borders(
                request,
                places,
                actor,
                municipality_id,
                neighbourhood_id,
                errors={"buur": sentence(gettext(error.message, locale))},
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return see_other(f"/beheer/gemeenten/{municipality_id}/buurten/{neighbourhood_id}/grenzen")
