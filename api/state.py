"""What the application shares between requests: settings, the database engine, the mailer."""

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from buurtbudget.notifications.mailer import Mailer
from buurtbudget.settings import Settings


@dataclass(frozen=True, slots=True)
class Services:
    """Held on app.state.services; nothing per-user lives here (the process stays stateless)."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    mailer: Mailer
