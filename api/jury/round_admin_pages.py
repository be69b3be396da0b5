"""The municipality's management page of one round (`/rondes/{id}/beheer`): its steps in order with what
is done and what comes next, the turnout (never who voted what), the way to the freeze, draw, extend,
close and cancel pages, and the neighbourhood's advisors, with a form to invite one."""

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from api.dependencies import CurrentActor, Locale
from api.initiatives.page_support import see_other
from api.jury.pages import MODES, ROUND_STATES
from api.jury.staff_pages import refusal_at_field, status_of
from api.pages.staff_base import StaffPages
from api.providers import PeopleAdmin, RoundAdmin
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import Conflict, InvalidInput
from buurtbudget.i18n import N_
from buurtbudget.people.roles import Actor, Role

Done = Annotated[str | None, QueryParameter(name="klaar", max_length=20)]
NOTICES = {
    "geopend": N_("The round is open. Its amount is reserved in the neighbourhood budget."),
    "uitgenodigd": N_("The advisor is invited by e-mail."),
}
STEPS = {
    "freeze": N_("Freeze the pool of volunteers"),
    "draw": N_("Draw the jury"),
    "voting": N_("Voting"),
    "decide": N_("Close, extend or cancel"),
    "result": N_("The result"),
}
STEP_STATES = {
    "done": N_("Done"),
    "next": N_("Next step"),
    "later": N_("Later"),
    "skipped": N_("Not done: the round was cancelled"),
}


class RoundAdminPages(StaffPages):
    path = "/rondes/{round_id:int}/beheer"

    async def _render(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        round_admin: RoundAdmin,
        round_id: int,
        *,
        email: str = "",
        errors: dict[str, str] | None = None,
        notice: str | None = None,
        status_code: int = 200,
    ) -> Template:
        overview = await round_admin.overview(actor, round_id)
        return page(
            request,
            "jury/manage.html",
            status_code=status_code,
            overview=overview,
            round=overview.round,
            neighbourhood=overview.neighbourhood,
            states=ROUND_STATES,
            modes=MODES,
            steps=STEPS,
            step_states=STEP_STATES,
            email=email,
            errors=errors or {},
            notice=NOTICES.get(notice or ""),
        )

    @get(operation_id="roundManagePage")
    async def manage(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        round_admin: RoundAdmin,
        round_id: PathId,
        klaar: Done = None,
    ) -> Template:
        """For the municipality that owns the round; anyone else is refused."""
        return await self._render(request, actor, round_admin, round_id, notice=klaar)

    @post("/adviseurs", operation_id="inviteRoundAdvisorPost")
    async def invite_advisor(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        locale: Locale,
        round_admin: RoundAdmin,
        people_admin: PeopleAdmin,
        round_id: PathId,
    ) -> Template | Redirect:
        """An advisor for the round's neighbourhood, invited by e-mail in the visitor's language."""
        email = str((await request.form()).get("email") or "").strip()
        overview = await round_admin.overview(actor, round_id)  # refuses another municipality first
        try:
            await people_admin.assign(
                actor,
                email=email,
                role=Role.ADVISOR,
                neighbourhood_id=overview.neighbourhood.id,
                locale=locale,
            )
        except (Conflict, InvalidInput) as error:
            errors = refusal_at_field(error, locale, {"email"}, {}, "email")
            return await self._render(
                request,
                actor,
                round_admin,
                round_id,
                email=email,
                errors=errors,
                status_code=status_of(error),
            )
        return see_other(f"/rondes/{round_id}/beheer", klaar="uitgenodigd")
