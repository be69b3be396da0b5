"""The ledger checked against the audit log: every transaction has one entry with exactly its postings."""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.pots.ledger import Posting, same_postings
from buurtbudget.pots.models import Account, LedgerEntry, LedgerTransaction


@dataclass
class _Written:
    pot_id: int
    kind: str
    postings: list[Posting] = field(default_factory=list)


def _audited_postings(data: object) -> list[Posting] | dict[str, int] | None:
    """The postings an audit entry names: a list of [account, cents] pairs, or (entries written before
    every posting was recorded) a mapping of account to its last posting's cents, as far as it goes."""
    if not isinstance(data, dict):
        return None
    postings = data.get("postings")
    if isinstance(postings, list):
        return [Posting(str(account), int(cents)) for account, cents in postings]
    if isinstance(postings, dict):
        return {str(account): int(cents) for account, cents in postings.items()}
    return None


async def ledger_problems(session: AsyncSession) -> list[str]:
    """What does not agree between the ledger tables and the audit log's ledger entries (empty: all)."""
    written: dict[int, _Written] = {}
    rows = await session.execute(
        select(
            LedgerTransaction.id,
            LedgerTransaction.pot_id,
            LedgerTransaction.kind,
            Account.code,
            Account.pot_id,
            LedgerEntry.amount_cents,
        )
        .outerjoin(LedgerEntry, LedgerEntry.transaction_id == LedgerTransaction.id)
        .outerjoin(Account, Account.id == LedgerEntry.account_id)
        .order_by(LedgerTransaction.id, LedgerEntry.id)
    )
    found: list[str] = []
    for transaction_id, pot_id, kind, code, account_pot_id, cents in rows:
        entry = written.setdefault(transaction_id, _Written(pot_id, kind))
        if code is not None:
            entry.postings.append(Posting(code, int(cents)))
            if account_pot_id != pot_id:
                found.append(f"ledger transaction {transaction_id} posts to another pot's account")
    for transaction_id, entry in written.items():
        if not entry.postings or sum(p.amount_cents for p in entry.postings) != 0:
            found.append(f"ledger transaction {transaction_id} does not balance")
    audited: dict[int, int] = defaultdict(int)
    entries = await session.execute(
        select(AuditEntry.id, AuditEntry.action, AuditEntry.subject_id, AuditEntry.data)
        .where(AuditEntry.action.like("ledger.%"))
        .order_by(AuditEntry.id)
    )
    for audit_id, action, subject_id, data in entries:
        transaction_id = data.get("transaction_id") if isinstance(data, dict) else None
        if not isinstance(transaction_id, int) or transaction_id not in written:
            found.append(f"audit entry {audit_id} names a ledger transaction that does not exist")
            continue
        audited[transaction_id] += 1
        entry = written[transaction_id]
        postings = _audited_postings(data)
        if isinstance(postings, dict):
            agrees = set(postings) == {p.account for p in entry.postings} and all(
                Posting(account, cents) in entry.postings for account, cents in postings.items()
            )
        else:
            agrees = postings is not None and same_postings(postings, entry.postings)
        if not agrees or action != f"ledger.{entry.kind}" or subject_id != entry.pot_id:
            found.append(f"ledger transaction {transaction_id} differs from its audit entry {audit_id}")
    for transaction_id in written:
        if audited[transaction_id] != 1:
            found.append(
                f"ledger transaction {transaction_id} has {audited[transaction_id]} audit entries, not one"
            )
    return found
