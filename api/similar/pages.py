"""Pages: suggestions while typing a title (htmx fragment or a plain page), contact, and consent."""

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.labels import STATE_LABELS
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import sentence, whole_number
from api.providers import Similar
from api.rendering import page
from api.schemas import PathId
from api.similar.presenters import many_out
from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import gettext
from buurtbudget.places import service as places

Text = Annotated[str | None, QueryParameter(max_length=2000)]
Digits = Annotated[str | None, QueryParameter(max_length=12)]
CONSENT_RETURNS = {"controleren": "/stappen/controleren", "pagina": ""}


def _id(value: str | None) -> int | None:
    return whole_number(value, minimum=1)


class SimilarPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    @get("/initiatieven/vergelijkbaar", operation_id="similarSuggestionsPage")
    async def suggestions(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        similar: Similar,
        locale: Locale,
        title: Text = None,
        neighbourhood_id: Digits = None,
    ) -> Template:
        """The htmx fragment under the title field; the same address without JavaScript is a search page."""
        fragment = request.headers.get("hx-request") == "true"
        chosen = _id(neighbourhood_id)
        context: dict[str, Any] = {
            "title": (title or "").strip(),
            "neighbourhood_id": chosen,
            "states": STATE_LABELS,
        }
        status = 200
        if title is not None and (title.strip() or not fragment):
            try:
                found = await similar.suggest(title, chosen)
                context["duplicates"] = many_out(found.duplicates, locale, found.municipality)
                context["elsewhere"] = many_out(found.elsewhere, locale, found.municipality)
            except InvalidInput as error:
                context["error"] = sentence(gettext(error.message, locale))
                context["error_field"] = error.field
                # htmx swaps only successful answers: the fragment shows its hint with a 200.
                status = 200 if fragment else HTTP_422_UNPROCESSABLE_ENTITY
        if fragment:
            return page(request, "similar/_suggestions.html", **context)
        neighbourhoods = await places.list_neighbourhoods(db_session)
        return page(
            request, "similar/search.html", status_code=status, neighbourhoods=neighbourhoods, **context
        )

    @get("/initiatieven/{initiative_id:int}/contact", operation_id="contactInitiatorPage")
    async def contact_form(
        self,
        request: Request[Any, Any, Any],
        similar: Similar,
        actor: CurrentActor,
        initiative_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        initiative, _people = await similar.recipients(actor, initiative_id)
        return page(request, "similar/contact.html", initiative=initiative, message="", errors={})

    @post("/initiatieven/{initiative_id:int}/contact", operation_id="contactInitiatorPost")
    async def contact(
        self,
        request: Request[Any, Any, Any],
        similar: Similar,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        message = str(form.get("bericht") or "")
        try:
            sent = await similar.contact(actor, initiative_id, message)
        except InvalidInput as error:
            initiative, _people = await similar.recipients(actor, initiative_id)
            return page(
                request,
                "similar/contact.html",
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
                initiative=initiative,
                message=message,
                errors={"bericht": sentence(gettext(error.message, locale))},
            )
        return page(request, "similar/contact_sent.html", initiative=sent.initiative)

    @post("/initiatieven/{initiative_id:int}/contact-toestemming", operation_id="contactConsentPost")
    async def consent(
        self,
        request: Request[Any, Any, Any],
        similar: Similar,
        actor: CurrentActor,
        initiative_id: PathId,
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        await similar.set_consent(actor, initiative_id, form.get("toestemming") == "ja")
        back = CONSENT_RETURNS.get(str(form.get("terug") or ""), "")
        return see_other(f"/initiatieven/{initiative_id}{back}", opgeslagen="toestemming")
