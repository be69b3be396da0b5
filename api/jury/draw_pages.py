"""The public page of a round's committed draw (`/rondes/{id}/loting`), where anyone checks it, and the
municipality's forms on it: freeze the pool (seats, reserves, quotas), then draw."""

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.jury.quota_form import parse_quotas
from api.pages.form_errors import sentence
from api.providers import Rounds
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import DomainError, InvalidInput, NotAllowed
from buurtbudget.i18n import N_, gettext
from buurtbudget.jury import drawing
from buurtbudget.jury.deliberation import reading
from buurtbudget.people.roles import Actor

Done = Annotated[str | None, QueryParameter(name="klaar", max_length=20)]
NOT_A_COUNT = N_("Fill in a whole number.")
NOTICES = {
    "vastgezet": N_("The pool is frozen. Its fingerprint is public now."),
    "geloot": N_("The jury is drawn."),
}


def _count(text: str, field: str) -> int:
    text = text.strip()  # digits 0-9 only: `isdigit` alone accepts "²", which `int` cannot read
    if not (text.isascii() and text.isdigit() and len(text) <= 3) or int(text) > 100:
        raise InvalidInput(NOT_A_COUNT, field=field)
    return int(text)


class RoundDrawPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    async def _render(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: Actor,
        round_id: int,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        notice: str | None = None,
    ) -> Template:
        round_, neighbourhood = await reading.get_round(db_session, round_id)
        published = await drawing.published(db_session, round_id)
        checked = None if published is None or published.seed is None else drawing.verify(published)
        return page(
            request,
            "jury/draw.html",
            status_code=status_code,
            round=round_,
            neighbourhood=neighbourhood,
            draw=published,
            checked=checked,
            manages=actor.administers(neighbourhood.municipality_id) and round_.state == "open",
            values=values or {"seats": str(round_.seats or 5), "reserves": "2", "quotas": ""},
            errors=errors or {},
            notice=NOTICES.get(notice or ""),
        )

    @get("/rondes/{round_id:int}/loting", operation_id="roundDrawPage")
    async def draw_page(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: CurrentActor,
        round_id: PathId,
        klaar: Done = None,
    ) -> Template:
        """The committed draw: the hash from the freeze, the seed once drawn, and whether it checks out."""
        return await self._render(request, db_session, actor, round_id, notice=klaar)

    @post("/rondes/{round_id:int}/loting/vastzetten", operation_id="freezePoolPost")
    async def freeze(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        rounds: Rounds,
        actor: CurrentActor,
        locale: Locale,
        round_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        values = {name: str(form.get(name) or "") for name in ("seats", "reserves", "quotas")}
        try:
            seats, reserves = _count(values["seats"], "seats"), _count(values["reserves"], "reserves")
            quotas = parse_quotas(values["quotas"])
            await rounds.freeze_pool(actor, round_id, seats=seats, reserves=reserves, quotas=quotas)
        except NotAllowed:
            raise
        except DomainError as error:
            return await self._refused(request, db_session, actor, round_id, values, error, locale)
        return see_other(f"/rondes/{round_id}/loting", klaar="vastgezet")

    @post("/rondes/{round_id:int}/loting/trekken", operation_id="drawJuryPost")
    async def draw(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        rounds: Rounds,
        actor: CurrentActor,
        locale: Locale,
        round_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        try:
            await rounds.draw_jury(actor, round_id)
        except NotAllowed:
            raise
        except DomainError as error:
            return await self._refused(request, db_session, actor, round_id, {}, error, locale)
        return see_other(f"/rondes/{round_id}/loting", klaar="geloot")

    async def _refused(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: Actor,
        round_id: int,
        values: dict[str, str],
        error: DomainError,
        locale: str,
    ) -> Template:
        await db_session.rollback()
        field = error.params.get("field") if isinstance(error.params.get("field"), str) else None
        where = field if field in {"seats", "reserves", "quotas"} else "loting"
        return await self._render(
            request,
            db_session,
            actor,
            round_id,
            values=values or None,
            errors={where: sentence(gettext(error.message, locale))},
            status_code=HTTP_422_UNPROCESSABLE_ENTITY
            if isinstance(error, InvalidInput)
            else HTTP_409_CONFLICT,
        )
