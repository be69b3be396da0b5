"""JSON endpoints for pots under /api/v1/pots: balances for all, money changes for the municipality."""

from litestar import Controller, get, post, put
from litestar.params import JSONBody
from litestar.status_codes import HTTP_201_CREATED

from api.dependencies import CurrentActor
from api.guards import PUBLIC, requires_signed_in
from api.pots.schemas import (
    BalanceOut,
    FastTrackIn,
    FastTrackOut,
    FundingIn,
    PotIn,
    PotOut,
    ThemeBudgetIn,
    TransactionOut,
)
from api.providers import Pots
from api.schemas import PathId, QueryId
from buurtbudget.pots.models import LedgerTransaction, Pot
from buurtbudget.pots.service import PotService


async def present(service: PotService, pots: list[Pot]) -> list[PotOut]:
    summaries = await service.summaries([pot.id for pot in pots])
    themes = await service.theme_balances([pot.id for pot in pots])
    return [
        PotOut(
            id=pot.id,
            neighbourhood_id=pot.neighbourhood_id,
            name=pot.name,
            period_start=pot.period_start,
            period_end=pot.period_end,
            balance=BalanceOut(
                received_cents=summaries[pot.id].received_cents,
                available_cents=summaries[pot.id].available_cents,
                reserved_cents=summaries[pot.id].reserved_cents,
                granted_cents=summaries[pot.id].granted_cents,
            ),
            theme_budgets=themes[pot.id],
            fast_track=FastTrackOut(
                threshold_cents=pot.fast_track_threshold_cents, seats=pot.fast_track_seats
            ),
        )
        for pot in pots
    ]


def _transaction(transaction: LedgerTransaction) -> TransactionOut:
    return TransactionOut(id=transaction.id, pot_id=transaction.pot_id, kind=transaction.kind)


class PotController(Controller):
    path = "/api/v1/pots"
    tags = ["pots"]
    guards = [requires_signed_in]  # money changes; the municipality's role is checked by the service

    @get("/", operation_id="listPots", summary="Pots with their balances derived from the ledger", opt=PUBLIC)
    async def list_pots(self, pots: Pots, neighbourhood_id: QueryId = None) -> list[PotOut]:
        return await present(pots, await pots.list_pots(neighbourhood_id))

    @get(
        "/{pot_id:int}",
        operation_id="getPot",
        summary="One pot with its balance and theme budgets",
        opt=PUBLIC,
    )
    async def get_pot(self, pots: Pots, pot_id: PathId) -> PotOut:
        return (await present(pots, [await pots.get(pot_id)]))[0]

    @post(
        "/",
        operation_id="createPot",
        summary="Create a pot (municipality administrators)",
        status_code=HTTP_201_CREATED,
    )
    async def create_pot(self, pots: Pots, actor: CurrentActor, data: JSONBody[PotIn]) -> PotOut:
        pot = await pots.create_pot(
            actor,
            neighbourhood_id=data.neighbourhood_id,
            name=data.name,
            period_start=data.period_start,
            period_end=data.period_end,
        )
        return (await present(pots, [pot]))[0]

    @post(
        "/{pot_id:int}/fundings",
        operation_id="fundPot",
        summary="Add money to a pot (municipality administrators)",
        status_code=HTTP_201_CREATED,
    )
    async def fund_pot(
        self, pots: Pots, actor: CurrentActor, pot_id: PathId, data: JSONBody[FundingIn]
    ) -> TransactionOut:
        return _transaction(await pots.fund(actor, pot_id, data.amount_cents, data.memo))

    @post(
        "/{pot_id:int}/theme-budgets",
        operation_id="earmarkThemeBudget",
        summary="Set part of the pot aside for a theme (municipality administrators)",
        status_code=HTTP_201_CREATED,
    )
    async def earmark(
        self, pots: Pots, actor: CurrentActor, pot_id: PathId, data: JSONBody[ThemeBudgetIn]
    ) -> TransactionOut:
        return _transaction(await pots.earmark(actor, pot_id, data.theme, data.amount_cents))

    @put(
        "/{pot_id:int}/fast-track",
        operation_id="setFastTrack",
        summary="Let small requests go to a fast-track round with a smaller panel (municipality)",
    )
    async def set_fast_track(
        self, pots: Pots, actor: CurrentActor, pot_id: PathId, data: JSONBody[FastTrackIn]
    ) -> PotOut:
        pot = await pots.set_fast_track(actor, pot_id, data.threshold_cents, data.seats)
        return (await present(pots, [pot]))[0]
