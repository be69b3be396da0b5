"""The municipality moves a pot's money from pages: add money and set a theme budget (each after a
confirmation step), and set the fast track. Amounts are typed as Dutch euros ("1.234,56")."""

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, Locale
from api.initiatives.form_input import parse_amount
from api.initiatives.page_support import amount_text, see_other
from api.pages.form_errors import translated
from api.pages.staff_base import StaffPages
from api.pots import forms
from api.pots.pages import form_field, refusal_status
from api.providers import PotReports, Pots
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import Conflict, InvalidInput
from buurtbudget.initiatives.themes import theme_options
from buurtbudget.people.roles import Actor
from buurtbudget.pots.reporting import PotReportService
from buurtbudget.pots.service import PotService

FUND, THEME, FAST = "storten", "themabudget", "snelle-route"


def _getter(form: FormMultiDict) -> Callable[[str], str]:
    return lambda name: str(form.get(name) or "")


class PotMoneyPages(StaffPages):
    async def _form(
        self,
        request: Request[Any, Any, Any],
        reports: PotReportService,
        actor: Actor,
        locale: str,
        pot_id: int,
        action: str,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        confirm: bool = False,
    ) -> Template:
        report = await reports.report(actor, pot_id)
        if values is None and action == FAST:
            threshold = report.pot.fast_track_threshold_cents
            values = {
                "threshold": "" if threshold is None else amount_text(threshold, locale),
                "seats": str(report.pot.fast_track_seats),
            }
        return page(
            request,
            "pots/confirm.html" if confirm else "pots/money.html",
            status_code=status_code,
            report=report,
            pot=report.pot,
            neighbourhood=report.neighbourhood,
            action=action,
            themes=theme_options(report.themes),
            values=values or {},
            errors=translated(errors or {}, locale),
            amount_cents=parse_amount((values or {}).get("amount", "")),
        )

    @get(f"/beheer/potten/{{pot_id:int}}/{FUND}", operation_id="fundPotPage")
    async def fund_page(
        self,
        request: Request[Any, Any, Any],
        pot_reports: PotReports,
        actor: CurrentActor,
        locale: Locale,
        pot_id: PathId,
    ) -> Template | Redirect:
        return await self._form(request, pot_reports, actor, locale, pot_id, FUND)

    @post(f"/beheer/potten/{{pot_id:int}}/{FUND}", operation_id="fundPotPost")
    async def fund(
        self,
        request: Request[Any, Any, Any],
        pots: Pots,
        pot_reports: PotReports,
        actor: CurrentActor,
        locale: Locale,
        pot_id: PathId,
    ) -> Template | Redirect:
        """Add money: read the amount, show what will happen, and only on 'yes' move the money."""
        await pot_reports.administered_pot(actor, pot_id)
        get_value = _getter(await request.form())
        read = forms.funding(get_value)

        async def move(service: PotService) -> None:  # called only when the form had no errors
            await service.fund(actor, pot_id, read.amount_cents or 0, read.memo)

        return await self._decide(
            request, pots, pot_reports, actor, locale, pot_id, FUND, read, get_value("bevestigd"), move
        )

    @get(f"/beheer/potten/{{pot_id:int}}/{THEME}", operation_id="themeBudgetPage")
    async def theme_page(
        self,
        request: Request[Any, Any, Any],
        pot_reports: PotReports,
        actor: CurrentActor,
        locale: Locale,
        pot_id: PathId,
    ) -> Template | Redirect:
        return await self._form(request, pot_reports, actor, locale, pot_id, THEME)

    @post(f"/beheer/potten/{{pot_id:int}}/{THEME}", operation_id="themeBudgetPost")
    async def theme_budget(
        self,
        request: Request[Any, Any, Any],
        pots: Pots,
        pot_reports: PotReports,
        actor: CurrentActor,
        locale: Locale,
        pot_id: PathId,
    ) -> Template | Redirect:
        """Set part of the general budget aside for a theme, chosen by its label, after a confirmation."""
        await pot_reports.administered_pot(actor, pot_id)
        themes = (await pots.theme_balances([pot_id]))[pot_id]
        get_value = _getter(await request.form())
        read = forms.theme_budget(get_value, theme_options(themes))

        async def move(service: PotService) -> None:  # called only when the form had no errors
            await service.earmark(actor, pot_id, read.theme, read.amount_cents or 0)

        return await self._decide(
            request, pots, pot_reports, actor, locale, pot_id, THEME, read, get_value("bevestigd"), move
        )

    async def _decide(
        self,
        request: Request[Any, Any, Any],
        pots: PotService,
        reports: PotReportService,
        actor: Actor,
        locale: str,
        pot_id: int,
        action: str,
        read: forms.Read,
        confirmed: str,
        move: Callable[[PotService], Awaitable[None]],
    ) -> Template | Redirect:
        """Errors: the form again. Not yet confirmed: the confirmation. 'No': the form with its values.
        'Yes': the money moves, or the form says why not (nothing is written then)."""
        again = partial(self._form, request, reports, actor, locale, pot_id, action, values=read.values)
        if read.errors:
            return await again(errors=read.errors, status_code=HTTP_422_UNPROCESSABLE_ENTITY)
        if confirmed == "nee":
            return await again()
        if confirmed != "ja":
            return await again(confirm=True)
        try:
            await move(pots)
        except (InvalidInput, Conflict) as error:
            await pots.session.rollback()
            errors = {form_field(error) or "amount": error.message}
            return await again(errors=errors, status_code=refusal_status(error))
        return see_other(f"/beheer/potten/{pot_id}", gedaan="storting" if action == FUND else "thema")

    @get(f"/beheer/potten/{{pot_id:int}}/{FAST}", operation_id="fastTrackPage")
    async def fast_track_page(
        self,
        request: Request[Any, Any, Any],
        pot_reports: PotReports,
        actor: CurrentActor,
        locale: Locale,
        pot_id: PathId,
    ) -> Template | Redirect:
        return await self._form(request, pot_reports, actor, locale, pot_id, FAST)

    @post(f"/beheer/potten/{{pot_id:int}}/{FAST}", operation_id="fastTrackPost")
    async def fast_track(
        self,
        request: Request[Any, Any, Any],
        pots: Pots,
        pot_reports: PotReports,
        actor: CurrentActor,
        locale: Locale,
        pot_id: PathId,
    ) -> Template | Redirect:
        """Requests up to an amount may go to a smaller panel; no money moves, so no confirmation."""
        await pot_reports.administered_pot(actor, pot_id)
        read = forms.fast_track(_getter(await request.form()))
        errors = dict(read.errors)
        status = HTTP_422_UNPROCESSABLE_ENTITY
        if not errors and read.seats is not None:
            try:
                await pots.set_fast_track(actor, pot_id, read.threshold_cents, read.seats)
            except (InvalidInput, Conflict) as error:
                await pots.session.rollback()
                errors[form_field(error)] = error.message
                status = refusal_status(error)
            else:
                return see_other(f"/beheer/potten/{pot_id}", gedaan="snel")
        return await self._form(
            request,
            pot_reports,
            actor,
            locale,
            pot_id,
            FAST,
            values=read.values,
            errors=errors,
            status_code=status,
        )
