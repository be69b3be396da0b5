"""The municipality's contact for residents (shown where a neighbourhood has no broker), kept in a page
at /beheer/gemeenten/{id}/contact by its administrators."""

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import sentence
from api.providers import Places
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import gettext
from buurtbudget.places.admin import CONTACT_LIMITS, MunicipalityChanges

FIELDS = tuple(CONTACT_LIMITS)


class MunicipalityContactPages(Controller):
    path = "/beheer/gemeenten/{municipality_id:int}/contact"
    include_in_schema = False
    tags = ["pages"]

    @get("/", operation_id="municipalityContactPage")
    async def contact_page(
        self, request: Request[Any, Any, Any], actor: CurrentActor, places: Places, municipality_id: PathId
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        municipality = await places.administered(actor, municipality_id)
        values = {field: getattr(municipality, field) or "" for field in FIELDS}
        return page(request, "places/contact.html", municipality=municipality, values=values, errors={})

    @post("/", operation_id="municipalityContactPost")
    async def save(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        locale: Locale,
        places: Places,
        municipality_id: PathId,
    ) -> Template | Redirect:
        """Empty fields remove what was there; a bad value is named at its field and nothing is saved."""
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        values = {field: str(form.get(field) or "") for field in FIELDS}
        try:
            await places.update_municipality(actor, municipality_id, MunicipalityChanges(**values))
        except InvalidInput as error:
            await db_session.rollback()
            field = error.field if error.field in FIELDS else FIELDS[0]
            return page(
                request,
                "places/contact.html",
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
                municipality=await places.administered(actor, municipality_id),
                values=values,
                errors={field: sentence(gettext(error.message, locale))},
            )
        return see_other(f"/beheer/gemeenten/{municipality_id}/buurten", gedaan="contact")
