"""The ledger in the database: reservations return to their own budget, rows never change, every
transaction balances at commit (SQLite and PostgreSQL), and its audit entry names every posting."""

import pytest
from conftest import World, new_initiatives
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.pots.errors import ReservedElsewhere
from buurtbudget.pots.models import Account, LedgerEntry
from buurtbudget.pots.service import PotService
from buurtbudget.pots.writing import write_transaction

INSERT_ENTRY = "INSERT INTO ledger_entries (transaction_id, account_id, amount_cents) VALUES"


async def test_released_money_returns_to_the_theme_budget_it_was_reserved_from(
    session: AsyncSession, world: World
) -> None:
    admin = world.actors["municipality_admin"]
    service = PotService(session)
    [initiative_id] = await new_initiatives(session, world, 1)
    await service.earmark(admin, world.pot_id, "groen", 1_000_00)
    await service.reserve(admin, world.pot_id, initiative_id, 600_00, theme="groen")
    await service.release(admin, world.pot_id, initiative_id, 400_00)
    assert await service.theme_balances([world.pot_id]) == {world.pot_id: {"groen": 800_00}}
    summary = (await service.summaries([world.pot_id]))[world.pot_id]
    assert summary.available_cents == 9_800_00  # 9,000 general (unchanged) + 800 in the theme budget
    assert summary.reserved_cents == 200_00


async def test_a_declined_offer_returns_to_the_budget_its_reservation_came_from(
    session: AsyncSession, world: World
) -> None:
    admin = world.actors["municipality_admin"]
    service = PotService(session)
    [initiative_id] = await new_initiatives(session, world, 1)
    await service.earmark(admin, world.pot_id, "groen", 1_000_00)
    await service.reserve(admin, world.pot_id, initiative_id, 700_00, theme="groen")
    async with transaction(session):
        moved = await service.settle_offer(admin, world.pot_id, initiative_id, accepted=False)
    assert moved == 700_00
    assert await service.theme_balances([world.pot_id]) == {world.pot_id: {"groen": 1_000_00}}
    assert (await service.summaries([world.pot_id]))[world.pot_id].reserved_cents == 0


async def test_a_reservation_from_another_budget_of_the_pot_is_refused_and_writes_nothing(
    session: AsyncSession, world: World
) -> None:
    admin = world.actors["municipality_admin"]
    service = PotService(session)
    [initiative_id] = await new_initiatives(session, world, 1)
    await service.earmark(admin, world.pot_id, "groen", 1_000_00)
    await service.reserve(admin, world.pot_id, initiative_id, 100_00, theme="groen")
    before = (await service.summaries([world.pot_id]))[world.pot_id]
    with pytest.raises(ReservedElsewhere) as refused:
        await service.reserve(admin, world.pot_id, initiative_id, 100_00)
    assert refused.value.params["field"] == "theme"
    assert (await service.summaries([world.pot_id]))[world.pot_id] == before


async def test_the_audit_entry_of_a_transaction_names_every_posting(
    session: AsyncSession, world: World
) -> None:
    """A grant from the reservation and from the general budget posts twice to the granted account."""
    admin = world.actors["municipality_admin"]
    service = PotService(session)
    [initiative_id] = await new_initiatives(session, world, 1)
    await service.reserve(admin, world.pot_id, initiative_id, 300_00)
    granted = await service.grant(admin, world.pot_id, initiative_id, 500_00)
    entry = (
        await session.execute(select(AuditEntry).where(AuditEntry.action == "ledger.grant"))
    ).scalar_one()
    assert entry.data["transaction_id"] == granted.id
    postings = sorted(tuple(p) for p in entry.data["postings"])  # type: ignore[attr-defined]
    assert postings == sorted(
        [
            (f"reserved:initiative:{initiative_id}", -300_00),
            (f"granted:initiative:{initiative_id}", 300_00),
            ("available", -200_00),
            (f"granted:initiative:{initiative_id}", 200_00),
        ]
    )
    assert sum(cents for _, cents in postings) == 0


@pytest.mark.parametrize("table", ["ledger_entries", "ledger_transactions", "ledger_accounts"])
@pytest.mark.parametrize("verb", ["UPDATE", "DELETE"])
async def test_ledger_rows_refuse_update_and_delete(
    engine: AsyncEngine, session: AsyncSession, world: World, table: str, verb: str
) -> None:
    statement = f"UPDATE {table} SET id = id" if verb == "UPDATE" else f"DELETE FROM {table}"  # noqa: S608
    with pytest.raises(DBAPIError, match="append-only"):
        async with engine.begin() as connection:
            await connection.execute(text(statement))


async def _accounts(session: AsyncSession, pot_id: int) -> tuple[int, int]:
    found = await session.execute(select(Account.code, Account.id).where(Account.pot_id == pot_id))
    rows = dict(found.tuples().all())
    return rows["source"], rows["available"]


async def test_an_unbalanced_transaction_is_refused_at_commit(engine: AsyncEngine, world: World) -> None:
    async with create_session_factory(engine)() as session:
        source, available = await _accounts(session, world.pot_id)
        await session.commit()
        with pytest.raises(DBAPIError, match="balance"):
            async with session.begin():
                await write_transaction(
                    session,
                    pot_id=world.pot_id,
                    kind="fund",
                    memo="",
                    actor_id=None,
                    entries=[(source, -5_00), (available, 6_00)],
                )
    async with create_session_factory(engine)() as fresh:
        assert sum((await fresh.execute(select(LedgerEntry.amount_cents))).scalars()) == 0


async def test_entries_cannot_be_added_to_a_written_transaction(engine: AsyncEngine, world: World) -> None:
    """On PostgreSQL the balance check at commit refuses it; on SQLite the sealed transaction does."""
    async with create_session_factory(engine)() as session:
        source, _available = await _accounts(session, world.pot_id)
        transaction_id = await session.scalar(select(LedgerEntry.transaction_id).limit(1))
        await session.commit()
    with pytest.raises(DBAPIError):
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "INSERT INTO ledger_entries (transaction_id, account_id, amount_cents) VALUES (:t, :a, 1)"
                ),
                {"t": transaction_id, "a": source},
            )


async def test_on_sqlite_entries_without_their_sealing_transaction_are_refused_at_commit(
    sqlite_url: str,
) -> None:
    from buurtbudget.db.engine import create_engine

    engine = create_engine(sqlite_url)
    try:
        async with create_session_factory(engine)() as session:
            world_pot = await session.scalar(text("SELECT count(*) FROM pots"))
            assert world_pot == 0
        with pytest.raises(DBAPIError, match="FOREIGN KEY"):
            async with engine.begin() as connection:
                await connection.execute(text(f"{INSERT_ENTRY} (99, 1, 5)"))
    finally:
        await engine.dispose()
