"""Adding and renaming municipalities in pages (/beheer/gemeenten/nieuw, /beheer/gemeenten/{id}/bewerken),
for the platform administrator, with the same service calls as the JSON API."""

from typing import Any

from litestar import Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other
from api.pages.form_errors import sentence
from api.pages.staff_base import StaffPages
from api.providers import Places
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed
from buurtbudget.i18n import gettext
from buurtbudget.people.roles import Actor
from buurtbudget.places.admin import MunicipalityChanges

FIELDS = ("name", "cbs_code", "slug")
ONLY_PLATFORM = "only the platform administrator adds municipalities"  # the service's own message id
ONLY_PLATFORM_RENAMES = "only the platform administrator renames municipalities"


def _platform_only(actor: Actor, message: str) -> None:
    """The forms themselves are shown to the platform administrator only, as their posts are."""
    if not actor.is_platform_admin:
        raise NotAllowed(message)


def _error(error: InvalidInput | Conflict, locale: str) -> tuple[dict[str, str], int]:
    field = str(error.params.get("field") or "name")
    status = HTTP_409_CONFLICT if isinstance(error, Conflict) else HTTP_422_UNPROCESSABLE_ENTITY
    return {field if field in FIELDS else "name": sentence(gettext(error.message, locale))}, status


class MunicipalityAdminPages(StaffPages):
    path = "/beheer/gemeenten"

    @get("/nieuw", operation_id="newMunicipalityPage")
    async def new_page(self, request: Request[Any, Any, Any], actor: CurrentActor) -> Template:
        _platform_only(actor, ONLY_PLATFORM)
        return page(request, "places/municipality_form.html", municipality=None, values={}, errors={})

    @post("/nieuw", operation_id="newMunicipalityPost")
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        places: Places,
    ) -> Template | Redirect:
        """A bad or taken name, CBS code or short name is named at its field; nothing is written."""
        form = await request.form()
        values = {field: str(form.get(field) or "") for field in FIELDS}
        try:
            await places.create_municipality(
                actor, name=values["name"], cbs_code=values["cbs_code"], slug=values["slug"] or None
            )
        except (InvalidInput, Conflict) as error:
            await db_session.rollback()
            errors, status = _error(error, locale)
            return page(
                request,
                "places/municipality_form.html",
                status_code=status,
                municipality=None,
                values=values,
                errors=errors,
            )
        return see_other("/beheer", gedaan="gemeente-toegevoegd")

    @get("/{municipality_id:int}/bewerken", operation_id="editMunicipalityPage")
    async def edit_page(
        self, request: Request[Any, Any, Any], actor: CurrentActor, places: Places, municipality_id: PathId
    ) -> Template:
        _platform_only(actor, ONLY_PLATFORM_RENAMES)
        municipality = await places.municipality(municipality_id)
        values = {"name": municipality.name}
        return page(
            request, "places/municipality_form.html", municipality=municipality, values=values, errors={}
        )

    @post("/{municipality_id:int}/bewerken", operation_id="editMunicipalityPost")
    async def rename(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        municipality_id: PathId,
    ) -> Template | Redirect:
        _platform_only(actor, ONLY_PLATFORM_RENAMES)
        form = await request.form()
        values = {"name": str(form.get("name") or "")}
        try:
            await places.update_municipality(actor, municipality_id, MunicipalityChanges(name=values["name"]))
        except (InvalidInput, Conflict) as error:
            await db_session.rollback()
            errors, status = _error(error, locale)
            return page(
                request,
                "places/municipality_form.html",
                status_code=status,
                municipality=await places.municipality(municipality_id),
                values=values,
                errors=errors,
            )
        return see_other("/beheer", gedaan="gemeente-gewijzigd")
