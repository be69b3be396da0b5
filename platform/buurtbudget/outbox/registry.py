"""What the worker knows: a handler per outbox kind, and the periodic jobs of the scheduler."""

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from buurtbudget.db import heartbeats
from buurtbudget.notifications.mailer import Mailer
from buurtbudget.notifications.outgoing import MAIL, deliver_mail
from buurtbudget.outbox import queue
from buurtbudget.outbox.scheduler import PeriodicJob
from buurtbudget.outbox.worker import Handler, JobContext, Worker
from buurtbudget.settings import Settings

PRUNE_OUTBOX = "prune_outbox"
CLOSE_DUE_ROUNDS = "close_due_rounds"
PRUNE_INDEX_CHANGES = "prune_index_changes"
REMIND_VERIFICATIONS = "remind_verifications"
KEEP_SENT = timedelta(days=30)


async def prune_outbox(context: JobContext, _payload: dict[str, Any]) -> None:
    async with context.sessions() as session, session.begin():
        await queue.prune_sent(session, before=context.now - KEEP_SENT)


async def prune_index_changes(context: JobContext, _payload: dict[str, Any]) -> None:
    """Prune the index change log up to what every live process applied, this one's beat first."""
    engine = context.sessions.kw.get("bind")
    if isinstance(engine, AsyncEngine):
        await heartbeats.beat_now(engine)
    async with context.sessions() as session, session.begin():
        await heartbeats.prune(session, context.now)


async def close_due_rounds(context: JobContext, _payload: dict[str, Any]) -> None:
    """Close every round whose published closing time has passed (the jury decides on time)."""
    from buurtbudget.jury.rounds import RoundService  # noqa: PLC0415  (the jury needs the worker, not the reverse)

    async with context.sessions() as session:
        await RoundService(session).close_due(context.now)


async def remind_verifications(context: JobContext, _payload: dict[str, Any]) -> None:
    """Mail residents once whose verification ends within a month."""
    from buurtbudget.people.verification_reminders import remind_expiring  # noqa: PLC0415

    async with context.sessions() as session:
        await remind_expiring(session, context.now)


HANDLERS: dict[str, Handler] = {
    MAIL: deliver_mail,
    PRUNE_OUTBOX: prune_outbox,
    CLOSE_DUE_ROUNDS: close_due_rounds,
    PRUNE_INDEX_CHANGES: prune_index_changes,
    REMIND_VERIFICATIONS: remind_verifications,
}

PERIODIC = (
    PeriodicJob("close-due-rounds", CLOSE_DUE_ROUNDS, timedelta(minutes=1)),
    PeriodicJob("prune-outbox", PRUNE_OUTBOX, timedelta(days=1)),
    PeriodicJob("prune-index-changes", PRUNE_INDEX_CHANGES, timedelta(minutes=10)),
    PeriodicJob("remind-verifications", REMIND_VERIFICATIONS, timedelta(hours=6)),
)


def worker_for(sessions: async_sessionmaker[AsyncSession], mailer: Mailer, settings: Settings) -> Worker:
    """The worker as the settings configure it (the web process and `buurtbudget worker` alike)."""
    policy = queue.RetryPolicy(
        max_attempts=settings.outbox_max_attempts,
        first_delay=timedelta(seconds=settings.outbox_first_retry_seconds),
        longest_delay=timedelta(seconds=settings.outbox_longest_retry_seconds),
    )
    return Worker(sessions, HANDLERS, mailer, settings, periodic=PERIODIC, policy=policy)
