"""The ballot box: a process's concurrent ballots committed together (group commit).

Hundreds of residents voting at once would each take the round's lock, the audit chain's head and a
commit of their own, one after the other. The box instead lets one task cast whatever ballots are
waiting in one transaction (`casting.cast_ballots`), while new ones queue for the next batch: no
waiting time is added, and under load a batch holds many ballots. Each caller still gets its own
answer: its ballot stored, or the specific refusal of it. If a batch as a whole fails (the database
went away, say), its ballots are cast one by one, so one ballot's trouble is not another's.
"""

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from buurtbudget.errors import DomainError
from buurtbudget.jury.casting import BallotCast, cast_ballots

MAX_BATCH = 500  # ballots in one transaction; more wait for the next

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Waiting:
    cast: BallotCast
    answer: asyncio.Future[DomainError | None]


class BallotBox:
    """Casts ballots in batches on sessions of its own; one per process, shared by its requests."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._waiting: list[_Waiting] = []
        self._caster: asyncio.Task[None] | None = None

    async def cast(self, cast: BallotCast) -> None:
        """Store the ballot (with the next batch), or raise the specific refusal of it."""
        waiting = _Waiting(cast, asyncio.get_running_loop().create_future())
        self._waiting.append(waiting)
        if self._caster is None:
            self._caster = asyncio.create_task(self._cast_while_waiting(), name="ballot-box")
        try:
            refusal = await asyncio.shield(waiting.answer)  # a caller that goes away leaves the batch alone
        except asyncio.CancelledError:
            waiting.answer.add_done_callback(_unheard)
            raise
        if refusal is not None:
            raise refusal

    async def _cast_while_waiting(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[:MAX_BATCH], self._waiting[MAX_BATCH:]
                await self._cast_batch(batch)
        finally:
            self._caster = None
            _cancel(self._waiting)  # left only when cancelled (the process stops): nobody casts them
            self._waiting = []

    async def _cast_batch(self, batch: list[_Waiting]) -> None:
        try:
            outcomes = await self._cast([waiting.cast for waiting in batch])
        except Exception as error:
            if len(batch) == 1:
                _answer(batch[0], error=error)
                return
            log.warning("a batch of %d ballots failed; casting them one by one", len(batch), exc_info=True)
            for waiting in batch:
                await self._cast_batch([waiting])
            return
        except BaseException:  # cancelled (the process stops): the callers must not wait for ever
            _cancel(batch)
            raise
        for waiting, outcome in zip(batch, outcomes, strict=True):
            _answer(waiting, outcome=outcome)

    async def _cast(self, casts: Sequence[BallotCast]) -> list[DomainError | None]:
        async with self._sessions() as session:
            return await cast_ballots(session, casts)


def _answer(waiting: _Waiting, *, outcome: DomainError | None = None, error: Exception | None = None) -> None:
    if waiting.answer.done():
        return
    if error is not None:
        waiting.answer.set_exception(error)
    else:
        waiting.answer.set_result(outcome)


def _unheard(answer: asyncio.Future[DomainError | None]) -> None:
    """Take the answer nobody waits for any more, so asyncio does not report it as never retrieved."""
    if not answer.cancelled():
        answer.exception()


def _cancel(batch: list[_Waiting]) -> None:
    for waiting in batch:
        waiting.answer.cancel()
