"""Volunteer pages: the profile form, suggestions, offers and answers, the initiative's and broker's views."""

import contextlib
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import sentence, whole_number
from api.providers import Volunteers
from api.rendering import page
from api.schemas import PathId
from api.volunteers import labels, profile_form
from api.volunteers.problems import HANDLERS
from buurtbudget.errors import DomainError, InvalidInput
from buurtbudget.i18n import gettext
from buurtbudget.people.roles import Actor
from buurtbudget.places import service as places
from buurtbudget.volunteers.errors import NoProfile
from buurtbudget.volunteers.service import VolunteerService

Notice = Annotated[str | None, QueryParameter(name="melding", max_length=20)]


def message(error: DomainError, locale: str) -> str:
    """A domain error as a sentence in the visitor's language, with its values filled in."""
    text = gettext(error.message, locale)
    with contextlib.suppress(KeyError, IndexError, ValueError):
        text = text.format(**{k: v for k, v in error.params.items() if isinstance(v, str | int | float)})
    return sentence(text)


def _notice(melding: str | None) -> str | None:
    return labels.NOTICES.get(melding or "")


class VolunteerPages(Controller):
    include_in_schema = False
    tags = ["pages"]
    exception_handlers = HANDLERS

    async def _form(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        volunteers: VolunteerService,
        actor: Actor,
        values: dict[str, object],
        errors: dict[str, str] | None = None,
        *,
        exists: bool,
    ) -> Template:
        catalogues = volunteers.matcher.catalogues
        return page(
            request,
            "volunteers/profile.html",
            status_code=HTTP_422_UNPROCESSABLE_ENTITY if errors else 200,
            values=values,
            errors=errors or {},
            exists=exists,
            neighbourhoods=await places.list_neighbourhoods(db_session),
            skills=sorted(catalogues.skills.entries.values(), key=lambda e: e.label),
            themes=sorted(catalogues.themes.entries.values(), key=lambda e: e.label),
            days=labels.DAYS,
            date_rows=range(profile_form.DATE_ROWS),
        )

    @get("/vrijwilligers", operation_id="volunteerHomePage")
    async def home(
        self,
        request: Request[Any, Any, Any],
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
        melding: Notice = None,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        try:
            profile = await volunteers.my_profile(actor)
        except NoProfile:
            return page(request, "volunteers/home.html", profile=None, notice=_notice(melding))
        return page(
            request,
            "volunteers/home.html",
            profile=profile,
            summary=await volunteers.summary(profile),
            suggestions=await volunteers.suggestions_for_me(actor, locale),
            matches=await volunteers.my_matches(actor, locale),
            notice=_notice(melding),
            labels=labels,
        )

    @get("/vrijwilligers/profiel", operation_id="volunteerProfilePage")
    async def profile_page(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        volunteers: Volunteers,
        actor: CurrentActor,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        try:
            profile = await volunteers.my_profile(actor)
        except NoProfile:
            chosen = next((g.neighbourhood_id for g in actor.grants if g.neighbourhood_id), None)
            values: dict[str, object] = {"neighbourhood_id": str(chosen or ""), "max_commitments": "3"}
            return await self._form(request, db_session, volunteers, actor, values, exists=False)
        return await self._form(
            request, db_session, volunteers, actor, profile_form.values_of(profile), exists=True
        )

    @post("/vrijwilligers/profiel", operation_id="volunteerProfilePost")
    async def save(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()

        def get_value(name: str) -> str:
            return str(form.get(name) or "")

        def getall(name: str) -> list[str]:
            return [str(v) for v in form.getall(name, [])]

        values: dict[str, object] = {key: str(value) for key, value in form.items()}
        values["skills"], values["themes"] = getall("skills"), getall("themes")
        read = profile_form.read(get_value, getall)
        exists = True
        try:
            await volunteers.my_profile(actor)
        except NoProfile:
            exists = False
        if read.profile is None:
            errors = {field: sentence(gettext(text, locale)) for field, text in read.errors.items()}
            return await self._form(request, db_session, volunteers, actor, values, errors, exists=exists)
        try:
            await volunteers.save_profile(actor, read.profile)
        except InvalidInput as error:
            errors = {profile_form.field_of(error, read): message(error, locale)}
            return await self._form(request, db_session, volunteers, actor, values, errors, exists=exists)
        return see_other("/vrijwilligers", melding="opgeslagen")

    @get("/vrijwilligers/profiel/verwijderen", operation_id="volunteerDeletePage")
    async def delete_page(
        self, request: Request[Any, Any, Any], volunteers: Volunteers, actor: CurrentActor
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        profile = await volunteers.my_profile(actor)
        return page(request, "volunteers/delete.html", profile=profile)

    @post("/vrijwilligers/profiel/verwijderen", operation_id="volunteerDeletePost")
    async def delete(
        self, request: Request[Any, Any, Any], volunteers: Volunteers, actor: CurrentActor
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        await volunteers.delete_profile(actor)
        return see_other("/vrijwilligers", melding="verwijderd")

    @post("/vrijwilligers/aanbod/{initiative_id:int}", operation_id="volunteerOfferPost")
    async def offer(
        self,
        request: Request[Any, Any, Any],
        volunteers: Volunteers,
        actor: CurrentActor,
        initiative_id: PathId,
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        await volunteers.offer(actor, initiative_id)
        return see_other("/vrijwilligers", melding="aangeboden")

    @post("/vrijwilligers/matches/{match_id:int}/{answer:str}", operation_id="volunteerAnswerPost")
    async def answer(
        self,
        request: Request[Any, Any, Any],
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
        match_id: PathId,
        answer: FromPath[str],
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        if answer not in ("ja", "nee"):
            raise InvalidInput("answer yes or no", field="answer")
        result = await volunteers.answer(actor, match_id, accept=answer == "ja", locale=locale)
        if result.view.side == "initiative":
            return see_other(f"/initiatieven/{result.view.initiative.id}/vrijwilligers", melding="beantwoord")
        return see_other("/vrijwilligers", melding="beantwoord")

    @get("/initiatieven/{initiative_id:int}/vrijwilligers", operation_id="initiativeVolunteersPage")
    async def for_initiative(
        self,
        request: Request[Any, Any, Any],
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
        melding: Notice = None,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        matches = await volunteers.initiative_matches(actor, initiative_id, locale)
        initiative = await volunteers.visible_initiative(actor, initiative_id)
        problem = None
        suggestions = []
        try:
            suggestions = await volunteers.volunteer_suggestions(actor, initiative_id, locale)
        except DomainError as error:
            problem = message(error, locale)
        return page(
            request,
            "volunteers/initiative.html",
            initiative=initiative,
            matches=matches,
            suggestions=suggestions,
            problem=problem,
            notice=_notice(melding),
            labels=labels,
            is_initiator=initiative.initiator_of(actor.person_id) is not None,
        )

    @post("/initiatieven/{initiative_id:int}/vrijwilligers/uitnodigen", operation_id="initiativeInvitePost")
    async def invite(
        self,
        request: Request[Any, Any, Any],
        volunteers: Volunteers,
        actor: CurrentActor,
        initiative_id: PathId,
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        profile_id = whole_number(str(form.get("profile_id") or ""), minimum=1)
        if profile_id is None:
            raise InvalidInput("choose a volunteer to invite", field="profile_id")
        await volunteers.invite(actor, initiative_id, profile_id)
        return see_other(f"/initiatieven/{initiative_id}/vrijwilligers", melding="uitgenodigd")

    @get("/makelaar/vrijwilligers", operation_id="brokerVolunteersPage")
    async def caseload(
        self, request: Request[Any, Any, Any], volunteers: Volunteers, actor: CurrentActor, locale: Locale
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        items = await volunteers.caseload(actor, locale)
        return page(request, "volunteers/caseload.html", items=items, labels=labels)
