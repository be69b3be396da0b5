"""Public pages of rounds: the rounds per neighbourhood, one round's overview, and its result."""

from typing import Annotated, Any

from litestar import Controller, Request, get
from litestar.params import QueryParameter
from litestar.response import Template

from api.dependencies import CurrentActor, DbSession, Locale
from api.jury import result_view
from api.jury.room import BALLOT_KINDS, meeting_day
from api.providers import Deliberations
from api.rendering import page
from api.schemas import PathId
from buurtbudget import formatting
from buurtbudget.i18n import N_
from buurtbudget.jury.deliberation import reading
from buurtbudget.places import service as places

NeighbourhoodSlug = Annotated[str | None, QueryParameter(name="buurt", max_length=120)]
ROUND_STATES = {"open": N_("Open"), "closed": N_("Decided"), "cancelled": N_("Cancelled")}
RULES = {
    "greedy": N_("Most support first, as long as the money lasts"),
    "mes": N_("Method of Equal Shares"),
    "mes-add1": N_("Method of Equal Shares, completed"),
    "knapsack": N_("The combination with the most support"),
}
MODES = {"jury": N_("A jury of residents drawn by lot decides"), "open": N_("Every resident may vote")}


class RoundPages(Controller):
    include_in_schema = False
    tags = ["pages"]

    @get("/rondes", operation_id="roundsPage")
    async def rounds(
        self, request: Request[Any, Any, Any], db_session: DbSession, buurt: NeighbourhoodSlug = None
    ) -> Template:
        chosen = await places.get_by_slug(db_session, buurt) if buurt else None
        return page(
            request,
            "jury/rounds.html",
            groups=await reading.rounds_by_neighbourhood(db_session, chosen.id if chosen else None),
            chosen=chosen,
            neighbourhoods=await places.list_neighbourhoods(db_session),
            states=ROUND_STATES,
        )

    @get("/rondes/{round_id:int}", operation_id="roundPage")
    async def round(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        round_id: PathId,
    ) -> Template:
        round_, neighbourhood = await reading.get_round(db_session, round_id)
        access = await deliberations.role_in(actor, round_id)
        return page(
            request,
            "jury/round.html",
            round=round_,
            neighbourhood=neighbourhood,
            ballot=await reading.ballot(db_session, round_id),
            access=access,
            manages=round_.state == "open" and actor.administers(neighbourhood.municipality_id),
            states=ROUND_STATES,
            kinds=BALLOT_KINDS,
            rules=RULES,
            modes=MODES,
            tie_breaks=result_view.TIE_BREAKS,
        )

    @get("/rondes/{round_id:int}/uitslag", operation_id="roundResultPage")
    async def result(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        locale: Locale,
        round_id: PathId,
    ) -> Template:
        round_, neighbourhood = await reading.get_round(db_session, round_id)
        items = await reading.ballot(db_session, round_id)
        ranked: list[result_view.Row] = []
        line = None
        minutes = []
        names: dict[int, str] = {}
        if round_.state == "closed" and round_.result is not None:
            ranked = result_view.rows(
                round_.result,
                [(i.initiative.id, i.initiative.title, i.cost_cents) for i in items],
                locale,
                lambda cents: formatting.money(cents, locale),
            )
            line = result_view.money_line(ranked, round_.amount_cents)
            minutes = await deliberations.minutes(actor, round_id)
            names = await reading.names(db_session, {m.written_by_id for m in minutes})
        return page(
            request,
            "jury/result.html",
            round=round_,
            neighbourhood=neighbourhood,
            rows=ranked,
            line=line,
            minutes=minutes,
            names=names,
            points=round_.ballot_kind != "approval",
            outcomes=result_view.OUTCOME_LABELS,
            rules=RULES,
            tie_breaks=result_view.TIE_BREAKS,
            ballots=0 if round_.result is None else round_.result.ballots,
            on_day=lambda value: meeting_day(value, locale),
        )
