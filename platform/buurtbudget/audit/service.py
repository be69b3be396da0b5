"""Appending to the audit log inside the caller's transaction, and verifying the chain."""

from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.chain import ChainLink, Verdict, entry_hash, verify
from buurtbudget.audit.models import AuditEntry, AuditHead
from buurtbudget.db.base import utcnow


async def record(
    session: AsyncSession,
    *,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry; call inside the service's transaction so it commits or rolls back with the change.

    The head row is locked (FOR UPDATE on PostgreSQL; SQLite's writer lock does the same), so
    concurrent appends form one linear chain. Services lock their own rows before this one.
    """
    head = (await session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update())).scalar_one()
    at = utcnow()
    payload = dict(data or {})
    digest = entry_hash(
        head.last_hash,
        at=at,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        data=payload,
    )
    entry = AuditEntry(
        at=at,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        data=payload,
        prev_hash=head.last_hash,
        entry_hash=digest,
    )
    session.add(entry)
    await session.flush()
    head.last_hash = digest
    head.last_entry_id = entry.id
    return entry


async def iter_links(session: AsyncSession, batch_size: int = 1000) -> AsyncIterator[ChainLink]:
    stream = await session.stream_scalars(
        select(AuditEntry).order_by(AuditEntry.id).execution_options(yield_per=batch_size)
    )
    async for entry in stream:
        yield ChainLink(
            entry.id,
            entry.at,
            entry.actor_id,
            entry.action,
            entry.subject_type,
            entry.subject_id,
            entry.data,
            entry.prev_hash,
            entry.entry_hash,
        )


async def verify_chain(session: AsyncSession) -> Verdict:
    """Check every entry's hash and link, and that the chain ends at the recorded head."""
    head = (await session.execute(select(AuditHead).where(AuditHead.id == 1))).scalar_one()
    links = [link async for link in iter_links(session)]
    return verify(links, head.last_hash)
