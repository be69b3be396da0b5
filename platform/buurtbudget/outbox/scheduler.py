"""Periodic jobs: each time slot of a job is queued once, however many workers tick."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from buurtbudget.outbox.queue import enqueue_once


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    """Queue a message of `kind` once every `every` (slots are aligned to the Unix epoch)."""

    name: str
    kind: str
    every: timedelta

    def slot(self, now: datetime) -> tuple[int, datetime]:
        seconds = int(self.every.total_seconds())
        number = int(now.timestamp()) // seconds
        return number, datetime.fromtimestamp(number * seconds, UTC)


class Scheduler:
    """Remembers the last slot it queued per job, so a worker polling every second writes once a slot."""

    def __init__(self, jobs: Sequence[PeriodicJob]) -> None:
        self.jobs = tuple(jobs)
        self._queued: dict[str, int] = {}

    async def tick(self, sessions: async_sessionmaker[AsyncSession], now: datetime) -> int:
        """Queue the slots that have come; returns how many this call queued (others may have already)."""
        due = [(job, *job.slot(now)) for job in self.jobs if self._queued.get(job.name) != job.slot(now)[0]]
        if not due:
            return 0
        queued = 0
        async with sessions() as session, session.begin():
            for job, number, start in due:
                key = f"{job.name}:{number}"
                queued += await enqueue_once(
                    session, job.kind, {"slot": start.isoformat()}, dedupe_key=key, available_at=start
                )
        for job, number, _start in due:
            self._queued[job.name] = number
        return queued
