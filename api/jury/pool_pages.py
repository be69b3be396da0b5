"""The jury pool page `/buurten/{slug}/jury`: how the lottery works (B1), volunteer with the attributes
the municipality asks, change them, or withdraw. Only verified residents of the neighbourhood join."""

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import sentence
from api.providers import JuryPool
from api.rendering import page
from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_, gettext
from buurtbudget.jury.pool import JuryPoolService
from buurtbudget.people.roles import Actor, Role
from buurtbudget.places import service as places
from buurtbudget.places.models import Neighbourhood

NOTICES = {
    "aangemeld": N_("Thank you: you are in the jury pool. If you are drawn, you get an e-mail."),
    "bijgewerkt": N_("Your answers were saved."),
    "afgemeld": N_("You left the jury pool."),
}


class JuryPoolPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    async def _page(
        self,
        request: Request[Any, Any, Any],
        jury_pool: JuryPoolService,
        actor: Actor,
        neighbourhood: Neighbourhood,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        member = await jury_pool.membership(actor.person_id, neighbourhood.id)
        return page(
            request,
            "jury/pool.html",
            status_code=status_code,
            neighbourhood=neighbourhood,
            attributes=await jury_pool.attributes(neighbourhood.id),
            member=member,
            verified=actor.has(Role.RESIDENT, neighbourhood_id=neighbourhood.id),
            rounds=await jury_pool.jury_rounds(neighbourhood.id),
            values=values if values is not None else dict(member.attributes if member else {}),
            errors=errors or {},
            notice=NOTICES.get(request.query_params.get("klaar", "")),
        )

    @get("/buurten/{slug:str}/jury", operation_id="juryPoolPage")
    async def pool(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        jury_pool: JuryPool,
        actor: CurrentActor,
        slug: FromPath[str],
    ) -> Template:
        neighbourhood = await places.get_by_slug(db_session, slug)
        return await self._page(request, jury_pool, actor, neighbourhood)

    @post("/buurten/{slug:str}/jury", operation_id="joinJuryPoolPost")
    async def join(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        jury_pool: JuryPool,
        actor: CurrentActor,
        locale: Locale,
        slug: FromPath[str],
    ) -> Template | Redirect:
        """Join or change the answers; a value that is not offered is named at its field."""
        if redirect := sign_in_first(request):
            return redirect
        neighbourhood = await places.get_by_slug(db_session, slug)
        form = await request.form()
        attributes = await jury_pool.attributes(neighbourhood.id)
        answers = {a.key: str(form.get(f"attributes.{a.key}") or "")[:40] for a in attributes}
        was_member = await jury_pool.membership(actor.person_id, neighbourhood.id) is not None
        try:
            await jury_pool.volunteer(actor, neighbourhood.id, answers)
        except InvalidInput as error:
            await db_session.rollback()
            neighbourhood = await places.get_by_slug(db_session, slug)  # fresh after the rollback
            return await self._page(
                request,
                jury_pool,
                actor,
                neighbourhood,
                values=answers,
                errors={error.field: sentence(gettext(error.message, locale))},
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return see_other(
            f"/buurten/{neighbourhood.slug}/jury", klaar="bijgewerkt" if was_member else "aangemeld"
        )

    @post("/buurten/{slug:str}/jury/afmelden", operation_id="leaveJuryPoolPost")
    async def leave(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        jury_pool: JuryPool,
        actor: CurrentActor,
        slug: FromPath[str],
    ) -> Redirect:
        if redirect := sign_in_first(request):
            return redirect
        neighbourhood = await places.get_by_slug(db_session, slug)
        await jury_pool.withdraw(actor, neighbourhood.id)
        return see_other(f"/buurten/{neighbourhood.slug}/jury", klaar="afgemeld")
