"""The juror's and the advisor's pages of a round: read, discuss, advise, vote; the municipality closes it."""

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER, HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY
from sqlalchemy.ext.asyncio import AsyncSession

from api.dependencies import CurrentActor, DbSession, Locale, locale_of
from api.initiatives.page_support import see_other, sign_in_first
from api.jury import ballot_form, room
from api.jury.room import BALLOT_KINDS, Room
from api.pages.form_errors import sentence
from api.providers import Deliberations, Rounds
from api.rendering import page
from api.schemas import PathId
from buurtbudget import formatting
from buurtbudget.errors import Conflict, DomainError, InvalidInput
from buurtbudget.i18n import N_, gettext
from buurtbudget.jury.deliberation.service import DeliberationService
from buurtbudget.people.roles import Actor
from buurtbudget.workdays import AMSTERDAM

Notice = Annotated[str | None, QueryParameter(name="opgeslagen")]
NOTICES = {
    "stem": N_("Your vote is saved. You can change it until voting closes."),
    "bericht": N_("Your message is posted."),
    "advies": N_("Your advice is saved."),
    "notulen": N_("The minutes are saved."),
}
NOT_A_NUMBER = N_("Choose an initiative from the ballot.")
DATE_ERROR = N_("Fill in the date of the meeting, like 2026-03-14.")


def _getter(form: Any) -> Any:
    return lambda name: str(form.get(name) or "")


def _error_sentence(error: DomainError, locale: str) -> str:
    return sentence(gettext(error.message, locale))


def _initiative_id(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) <= 10) or not 0 < int(text) < 2**31:
        raise InvalidInput(NOT_A_NUMBER, field="initiative_id")
    return int(text)


class RoundRoomPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    def _render(
        self,
        request: Request[Any, Any, Any],
        data: Room,
        view: str,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        notice: str | None = None,
        marks: dict[int, int] | None = None,
    ) -> Template:
        locale = locale_of(request)
        shown = marks if marks is not None else data.stored_marks or {}
        return page(
            request,
            "jury/room.html",
            status_code=status_code,
            view=view,
            room=data,
            round=data.access.round,
            neighbourhood=data.access.neighbourhood,
            kinds=BALLOT_KINDS,
            values={**ballot_form.values_of(shown), **(values or {})},
            totals=ballot_form.totals(data.rules, data.lines, shown),
            field=ballot_form.field,
            errors=errors or {},
            notice=NOTICES.get(notice or ""),
            today=datetime.now(AMSTERDAM).date().isoformat(),
            on_day=lambda value: room.meeting_day(value, locale),
            now=datetime.now(AMSTERDAM),
        )

    async def _room_or_redirect(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: DeliberationService,
        actor: CurrentActor,
        round_id: int,
        view: str,
    ) -> Room | Redirect:
        data = await room.build(deliberations, db_session, actor, round_id)
        if view == "jury" and not data.access.juror:
            return see_other(f"/rondes/{round_id}/advies")
        if view == "advies" and not data.access.advisor:
            return see_other(f"/rondes/{round_id}/jury")
        return data

    async def _room_page(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: DeliberationService,
        actor: CurrentActor,
        round_id: int,
        view: str,
        notice: str | None,
    ) -> Template | Redirect:
        """The juror's or the advisor's view, after sign-in; the other view for whoever has that one."""
        if redirect := sign_in_first(request):
            return redirect
        data = await self._room_or_redirect(request, db_session, deliberations, actor, round_id, view)
        if isinstance(data, Redirect):
            return data
        return self._render(request, data, view, notice=notice)

    @get("/rondes/{round_id:int}/jury", operation_id="jurorRoomPage")
    async def jury(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        round_id: PathId,
        opgeslagen: Notice = None,
    ) -> Template | Redirect:
        return await self._room_page(request, db_session, deliberations, actor, round_id, "jury", opgeslagen)

    @get("/rondes/{round_id:int}/advies", operation_id="advisorRoomPage")
    async def advisor(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        round_id: PathId,
        opgeslagen: Notice = None,
    ) -> Template | Redirect:
        return await self._room_page(
            request, db_session, deliberations, actor, round_id, "advies", opgeslagen
        )

    @post("/rondes/{round_id:int}/jury/stem", operation_id="castBallotPost")
    async def vote(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: Deliberations,
        rounds: Rounds,
        actor: CurrentActor,
        locale: Locale,
        round_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        data = await room.build(deliberations, db_session, actor, round_id)
        form = await request.form()
        get_value = _getter(form)
        posted = {
            ballot_form.field(line.initiative_id): get_value(ballot_form.field(line.initiative_id))
            for line in data.lines
        }
        marks, errors = ballot_form.read(data.rules, data.lines, get_value, locale)
        status = HTTP_422_UNPROCESSABLE_ENTITY
        if not errors:
            try:
                await rounds.cast_ballot(actor, round_id, marks)
            except InvalidInput as error:
                errors = ballot_form.refusal(
                    error, data.rules, marks, data.lines, locale, lambda c: formatting.money(c, locale)
                )
            except Conflict as error:
                errors = {ballot_form.BALLOT: _error_sentence(error, locale)}
                status = HTTP_409_CONFLICT
            else:
                return see_other(f"/rondes/{round_id}/jury", opgeslagen="stem")
        # A refused write expired what was loaded.
        data = await room.build(deliberations, db_session, actor, round_id)
        return self._render(
            request, data, "jury", values=posted, errors=errors, status_code=status, marks=marks
        )

    @post("/rondes/{round_id:int}/jury/totaal", operation_id="ballotRunningTotalFragment")
    async def running_total(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        locale: Locale,
        round_id: PathId,
    ) -> Template:
        """The running total while choosing (htmx swaps it in; without JavaScript, saving shows it)."""
        data = await room.build(deliberations, db_session, actor, round_id)
        marks, _errors = ballot_form.read(data.rules, data.lines, _getter(await request.form()), locale)
        return page(
            request,
            "jury/_ballot_total.html",
            round=data.access.round,
            room=data,
            totals=ballot_form.totals(data.rules, data.lines, marks),
        )

    @post("/rondes/{round_id:int}/berichten", operation_id="postMessagePost")
    async def post_message(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        locale: Locale,
        round_id: PathId,
    ) -> Template | Redirect:
        return await self._write_on_thread(
            request, db_session, deliberations, actor, locale, round_id, "message"
        )

    @post("/rondes/{round_id:int}/advies", operation_id="writeAdvicePost")
    async def write_advice(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        locale: Locale,
        round_id: PathId,
    ) -> Template | Redirect:
        return await self._write_on_thread(
            request, db_session, deliberations, actor, locale, round_id, "advice"
        )

    async def _write_on_thread(
        self,
        request: Request[Any, Any, Any],
        db_session: AsyncSession,
        deliberations: DeliberationService,
        actor: Actor,
        locale: str,
        round_id: int,
        kind: str,
    ) -> Template | Redirect:
        """A message (jurors and advisors) or an advice (advisors) on one initiative's thread."""
        if redirect := sign_in_first(request):
            return redirect
        access = await deliberations.access(actor, round_id)  # outsiders get no further
        form = await request.form()
        initiative_id = _initiative_id(str(form.get("initiative_id") or ""))
        name = f"{kind}.{initiative_id}"
        text = str(form.get(name) or "")
        write: Callable[[Actor, int, int, str], Awaitable[object]]
        if kind == "message":
            view, notice = ("jury" if access.juror else "advies"), "bericht"
            write = deliberations.post_message
        else:
            view, notice = "advies", "advies"
            write = deliberations.write_advice
        try:
            await write(actor, round_id, initiative_id, text)
        except InvalidInput as error:
            where = name if error.field == "body" else "initiative_id"
            return self._render(
                request,
                await room.build(deliberations, db_session, actor, round_id),
                view,
                values={name: text},
                errors={where: _error_sentence(error, locale)},
                status_code=HTTP_422_UNPROCESSABLE_ENTITY,
            )
        return _to_thread(f"/rondes/{round_id}/{view}", notice, initiative_id)

    @post("/rondes/{round_id:int}/notulen", operation_id="writeMinutesPost")
    async def write_minutes(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        locale: Locale,
        round_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        data = await room.build(deliberations, db_session, actor, round_id)
        view = "advies" if data.access.advisor else "jury"
        form = await request.form()
        values = {"held_on": str(form.get("held_on") or ""), "minutes": str(form.get("minutes") or "")}
        errors: dict[str, str] = {}
        try:
            held_on = date.fromisoformat(values["held_on"].strip())
        except ValueError:
            errors["held_on"] = sentence(gettext(DATE_ERROR, locale))
        else:
            try:
                await deliberations.write_minutes(actor, round_id, held_on, values["minutes"])
            except InvalidInput as error:
                errors[{"body": "minutes"}.get(error.field, error.field)] = _error_sentence(error, locale)
        if errors:
            data = await room.build(deliberations, db_session, actor, round_id)
            return self._render(
                request, data, view, values=values, errors=errors, status_code=HTTP_422_UNPROCESSABLE_ENTITY
            )
        return see_other(f"/rondes/{round_id}/{view}", opgeslagen="notulen")


def _to_thread(path: str, notice: str, initiative_id: int) -> Redirect:
    """Back to the discussion just written in (the browser keeps the fragment after the redirect)."""
    return Redirect(f"{path}?opgeslagen={notice}#initiatief-{initiative_id}", status_code=HTTP_303_SEE_OTHER)
