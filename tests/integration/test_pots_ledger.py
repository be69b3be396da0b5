"""The pot ledger: balanced transactions, derived balances, and never promising more than the pot holds."""

import asyncio

import pytest
from conftest import World, new_initiatives
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.errors import InvalidInput, NotAllowed
from buurtbudget.pots.errors import InsufficientFunds, NothingToRelease
from buurtbudget.pots.models import LedgerEntry, LedgerTransaction
from buurtbudget.pots.service import PotService


async def ledger_sum(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_cents), 0))) or 0)


async def test_funding_reserving_granting_and_releasing_move_money_between_accounts(
    session: AsyncSession, world: World
) -> None:
    admin = world.actors["municipality_admin"]
    service = PotService(session)
    [initiative_id] = await new_initiatives(session, world, 1)
    await service.reserve(admin, world.pot_id, initiative_id, amount_cents=3_000_00)
    await service.release(admin, world.pot_id, initiative_id, amount_cents=1_000_00)
    await service.grant(admin, world.pot_id, initiative_id, amount_cents=2_500_00)
    summary = (await service.summaries([world.pot_id]))[world.pot_id]
    assert summary.received_cents == 10_000_00
    assert summary.reserved_cents == 0  # the grant used the 2,000 still reserved, then 500 from available
    assert summary.granted_cents == 2_500_00
    assert summary.available_cents == 7_500_00
    assert await ledger_sum(session) == 0
    for transaction in (await session.execute(select(LedgerTransaction))).scalars():
        assert sum(entry.amount_cents for entry in transaction.entries) == 0


async def test_a_promise_beyond_what_the_pot_holds_is_refused_and_writes_nothing(
    session: AsyncSession, world: World
) -> None:
    service = PotService(session)
    first, second = await new_initiatives(session, world, 2)
    before = await session.scalar(select(func.count()).select_from(LedgerTransaction))
    audit_before = await session.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(InsufficientFunds):
        await service.reserve(world.actors["municipality_admin"], world.pot_id, first, 10_000_01)
    with pytest.raises(InsufficientFunds):
        await service.grant(world.actors["municipality_admin"], world.pot_id, second, 10_000_01)
    with pytest.raises(NothingToRelease):
        await service.release(world.actors["municipality_admin"], world.pot_id, first, 1)
    with pytest.raises(InvalidInput) as unknown:
        await service.reserve(world.actors["municipality_admin"], world.pot_id, 999_999, 1)
    assert unknown.value.field == "initiative_id"
    assert await session.scalar(select(func.count()).select_from(LedgerTransaction)) == before
    assert await session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before


async def test_theme_budgets_limit_promises_for_their_theme(session: AsyncSession, world: World) -> None:
    admin = world.actors["municipality_admin"]
    service = PotService(session)
    [initiative_id] = await new_initiatives(session, world, 1)
    await service.earmark(admin, world.pot_id, "Groen", 1_000_00)
    assert await service.theme_balances([world.pot_id]) == {world.pot_id: {"groen": 1_000_00}}
    with pytest.raises(InsufficientFunds):
        await service.reserve(admin, world.pot_id, initiative_id, 1_000_01, theme="groen")
    await service.reserve(admin, world.pot_id, initiative_id, 1_000_00, theme="groen")
    assert await service.theme_balances([world.pot_id]) == {world.pot_id: {"groen": 0}}
    summary = (await service.summaries([world.pot_id]))[world.pot_id]
    assert summary.available_cents == 9_000_00  # the general budget plus the (now empty) theme budget


@pytest.mark.parametrize("amount", [0, -5, 12.5, True])
async def test_amounts_are_positive_whole_cents(session: AsyncSession, world: World, amount: object) -> None:
    with pytest.raises(InvalidInput) as caught:
        await PotService(session).fund(world.actors["municipality_admin"], world.pot_id, amount)  # type: ignore[arg-type]
    assert caught.value.field == "amount_cents"


@pytest.mark.parametrize("who", ["resident", "broker", "juror", "advisor", "other_municipality_admin"])
async def test_only_the_municipality_moves_money(session: AsyncSession, world: World, who: str) -> None:
    with pytest.raises(NotAllowed):
        await PotService(session).fund(world.actors[who], world.pot_id, 100)


async def test_twenty_racing_promises_never_exceed_the_pot(
    engine: AsyncEngine, session: AsyncSession, world: World, database_url: str
) -> None:
    """20 requests of € 600 race for a pot of € 10,000: exactly 16 fit, the pot never goes below zero."""
    initiative_ids = await new_initiatives(session, world, 20)
    racing_engine = create_engine(database_url, **({"pool_size": 20} if "postgresql" in database_url else {}))
    sessions = create_session_factory(racing_engine)
    admin = world.actors["municipality_admin"]
    start = asyncio.Event()

    async def promise(initiative_id: int) -> bool:
        async with sessions() as racer:
            await start.wait()
            try:
                await PotService(racer).reserve(admin, world.pot_id, initiative_id, 600_00)
            except InsufficientFunds:
                return False
            return True

    tasks = [asyncio.create_task(promise(i)) for i in initiative_ids]
    await asyncio.sleep(0.05)
    start.set()
    outcomes = await asyncio.gather(*tasks)
    await racing_engine.dispose()

    async with create_session_factory(engine)() as fresh:
        summary = (await PotService(fresh).summaries([world.pot_id]))[world.pot_id]
        assert sum(outcomes) == 16
        assert summary.reserved_cents == 16 * 600_00
        assert summary.available_cents == 400_00
        assert await ledger_sum(fresh) == 0
