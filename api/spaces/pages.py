"""Space pages: find spaces, a space with its agenda, register and change a space, its calendar feed."""

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from api.dependencies import AppSettings, CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import NumberText, filter_number, translated
from api.providers import Bookings, Spaces
from api.rendering import page
from api.schemas import ID_MAX, PathId
from api.spaces import calendars, form_input
from api.spaces.texts import WEEKDAYS, facility_label
from buurtbudget.errors import InvalidInput
from buurtbudget.people.roles import Actor, Role
from buurtbudget.places import service as places
from buurtbudget.spaces.errors import NotASpaceManager
from buurtbudget.spaces.models import Space
from buurtbudget.spaces.service import SpaceFilter, SpaceService
from matching import default_catalogues

Text = Annotated[str | None, QueryParameter(name="zoek", max_length=100)]
Wheelchair = Annotated[str | None, QueryParameter(name="rolstoel", max_length=5)]
Toilet = Annotated[str | None, QueryParameter(name="toilet", max_length=5)]
Facilities = Annotated[
    list[Annotated[str, QueryParameter(max_length=40)]] | None,
    QueryParameter(name="voorziening", max_items=20),
]
Saved = Annotated[str | None, QueryParameter(name="opgeslagen", max_length=5)]


def facility_options(locale: str) -> list[tuple[str, str]]:
    """Every facility of the catalogue, as (code, name in the visitor's language)."""
    return sorted(
        ((code, facility_label(code, locale)) for code in default_catalogues().facilities.entries),
        key=lambda option: option[1],
    )


def _getters(form: FormMultiDict) -> tuple[Any, Any]:
    return (lambda name: str(form.get(name) or "")), (lambda name: [str(v) for v in form.getall(name, [])])


def is_professional(actor: Actor) -> bool:
    """Brokers and admins may register a space for its owner."""
    return any(g.role in {Role.BROKER, Role.MUNICIPALITY_ADMIN, Role.PLATFORM_ADMIN} for g in actor.grants)


class SpacePages(Controller):
    include_in_schema = False
    tags = ["pages"]

    @get("/ruimtes", operation_id="spacesPage")
    async def spaces(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        spaces: Spaces,
        locale: Locale,
        zoek: Text = None,
        mensen: NumberText = None,
        rolstoel: Wheelchair = None,
        toilet: Toilet = None,
        voorziening: Facilities = None,
        buurt: NumberText = None,
    ) -> Template:
        known = default_catalogues().facilities.entries
        chosen = [code for code in (voorziening or []) if code in known]
        errors: dict[str, str] = {}
        people = filter_number("mensen", mensen, errors, minimum=1, maximum=100_000)
        neighbourhood_id = filter_number("buurt", buurt, errors, minimum=1, maximum=ID_MAX)
        result = await spaces.search(
            SpaceFilter(
                neighbourhood_id=neighbourhood_id,
                text=zoek,
                people=people,
                wheelchair_accessible=bool(rolstoel),
                accessible_toilet=bool(toilet),
                facilities=tuple(chosen),
                per_page=100,
            )
        )
        return page(
            request,
            "spaces/list.html",
            status_code=HTTP_422_UNPROCESSABLE_ENTITY if errors else 200,
            spaces=result.items,
            total=result.total,
            search={"zoek": zoek or "", "mensen": mensen or "", "rolstoel": rolstoel, "toilet": toilet},
            errors=translated(errors, locale),
            chosen=chosen,
            neighbourhood_id=neighbourhood_id,
            neighbourhoods=await places.list_neighbourhoods(db_session),
            facilities=facility_options(locale),
            label=lambda code: facility_label(code, locale),
        )

    async def _form(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        actor: Actor,
        locale: str,
        *,
        space: Space | None,
        values: dict[str, str],
        chosen: list[str],
        errors: dict[str, str] | None = None,
    ) -> Template:
        return page(
            request,
            "spaces/form.html",
            status_code=HTTP_422_UNPROCESSABLE_ENTITY if errors else 200,
            space=space,
            values=values,
            chosen=chosen,
            errors=translated(errors or {}, locale),
            neighbourhoods=await places.list_neighbourhoods(db_session),
            facilities=facility_options(locale),
            weekdays=WEEKDAYS,
            for_someone_else=space is None and is_professional(actor),
        )

    @get("/ruimtes/nieuw", operation_id="newSpacePage")
    async def new(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, locale: Locale
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        home = next((g.neighbourhood_id for g in actor.grants if g.neighbourhood_id is not None), None)
        values = {"neighbourhood_id": str(home or ""), "bookable": "1"}
        return await self._form(request, db_session, actor, locale, space=None, values=values, chosen=[])

    @post("/ruimtes/nieuw", operation_id="newSpacePost")
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        spaces: Spaces,
        actor: CurrentActor,
        locale: Locale,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        get_value, getall = _getters(form)
        content, errors = form_input.read_space(get_value, getall)
        if content is not None:
            owner = get_value("owner_email").strip() or None
            try:
                space = await spaces.register(actor, content, owner_email=owner)
            except InvalidInput as error:
                errors = {form_input.SPACE_FIELDS.get(error.field, error.field): error.message}
            else:
                return see_other(f"/ruimtes/{space.id}", opgeslagen="1")
        values = {key: str(value) for key, value in form.items()}
        return await self._form(
            request,
            db_session,
            actor,
            locale,
            space=None,
            values=values,
            chosen=getall("facilities"),
            errors=errors,
        )

    @get("/ruimtes/{space_id:int}", operation_id="spacePage")
    async def space(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        spaces: Spaces,
        bookings: Bookings,
        actor: CurrentActor,
        locale: Locale,
        space_id: PathId,
        opgeslagen: Saved = None,
    ) -> Template:
        space = await spaces.get(space_id)
        agenda = await bookings.for_space(space)
        return page(
            request,
            "spaces/space.html",
            space=space,
            neighbourhood=await places.get_neighbourhood(db_session, space.neighbourhood_id),
            can_manage=await spaces.can_manage(actor, space),
            agenda=agenda,
            details=await bookings.visible_details(actor, agenda),
            weekdays=WEEKDAYS,
            label=lambda code: facility_label(code, locale),
            saved=bool(opgeslagen),
        )

    @get("/ruimtes/{space_id:int}/bewerken", operation_id="editSpacePage")
    async def edit(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        spaces: Spaces,
        actor: CurrentActor,
        locale: Locale,
        space_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        space = await self._managed(spaces, actor, space_id)
        values = form_input.space_values(space, locale)
        return await self._form(
            request, db_session, actor, locale, space=space, values=values, chosen=space.facilities
        )

    @post("/ruimtes/{space_id:int}/bewerken", operation_id="editSpacePost")
    async def update(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        spaces: Spaces,
        actor: CurrentActor,
        locale: Locale,
        space_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        space = await self._managed(spaces, actor, space_id)
        form = await request.form()
        get_value, getall = _getters(form)
        content, errors = form_input.read_space(get_value, getall)
        if content is not None:
            try:
                await spaces.update(actor, space_id, content)
            except InvalidInput as error:
                errors = {form_input.SPACE_FIELDS.get(error.field, error.field): error.message}
            else:
                return see_other(f"/ruimtes/{space_id}", opgeslagen="1")
        values = {key: str(value) for key, value in form.items()}
        space = await spaces.get(space_id)
        return await self._form(
            request,
            db_session,
            actor,
            locale,
            space=space,
            values=values,
            chosen=getall("facilities"),
            errors=errors,
        )

    @staticmethod
    async def _managed(spaces: SpaceService, actor: Actor, space_id: int) -> Space:
        space = await spaces.get(space_id)
        if not await spaces.can_manage(actor, space):
            raise NotASpaceManager("only the owner or a broker of the neighbourhood changes a space")
        return space

    @get("/ruimtes/{space_id:int}/agenda.ics", operation_id="spaceCalendarPage")
    async def feed(
        self, spaces: Spaces, bookings: Bookings, settings: AppSettings, locale: Locale, space_id: PathId
    ) -> Response[bytes]:
        return await calendars.space_feed(spaces, bookings, settings, locale, space_id)
