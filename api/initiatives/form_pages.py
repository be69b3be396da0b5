"""The step-by-step form to start an initiative; every step saves the draft, so residents can stop."""

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives import form_input, step_content, steps
from api.initiatives.invitations import invite
from api.initiatives.page_support import (
    editable_draft,
    is_draft,
    see_other,
    sign_in_first,
    values_of,
)
from api.pages.form_errors import NumberText, filter_number, translated, whole_number
from api.providers import Initiatives
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.people.roles import Role
from buurtbudget.places import service as places
from buurtbudget.pots.guide import pot_for

NeighbourhoodSlug = Annotated[str | None, QueryParameter(name="buurt")]
Flag = Annotated[str | None, QueryParameter(name="opgeslagen")]
SAVED = N_("Your draft is saved. You can come back to it later.")
INVITED = N_("The invitation is sent.")
STEP = "{slug:str}"


def _getters(form: FormMultiDict) -> tuple[Any, Any]:
    return (lambda name: str(form.get(name) or "")), (lambda name: [str(v) for v in form.getall(name, [])])


class StepFormPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    async def _render(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        initiatives: InitiativeService,
        locale: str,
        slug: str,
        initiative: Initiative | None,
        *,
        values: dict[str, str],
        chosen_themes: list[str],
        errors: dict[str, str] | None = None,
        rows: int | None = None,
        notice: str | None = None,
        neighbourhood_id: int | None = None,
    ) -> Template:
        row_minimum = step_content.MIN_COST_ROWS if slug == "begroting" else step_content.MIN_HELP_ROWS
        filled = (
            len(initiative.cost_lines if slug == "begroting" else initiative.volunteer_needs)
            if initiative
            else 0
        )
        neighbourhoods = await places.list_neighbourhoods(db_session)
        people = (
            await initiatives.people_by_id([i.person_id for i in initiative.initiators]) if initiative else {}
        )
        return page(
            request,
            "initiatives/step.html",
            status_code=HTTP_422_UNPROCESSABLE_ENTITY if errors else 200,
            step=steps.BY_SLUG[slug],
            steps=steps.STEPS,
            number=steps.number(slug),
            initiative=initiative,
            values=values,
            chosen_themes=chosen_themes,
            themes=steps.THEMES,
            errors=translated(errors or {}, locale),
            rows=max(rows or 0, filled + 1, row_minimum),
            total_cents=form_input.running_total(lambda name: values.get(name, ""), max(rows or 0, 50)),
            notice=notice,
            neighbourhoods=neighbourhoods,
            neighbourhood_id=neighbourhood_id,
            people=people,
            neighbourhood=next(
                (n for n in neighbourhoods if initiative and n.id == initiative.neighbourhood_id), None
            ),
            pot=await pot_for(db_session, initiative.neighbourhood_id) if initiative else None,
        )

    @get("/initiatieven/nieuw", operation_id="newInitiativePage")
    async def new(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        initiatives: Initiatives,
        actor: CurrentActor,
        locale: Locale,
        buurt: NeighbourhoodSlug = None,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        chosen = next((g.neighbourhood_id for g in actor.grants if g.role == Role.RESIDENT), None)
        if buurt:
            chosen = (await places.get_by_slug(db_session, buurt)).id
        return await self._render(
            request,
            db_session,
            initiatives,
            locale,
            "plan",
            None,
            values={},
            chosen_themes=[],
            neighbourhood_id=chosen,
        )

    @post("/initiatieven/nieuw", operation_id="newInitiativePost")
    async def create(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        initiatives: Initiatives,
        actor: CurrentActor,
        locale: Locale,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        get_value, getall = _getters(form)
        values = {key: str(value) for key, value in form.items()}
        neighbourhood = whole_number(get_value("neighbourhood_id"), minimum=1)
        plan = step_content.read("plan", get_value, getall)
        errors = dict(plan.errors)
        if neighbourhood is None:
            errors["neighbourhood_id"] = N_("Choose your neighbourhood.")
        if neighbourhood is not None and not errors:
            try:
                initiative = await initiatives.create_draft(actor, neighbourhood, plan.content)
            except InvalidInput as error:
                errors[error.field] = error.message
        if errors:
            return await self._render(
                request,
                db_session,
                initiatives,
                locale,
                "plan",
                None,
                values=values,
                chosen_themes=[],
                errors=errors,
                neighbourhood_id=neighbourhood,
            )
        return self._next(initiative.id, "plan", get_value("ga"))

    @staticmethod
    def _next(initiative_id: int, slug: str, go: str, rows: int = 0) -> Redirect:
        here = f"/initiatieven/{initiative_id}/stappen/{slug}"
        if go == "opslaan":
            return see_other(here, opgeslagen="1")
        if go == "meer":
            return see_other(here, rijen=str(rows + 3))
        if go == "uitnodigen":
            return see_other(here, opgeslagen="uitnodiging")
        return see_other(f"/initiatieven/{initiative_id}/stappen/{steps.after(slug).slug}")

    @get(f"/initiatieven/{{initiative_id:int}}/stappen/{STEP}", operation_id="initiativeStepPage")
    async def step(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        initiatives: Initiatives,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
        slug: FromPath[str],
        opgeslagen: Flag = None,
        rijen: NumberText = None,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        if slug not in steps.BY_SLUG:
            return see_other(f"/initiatieven/{initiative_id}/stappen/plan")
        initiative = await editable_draft(initiatives, actor, initiative_id)
        if not is_draft(initiative):
            return see_other(f"/initiatieven/{initiative_id}")
        notice = {"1": SAVED, "uitnodiging": INVITED}.get(opgeslagen or "")
        return await self._render(
            request,
            db_session,
            initiatives,
            locale,
            slug,
            initiative,
            values=values_of(initiative, locale),
            chosen_themes=initiative.themes,
            rows=filter_number("rijen", rijen, {}, minimum=1, maximum=50),
            notice=notice,
        )

    @post(f"/initiatieven/{{initiative_id:int}}/stappen/{STEP}", operation_id="initiativeStepPost")
    async def save(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        initiatives: Initiatives,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
        slug: FromPath[str],
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        if slug not in steps.BY_SLUG:
            return see_other(f"/initiatieven/{initiative_id}/stappen/plan")
        initiative = await editable_draft(initiatives, actor, initiative_id)
        if not is_draft(initiative):
            return see_other(f"/initiatieven/{initiative_id}")
        form = await request.form()
        get_value, getall = _getters(form)
        read = step_content.read(slug, get_value, getall)
        errors = dict(read.errors)
        if not errors:
            try:
                if slug in step_content.CONTENT_STEPS:
                    await initiatives.update_draft(actor, initiative_id, read.content)
                if slug == "mede-initiatiefnemers" and get_value("email").strip():
                    await invite(initiatives, actor, initiative, get_value("email"))
            except InvalidInput as error:
                errors[form_input.form_field(error.field, read.rows)] = error.message
        if errors:
            await db_session.refresh(initiative)
            return await self._render(
                request,
                db_session,
                initiatives,
                locale,
                slug,
                initiative,
                values={key: str(value) for key, value in form.items()},
                chosen_themes=getall("themes") if slug == "themas" else initiative.themes,
                errors=errors,
                rows=form_input.row_count(get_value(step_content.ROWS_FIELD), minimum=1),
            )
        go = get_value("ga")
        if slug == "mede-initiatiefnemers" and get_value("email").strip():
            go = "uitnodigen"
        return self._next(initiative_id, slug, go, form_input.row_count(get_value("rows"), minimum=1))

    @post("/initiatieven/{initiative_id:int}/begroting/totaal", operation_id="runningTotalFragment")
    async def running_total(self, request: Request[Any, Any, Any]) -> Template:
        """The budget's total while typing (htmx swaps it in; without JavaScript, saving shows it)."""
        form = await request.form()
        get_value, _getall = _getters(form)
        rows = form_input.row_count(get_value(step_content.ROWS_FIELD), minimum=1)
        return page(
            request,
            "initiatives/_running_total.html",
            total_cents=form_input.running_total(get_value, rows),
            unreadable=form_input.unreadable_amounts(get_value, rows),
        )
