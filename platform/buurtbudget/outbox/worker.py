"""The worker: claims due outbox messages, runs their handlers, retries with backoff, keeps dead letters."""

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import anyio
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from buurtbudget.db.base import utcnow
from buurtbudget.notifications.mailer import Mailer
from buurtbudget.outbox import queue
from buurtbudget.outbox.models import DEAD
from buurtbudget.outbox.scheduler import PeriodicJob, Scheduler
from buurtbudget.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class JobContext:
    """What a handler may use: its own sessions (one unit of work each), the mailer, the settings."""

    sessions: async_sessionmaker[AsyncSession]
    mailer: Mailer
    settings: Settings
    now: datetime


Handler = Callable[[JobContext, dict[str, Any]], Awaitable[None]]


class PermanentFailure(Exception):  # noqa: N818  (it is a verdict, not an error of the worker)
    """This message can never succeed (a malformed payload, an unknown kind): dead at once, no retries."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one pass over the queue did."""

    sent: int = 0
    retried: int = 0
    dead: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.dead


@dataclass
class Worker:
    """Delivers the outbox. Several may run at once on PostgreSQL; each message is handled by one of them."""

    sessions: async_sessionmaker[AsyncSession]
    handlers: Mapping[str, Handler]
    mailer: Mailer
    settings: Settings
    periodic: Sequence[PeriodicJob] = ()
    policy: queue.RetryPolicy = field(default_factory=queue.RetryPolicy)
    clock: Callable[[], datetime] = utcnow
    batch_size: int = 20

    def __post_init__(self) -> None:
        self.scheduler = Scheduler(self.periodic)

    async def run_once(self, *, ids: Sequence[int] | None = None) -> Outcome:
        """Claim one batch of due messages (or of `ids`) and handle each; returns what happened."""
        now = self.clock()
        async with self.sessions() as session, session.begin():
            claimed = await queue.claim(
                session, now=now, limit=self.batch_size, lease=self.policy.lease, ids=ids
            )
        sent = retried = dead = 0
        context = JobContext(self.sessions, self.mailer, self.settings, now)
        for message in claimed:
            verdict = await self._handle(context, message)
            sent += verdict == "sent"
            retried += verdict == "retry"
            dead += verdict == DEAD
        return Outcome(sent, retried, dead)

    async def _handle(self, context: JobContext, message: queue.Claimed) -> str:
        handler = self.handlers.get(message.kind)
        try:
            if handler is None:
                raise PermanentFailure(f"no handler for kind {message.kind!r}")
            await handler(context, message.payload)
        except Exception as error:
            final = isinstance(error, PermanentFailure)
            async with self.sessions() as session, session.begin():
                status = await queue.fail(
                    session,
                    message,
                    f"{type(error).__name__}: {error}",
                    now=self.clock(),
                    policy=self.policy,
                    final=final,
                )
            logger.warning(
                "outbox message %s (%s) failed on attempt %s: %s",
                message.id,
                message.kind,
                message.attempts,
                error,
            )
            return DEAD if status == DEAD else "retry"
        async with self.sessions() as session, session.begin():
            await queue.complete(session, message, now=self.clock())
        return "sent"

    async def drain(self, *, max_passes: int = 1000) -> Outcome:
        """Handle everything due now (tests and the in-process worker); stops when a pass finds nothing."""
        total = Outcome()
        for _ in range(max_passes):
            outcome = await self.run_once()
            if not outcome.handled:
                break
            total = Outcome(
                total.sent + outcome.sent, total.retried + outcome.retried, total.dead + outcome.dead
            )
        return total

    async def deliver_now(self, ids: list[int]) -> None:
        """Try the messages a request just committed at once; what fails stays for the worker's retries."""
        try:
            # One at a time, and none after the first failure: a mail server that hangs costs the request
            # one timeout, not one per message; the rest stay pending for the worker.
            for message_id in ids[: self.batch_size]:
                if (await self.run_once(ids=[message_id])).retried:
                    break
        except Exception:  # a failure here must never fail the request whose change is committed
            logger.exception("delivering outbox messages %s right after their commit failed", ids)

    async def tick(self) -> int:
        """Queue the periodic jobs whose time slot has come (once per slot across all workers)."""
        return await self.scheduler.tick(self.sessions, self.clock())

    async def run(self, stop: anyio.Event, *, poll_seconds: float = 1.0) -> None:
        """Until `stop` is set: tick the scheduler, handle due messages, wait when there is nothing to do."""
        while not stop.is_set():
            try:
                await self.tick()
                outcome = await self.run_once()
            except Exception:  # the database may be away for a moment: log it and try again
                logger.exception("the outbox worker's pass failed; trying again")
                outcome = Outcome()
            if not outcome.handled:
                with anyio.move_on_after(poll_seconds):
                    await stop.wait()
