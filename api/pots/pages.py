"""The municipality's pot pages: its pots with their balances, a new pot, and one pot's page (money in,
reserved, granted, paid, left; per round; theme budgets; fast track; how it works; charts)."""

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from babel.dates import format_date
from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, Locale
from api.initiatives.page_support import see_other
from api.jury.pages import ROUND_STATES
from api.pages.form_errors import translated
from api.pages.staff_base import StaffPages
from api.pots import chart, forms
from api.providers import PotReports, Pots
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import Conflict, DomainError, InvalidInput
from buurtbudget.formatting import BABEL_LOCALES
from buurtbudget.i18n import N_
from buurtbudget.initiatives.themes import theme_options
from buurtbudget.people.roles import Actor
from buurtbudget.pots.reporting import PotReportService

Done = Annotated[str | None, QueryParameter(name="gedaan", max_length=20)]

# What a service names a field, as the pot forms name it.
FORM_FIELDS = {
    "amount_cents": "amount",
    "threshold_cents": "threshold",
    "max_per_initiative_cents": "max_per_initiative",
}
DONE = {
    "nieuw": N_("The pot is made. Add money to it to start."),
    "storting": N_("The money is added to the pot."),
    "thema": N_("The theme budget is set aside."),
    "snel": N_("The fast track is saved."),
    "uitleg": N_("The page 'How it works' is saved."),
}


def calendar_day(value: date, locale: str) -> str:
    """A calendar date (a pot's period, the next round) as people read it: 1 mei 2026."""
    return format_date(value, "d MMMM y", locale=BABEL_LOCALES.get(locale, "nl_NL"))


def on(locale: str) -> Callable[[date], str]:
    return lambda value: calendar_day(value, locale)


def form_field(error: DomainError) -> str:
    name = error.field if isinstance(error, InvalidInput) else str(error.params.get("field", ""))
    return FORM_FIELDS.get(name, name)


def refusal_status(error: DomainError) -> int:
    return HTTP_422_UNPROCESSABLE_ENTITY if isinstance(error, InvalidInput) else HTTP_409_CONFLICT


class PotAdminPages(StaffPages):
    @get("/beheer/potten", operation_id="potsAdminPage")
    async def pots(
        self, request: Request[Any, Any, Any], pot_reports: PotReports, actor: CurrentActor, locale: Locale
    ) -> Template | Redirect:
        return page(request, "pots/list.html", listings=await pot_reports.pots(actor), on=on(locale))

    async def _new_form(
        self,
        request: Request[Any, Any, Any],
        reports: PotReportService,
        actor: Actor,
        locale: str,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "pots/new.html",
            status_code=status_code,
            neighbourhoods=await reports.neighbourhoods(actor),
            values=values or {},
            errors=translated(errors or {}, locale),
        )

    @get("/beheer/potten/nieuw", operation_id="newPotPage")
    async def new(
        self, request: Request[Any, Any, Any], pot_reports: PotReports, actor: CurrentActor, locale: Locale
    ) -> Template | Redirect:
        return await self._new_form(request, pot_reports, actor, locale)

    @post("/beheer/potten/nieuw", operation_id="newPotPost")
    async def create(
        self,
        request: Request[Any, Any, Any],
        pots: Pots,
        pot_reports: PotReports,
        actor: CurrentActor,
        locale: Locale,
    ) -> Template | Redirect:
        form = await request.form()
        read = forms.new_pot(lambda name: str(form.get(name) or ""))
        status = HTTP_422_UNPROCESSABLE_ENTITY
        if read.plan is not None:
            try:
                pot = await pots.create_pot(
                    actor,
                    neighbourhood_id=read.plan.neighbourhood_id,
                    name=read.plan.name,
                    period_start=read.plan.period_start,
                    period_end=read.plan.period_end,
                )
            except (InvalidInput, Conflict) as error:
                await pots.session.rollback()
                read.errors[form_field(error)] = error.message
                status = refusal_status(error)
            else:
                return see_other(f"/beheer/potten/{pot.id}", gedaan="nieuw")
        return await self._new_form(
            request, pot_reports, actor, locale, values=read.values, errors=read.errors, status_code=status
        )

    @get("/beheer/potten/{pot_id:int}", operation_id="potAdminPage")
    async def pot(
        self,
        request: Request[Any, Any, Any],
        pot_reports: PotReports,
        actor: CurrentActor,
        pot_id: PathId,
        locale: Locale,
        gedaan: Done = None,
    ) -> Template | Redirect:
        report = await pot_reports.report(actor, pot_id)
        return page(
            request,
            "pots/pot.html",
            report=report,
            pot=report.pot,
            neighbourhood=report.neighbourhood,
            pot_bar=chart.pot_bar(report),
            round_bars=chart.round_bars(report),
            parts=chart.PART_LABELS,
            share=chart.share,
            round_states=ROUND_STATES,
            themes=theme_options(report.themes),
            notice=DONE.get(gedaan or ""),
            on=on(locale),
        )
