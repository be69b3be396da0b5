"""The municipality opens a round from a page (`/beheer/rondes/nieuw?pot=ID`): choose the ready
initiatives, the amount, the ballot, the rule, the dates, the quorum and the minimum support; a
confirmation step shows what will be reserved from the pot. The same service call as the JSON API."""

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from api.dependencies import CurrentActor, Locale, locale_of
from api.initiatives.page_support import see_other
from api.jury import open_form
from api.jury.pages import MODES, RULES
from api.jury.result_view import TIE_BREAKS
from api.jury.room import BALLOT_KINDS
from api.jury.staff_pages import refusal_at_field, status_of
from api.pages.form_errors import translated
from api.pages.staff_base import StaffPages
from api.providers import RoundAdmin, Rounds
from api.rendering import page
from buurtbudget.errors import Conflict, InvalidInput
from buurtbudget.i18n import N_, gettext
from buurtbudget.jury.management import Opening
from buurtbudget.jury.rounds import check_dates, check_seats
from buurtbudget.people.roles import Actor

PotChoice = Annotated[int, QueryParameter(name="pot", ge=1, le=2**31 - 1)]
TRACKS = {
    "regular": N_("Regular: the round's own jury or every resident"),
    "fast": N_("Fast track: small requests, a smaller panel, decided within days"),
}
FIELDS = {*open_form.TEXT_FIELDS, "initiative_ids"}
CHOICES = {
    "mode": MODES,
    "track": TRACKS,
    "ballot_kind": BALLOT_KINDS,
    "rule": RULES,
    "tie_break": TIE_BREAKS,
}


def labelled(labels: dict[str, str], locale: str) -> list[tuple[str, str]]:
    """A select's options: each value with its label in the visitor's language."""
    return [(value, gettext(label, locale)) for value, label in labels.items()]


class RoundOpenPages(StaffPages):
    path = "/beheer/rondes/nieuw"

    async def _form(
        self,
        request: Request[Any, Any, Any],
        opening: Opening,
        read: open_form.OpenForm | None = None,
        *,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "jury/open.html",
            status_code=status_code,
            opening=opening,
            values=open_form.defaults() if read is None else read.values,
            chosen=set() if read is None else set(read.initiative_ids),
            errors=errors or {},
            options={name: labelled(labels, locale_of(request)) for name, labels in CHOICES.items()},
        )

    @get(operation_id="openRoundPage")
    async def form(
        self, request: Request[Any, Any, Any], actor: CurrentActor, round_admin: RoundAdmin, pot: PotChoice
    ) -> Template:
        """The form, for the municipality that owns the pot."""
        return await self._form(request, await round_admin.opening(actor, pot))

    @post(operation_id="openRoundPost")
    async def submit(
        self,
        request: Request[Any, Any, Any],
        actor: CurrentActor,
        locale: Locale,
        rounds: Rounds,
        round_admin: RoundAdmin,
        pot: PotChoice,
    ) -> Template | Redirect:
        """First the confirmation step (nothing written), then `bevestigd=ja` opens the round."""
        form_data = await request.form()
        read = open_form.read(
            {name: str(form_data.get(name) or "") for name in open_form.TEXT_FIELDS},
            [str(value) for value in form_data.getall("initiative_ids", [])],
        )
        opening = await round_admin.opening(actor, pot)
        if str(form_data.get("wijzigen") or "") == "ja":  # back from the confirmation, to change it
            return await self._form(request, opening, read)
        if read.plan is None:
            errors = translated(read.errors, locale)
            return await self._form(request, opening, read, errors=errors, status_code=422)
        if str(form_data.get("bevestigd") or "") != "ja":
            return await self._confirm(request, actor, opening, read, locale)
        try:
            round_ = await rounds.open_round(actor, pot, read.plan)
        except (Conflict, InvalidInput) as error:
            errors = refusal_at_field(error, locale, FIELDS, open_form.FORM_FIELD, "initiative_ids")
            opening = await round_admin.opening(actor, pot)
            return await self._form(request, opening, read, errors=errors, status_code=status_of(error))
        return see_other(f"/rondes/{round_.id}/beheer", klaar="geopend")

    async def _confirm(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        opening: Opening,
        read: open_form.OpenForm,
        locale: str,
    ) -> Template:
        """What will happen, before anything is written: the money reserved, what the pot keeps."""
        assert read.plan is not None  # noqa: S101  (only a complete plan is confirmed)
        plan = read.plan
        try:
            check_dates(plan)
            check_seats(plan, opening.pot)
        except InvalidInput as error:
            errors = refusal_at_field(error, locale, FIELDS, open_form.FORM_FIELD, "voting_closes_at")
            return await self._form(request, opening, read, errors=errors, status_code=422)
        ready = {item.id: item for item in opening.ready}
        on_ballot = [ready[i] for i in plan.initiative_ids if i in ready]
        if len(on_ballot) != len(plan.initiative_ids):
            errors = translated({"initiative_ids": open_form.INITIATIVES_ERROR}, locale)
            return await self._form(request, opening, read, errors=errors, status_code=422)
        if plan.amount_cents > opening.available_cents:
            errors = translated({"amount": N_("the pot holds less than this round offers")}, locale)
            return await self._form(request, opening, read, errors=errors, status_code=409)
        return page(
            request,
            "jury/open_confirm.html",
            opening=opening,
            plan=plan,
            values=read.values,
            on_ballot=on_ballot,
            asked_cents=sum(item.asks_cents for item in on_ballot),
            left_cents=opening.available_cents - plan.amount_cents,
            modes=MODES,
            kinds=BALLOT_KINDS,
            rules=RULES,
            tie_breaks=TIE_BREAKS,
            tracks=TRACKS,
        )
