"""Writing one ledger transaction in the order the database's balance check needs (see migration 0010)."""

from collections.abc import Sequence

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.base import utcnow
from buurtbudget.db.changes import INITIATIVE, note_change
from buurtbudget.pots.models import Account, LedgerEntry, LedgerTransaction


async def write_transaction(
    session: AsyncSession,
    *,
    pot_id: int,
    kind: str,
    memo: str,
    actor_id: int | None,
    entries: Sequence[tuple[int, int]],
) -> int:
    """Insert a transaction and its `(account_id, amount_cents)` entries; returns the transaction's id.

    PostgreSQL checks the balance at commit (deferred constraint triggers), so the transaction row comes
    first as usual. SQLite cannot defer a trigger: there the entries come first and the transaction row,
    inserted last under SQLite's single writer lock with the next id, seals them (its trigger checks the
    sum; the deferred foreign key refuses at commit entries that were never sealed).
    """
    await session.flush()
    await _note_initiatives(session, entries)
    row = {"pot_id": pot_id, "kind": kind, "memo": memo, "actor_id": actor_id, "created_at": utcnow()}
    if session.get_bind().dialect.name == "sqlite":
        last = await session.scalar(select(func.coalesce(func.max(LedgerTransaction.id), 0)))
        transaction_id = int(last or 0) + 1
        await _insert_entries(session, transaction_id, entries)
        await session.execute(insert(LedgerTransaction), [{"id": transaction_id, **row}])
        return transaction_id
    transaction_id = int(
        (
            await session.execute(insert(LedgerTransaction).values(**row).returning(LedgerTransaction.id))
        ).scalar_one()
    )
    await _insert_entries(session, transaction_id, entries)
    return transaction_id


async def _insert_entries(
    session: AsyncSession, transaction_id: int, entries: Sequence[tuple[int, int]]
) -> None:
    await session.execute(
        insert(LedgerEntry),
        [
            {"transaction_id": transaction_id, "account_id": account_id, "amount_cents": amount_cents}
            for account_id, amount_cents in entries
        ],
    )


async def _note_initiatives(session: AsyncSession, entries: Sequence[tuple[int, int]]) -> None:
    """Money moved on an initiative's accounts (what it was granted): the indexes re-read it."""
    query = select(Account.initiative_id).where(
        Account.id.in_({account_id for account_id, _cents in entries}), Account.initiative_id.is_not(None)
    )
    for initiative_id in set((await session.execute(query)).scalars()):
        if initiative_id is not None:
            note_change(session, INITIATIVE, initiative_id)
