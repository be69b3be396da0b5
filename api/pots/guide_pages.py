"""Each pot's "how it works" page: written by the municipality, read by everyone."""

from typing import Any

from litestar import Controller, Request, get, post
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, Locale
from api.initiatives.page_support import amount_text, see_other, sign_in_first
from api.pages.form_errors import translated
from api.pots import forms
from api.pots.pages import form_field, on, refusal_status
from api.providers import PotGuides, PotReports
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import Conflict, InvalidInput
from buurtbudget.people.roles import Actor
from buurtbudget.pots.guide import paragraphs
from buurtbudget.pots.models import Pot
from buurtbudget.pots.reporting import PotReportService


def guide_values(pot: Pot, locale: str) -> dict[str, str]:
    maximum = pot.max_per_initiative_cents
    return {
        "max_per_initiative": "" if maximum is None else amount_text(maximum, locale),
        "criteria": pot.criteria,
        "next_round_on": "" if pot.next_round_on is None else pot.next_round_on.isoformat(),
        "payment_text": pot.payment_text,
    }


class PotGuidePages(Controller):
    include_in_schema = False
    tags = ["pages"]

    @get("/potten/{pot_id:int}/zo-werkt-het", operation_id="potGuidePage")
    async def guide(
        self, request: Request[Any, Any, Any], pot_guides: PotGuides, locale: Locale, pot_id: PathId
    ) -> Template:
        """Public: what a plan may ask, the criteria, the next round and how money is paid."""
        pot, neighbourhood = await pot_guides.guide_page(pot_id)
        return page(
            request,
            "pots/guide.html",
            pot=pot,
            neighbourhood=neighbourhood,
            criteria=paragraphs(pot.criteria),
            payment=paragraphs(pot.payment_text),
            on=on(locale),
        )

    async def _form(
        self,
        request: Request[Any, Any, Any],
        reports: PotReportService,
        actor: Actor,
        locale: str,
        pot_id: int,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        pot, neighbourhood = await reports.administered_pot(actor, pot_id)
        return page(
            request,
            "pots/guide_form.html",
            status_code=status_code,
            pot=pot,
            neighbourhood=neighbourhood,
            values=guide_values(pot, locale) if values is None else values,
            errors=translated(errors or {}, locale),
        )

    @get("/beheer/potten/{pot_id:int}/uitleg", operation_id="editPotGuidePage")
    async def edit(
        self,
        request: Request[Any, Any, Any],
        pot_reports: PotReports,
        actor: CurrentActor,
        locale: Locale,
        pot_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        return await self._form(request, pot_reports, actor, locale, pot_id)

    @post("/beheer/potten/{pot_id:int}/uitleg", operation_id="editPotGuidePost")
    async def save(
        self,
        request: Request[Any, Any, Any],
        pot_guides: PotGuides,
        pot_reports: PotReports,
        actor: CurrentActor,
        locale: Locale,
        pot_id: PathId,
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        await pot_reports.administered_pot(actor, pot_id)
        form = await request.form()
        read = forms.guide(lambda name: str(form.get(name) or ""))
        status = HTTP_422_UNPROCESSABLE_ENTITY
        if read.guide is not None:
            try:
                await pot_guides.set_guide(actor, pot_id, read.guide)
            except (InvalidInput, Conflict) as error:
                await pot_guides.session.rollback()
                read.errors[form_field(error)] = error.message
                status = refusal_status(error)
            else:
                return see_other(f"/beheer/potten/{pot_id}", gedaan="uitleg")
        return await self._form(
            request,
            pot_reports,
            actor,
            locale,
            pot_id,
            values=read.values,
            errors=read.errors,
            status_code=status,
        )
