"""What administrators see of the outbox (counts and dead letters, never a mail's text) and may retry."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import NotAllowed, NotFound
from buurtbudget.outbox import queue
from buurtbudget.people.roles import Actor


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A message the worker gave up on: what kind, to whom (for mails), why. Its body stays hidden:
    a sign-in mail holds a link that signs its recipient in."""

    id: int
    kind: str
    recipient: str | None
    attempts: int
    last_error: str
    created_at: datetime
    finished_at: datetime | None


@dataclass(frozen=True, slots=True)
class QueueState:
    counts: dict[str, int]
    dead_letters: list[DeadLetter]


def _require_platform_admin(actor: Actor) -> None:
    if not actor.is_platform_admin:
        raise NotAllowed("only the platform's administrators see the outbox")


async def queue_state(session: AsyncSession, actor: Actor) -> QueueState:
    _require_platform_admin(actor)
    letters = [
        DeadLetter(
            id=message.id,
            kind=message.kind,
            recipient=str(message.payload.get("to")) if message.payload.get("to") else None,
            attempts=message.attempts,
            last_error=message.last_error or "",
            created_at=message.created_at,
            finished_at=message.finished_at,
        )
        for message in await queue.dead_letters(session)
    ]
    return QueueState(await queue.counts(session), letters)


async def retry(session: AsyncSession, actor: Actor, message_id: int) -> None:
    """Queue a dead letter again with fresh attempts (after the cause was fixed), audited."""
    _require_platform_admin(actor)
    async with transaction(session):
        if not await queue.retry_dead(session, message_id):
            raise NotFound("there is no dead letter with this number", message_id=message_id)
        await record(
            session,
            actor_id=actor.person_id,
            action="outbox.retried",
            subject_type="outbox_message",
            subject_id=message_id,
        )
