"""The municipality's round pages: close (with a confirmation step, early only with a reason), cancel
(with a reason) and extend the closing time."""

from datetime import datetime
from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives.page_support import see_other, sign_in_first
from api.pages.form_errors import sentence
from api.providers import Rounds
from api.rendering import page
from api.schemas import FIRST_DAY, LAST_DAY, PathId
from buurtbudget.db.base import utcnow
from buurtbudget.errors import Conflict, DomainError, InvalidInput, NotAllowed
from buurtbudget.i18n import N_, gettext
from buurtbudget.jury.deliberation import reading
from buurtbudget.people.roles import Actor
from buurtbudget.workdays import AMSTERDAM

NOT_A_MOMENT = N_("Fill in a date and time, like 2026-03-14T20:00.")
REFUSALS = {
    "sluiten": N_("only the municipality closes rounds"),
    "annuleren": N_("only the municipality cancels rounds"),
}


class RoundManagePages(Controller):
    include_in_schema = False
    tags = ["pages"]

    async def _confirm(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: Actor,
        round_id: int,
        *,
        action: str,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        round_, neighbourhood = await reading.get_round(db_session, round_id)
        if not actor.administers(neighbourhood.municipality_id):
            raise NotAllowed(REFUSALS[action])
        return page(
            request,
            "jury/confirm.html",
            status_code=status_code,
            round=round_,
            neighbourhood=neighbourhood,
            action=action,
            early=utcnow() < round_.voting_closes_at,
            values=values or {},
            errors=errors or {},
        )

    @get("/rondes/{round_id:int}/sluiten", operation_id="closeRoundConfirmPage")
    async def close_page(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, round_id: PathId
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await self._confirm(request, db_session, actor, round_id, action="sluiten")

    @post("/rondes/{round_id:int}/sluiten", operation_id="closeRoundPost")
    async def close(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        rounds: Rounds,
        actor: CurrentActor,
        locale: Locale,
        round_id: PathId,
    ) -> Template | Redirect:
        """Closing asks for a confirmation first; before the closing time only with a reason."""
        if redirect := sign_in_first(request):
            return redirect
        form = await request.form()
        values = {"reden": str(form.get("reden") or "")}
        if str(form.get("bevestigd") or "") != "ja":
            return await self._confirm(request, db_session, actor, round_id, action="sluiten", values=values)
        try:
            await rounds.close_round(actor, round_id, reason=values["reden"] or None)
        except (Conflict, InvalidInput) as error:
            return await self._refused(request, db_session, actor, round_id, "sluiten", values, error, locale)
        return see_other(f"/rondes/{round_id}/uitslag")

    @get("/rondes/{round_id:int}/annuleren", operation_id="cancelRoundConfirmPage")
    async def cancel_page(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, round_id: PathId
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await self._confirm(request, db_session, actor, round_id, action="annuleren")

    @post("/rondes/{round_id:int}/annuleren", operation_id="cancelRoundPost")
    async def cancel(
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
        values = {"reden": str(form.get("reden") or "")}
        try:
            await rounds.cancel(actor, round_id, values["reden"])
        except (Conflict, InvalidInput) as error:
            return await self._refused(
                request, db_session, actor, round_id, "annuleren", values, error, locale
            )
        return see_other(f"/rondes/{round_id}")

    async def _refused(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: Actor,
        round_id: int,
        action: str,
        values: dict[str, str],
        error: DomainError,
        locale: str,
    ) -> Template:
        await db_session.rollback()
        status = HTTP_422_UNPROCESSABLE_ENTITY if isinstance(error, InvalidInput) else HTTP_409_CONFLICT
        return await self._confirm(
            request,
            db_session,
            actor,
            round_id,
            action=action,
            values=values,
            errors={"reden": sentence(gettext(error.message, locale))},
            status_code=status,
        )

    async def _extend_form(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        actor: Actor,
        round_id: int,
        *,
        value: str = "",
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        round_, neighbourhood = await reading.get_round(db_session, round_id)
        if not actor.administers(neighbourhood.municipality_id):
            raise NotAllowed(N_("only the municipality extends rounds"))
        return page(
            request,
            "jury/extend.html",
            status_code=status_code,
            round=round_,
            neighbourhood=neighbourhood,
            value=value or round_.voting_closes_at.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M"),
            errors=errors or {},
        )

    @get("/rondes/{round_id:int}/verlengen", operation_id="extendRoundPage")
    async def extend_page(
        self, request: Request[Any, Any, Any], db_session: DbSession, actor: CurrentActor, round_id: PathId
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await self._extend_form(request, db_session, actor, round_id)

    @post("/rondes/{round_id:int}/verlengen", operation_id="extendRoundPost")
    async def extend(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        rounds: Rounds,
        actor: CurrentActor,
        locale: Locale,
        round_id: PathId,
    ) -> Template | Redirect:
        """A later closing time (Amsterdam time), e.g. when the round is below its quorum."""
        if redirect := sign_in_first(request):
            return redirect
        value = str((await request.form()).get("sluit_op") or "").strip()
        try:
            until = datetime.fromisoformat(value).replace(tzinfo=AMSTERDAM)
            if not FIRST_DAY <= until.date() <= LAST_DAY:
                raise ValueError(value)  # a year 1 or 9999 in Amsterdam is out of reach in UTC
        except ValueError:
            message = sentence(gettext(NOT_A_MOMENT, locale))
            return await self._extend_form(
                request,
                db_session,
                actor,
                round_id,
                value=value,
                errors={"sluit_op": message},
                status_code=422,
            )
        try:
            await rounds.extend(actor, round_id, until)
        except (Conflict, InvalidInput) as error:
            await db_session.rollback()
            status = HTTP_422_UNPROCESSABLE_ENTITY if isinstance(error, InvalidInput) else HTTP_409_CONFLICT
            message = sentence(gettext(error.message, locale))
            return await self._extend_form(
                request,
                db_session,
                actor,
                round_id,
                value=value,
                errors={"sluit_op": message},
                status_code=status,
            )
        return see_other(f"/rondes/{round_id}")
