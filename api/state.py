"""What the application shares between requests: settings, the database engine, the outbox worker."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from buurtbudget.jury.ballot_box import BallotBox
from buurtbudget.outbox.worker import Worker
from buurtbudget.settings import Settings


@dataclass(frozen=True, slots=True)
class Services:
    """Held on app.state.services; nothing per-user lives here beyond a request (the process stays
    stateless: the ballot box holds only ballots whose requests are waiting for their batch)."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    ballot_box: BallotBox
    worker: Worker
