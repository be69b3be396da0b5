"""Appending to the audit log inside the caller's transaction, and verifying the chain."""

import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit import keys
from buurtbudget.audit.chain import ChainLink, Verdict, canonical_tail, entry_hash, verify
from buurtbudget.audit.keys import AuditKey
from buurtbudget.audit.models import AuditEntry, AuditHead
from buurtbudget.db.base import utcnow

# On PostgreSQL one statement locks the head, links and hashes the entry (sha256 over the same text as
# `entry_hash`), seals it (HMAC-SHA256 of the hash, built from sha256 and the key's padded inner and outer
# blocks, which are sent with the statement and never stored) and moves the head on: the head's lock is
# then held for this statement and the commit only, instead of three round trips in which the caller's
# event loop may serve other requests.
_APPEND = text(
    """
    WITH entry AS (
        INSERT INTO audit_entries
            (at, actor_id, action, subject_type, subject_id, data, prev_hash, entry_hash, entry_mac)
        SELECT CAST(:at AS TIMESTAMPTZ), CAST(:actor_id AS INTEGER), CAST(:action AS VARCHAR),
               CAST(:subject_type AS VARCHAR), CAST(:subject_id AS INTEGER), CAST(:data AS JSON),
               head.last_hash, linked.digest,
               encode(sha256(CAST(:outer_key AS BYTEA) || sha256(
                   CAST(:inner_key AS BYTEA) || convert_to(linked.digest, 'UTF8')
               )), 'hex')
        FROM (SELECT last_hash FROM audit_head WHERE id = 1 FOR UPDATE) AS head
        CROSS JOIN LATERAL (
            SELECT encode(sha256(convert_to(
                '["' || head.last_hash || '",' || CAST(:tail AS TEXT), 'UTF8'
            )), 'hex') AS digest
        ) AS linked
        RETURNING id, prev_hash, entry_hash, entry_mac
    )
    UPDATE audit_head SET last_hash = entry.entry_hash, last_entry_id = entry.id
    FROM entry WHERE audit_head.id = 1
    RETURNING entry.id, entry.prev_hash, entry.entry_hash, entry.entry_mac
    """
)


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
    at = utcnow()
    payload = dict(data or {})
    if session.get_bind().dialect.name == "postgresql":
        return await _append_in_one_statement(
            session,
            at=at,
            actor_id=actor_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            data=payload,
        )
    (entry,) = await record_many(session, [Event(actor_id, action, subject_type, subject_id, payload)], at=at)
    return entry


@dataclass(frozen=True, slots=True)
class Event:
    """What one audit entry says: who did what to which subject."""

    actor_id: int | None
    action: str
    subject_type: str
    subject_id: int | None
    data: dict[str, Any] = field(default_factory=dict)


async def record_many(
    session: AsyncSession, events: Sequence[Event], *, at: datetime | None = None
) -> list[AuditEntry]:
    """Append `events` in their order, in the caller's transaction, under one lock of the head.

    For a batch of changes committed together (the ballot box): one lock, one insert and one move of
    the head, instead of one of each per entry.
    """
    moment = at or utcnow()
    await session.flush()  # the caller's pending changes first, and before the head is locked
    head = (await session.execute(select(AuditHead).where(AuditHead.id == 1).with_for_update())).scalar_one()
    entries = []
    last_hash = head.last_hash
    key = keys.current()
    for event in events:
        content: dict[str, Any] = {
            "at": moment,
            "actor_id": event.actor_id,
            "action": event.action,
            "subject_type": event.subject_type,
            "subject_id": event.subject_id,
            "data": event.data,
        }
        digest = entry_hash(last_hash, **content)
        entries.append(
            AuditEntry(**content, prev_hash=last_hash, entry_hash=digest, entry_mac=key.seal(digest))
        )
        last_hash = digest
    if entries:
        session.add_all(entries)
        await session.flush()
        head.last_hash = last_hash
        head.last_entry_id = entries[-1].id
    return entries


async def _append_in_one_statement(
    session: AsyncSession,
    *,
    at: datetime,
    actor_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    data: dict[str, Any],
) -> AuditEntry:
    tail = canonical_tail(
        at=at, actor_id=actor_id, action=action, subject_type=subject_type, subject_id=subject_id, data=data
    )
    await session.flush()  # the caller's pending changes first (as before), and before the head is locked
    key = keys.current()
    row = (
        await session.execute(
            _APPEND,
            {
                "at": at,
                "actor_id": actor_id,
                "action": action,
                "subject_type": subject_type,
                "subject_id": subject_id,
                "data": json.dumps(data),
                "tail": tail,
                "inner_key": key.inner,
                "outer_key": key.outer,
            },
        )
    ).one()
    return AuditEntry(
        id=row.id,
        at=at,
        actor_id=actor_id,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        data=data,
        prev_hash=row.prev_hash,
        entry_hash=row.entry_hash,
        entry_mac=row.entry_mac,
    )


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
            entry.entry_mac,
        )


async def verify_chain(session: AsyncSession, key: AuditKey | None = None) -> Verdict:
    """Check every entry's hash, link and seal, and that the chain ends at the recorded head."""
    head = (await session.execute(select(AuditHead).where(AuditHead.id == 1))).scalar_one()
    links = [link async for link in iter_links(session)]
    return verify(links, head.last_hash, key or keys.current())
