"""Running one piece of async database work from a synchronous command-line command."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.settings import Settings

T = TypeVar("T")


def with_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`work` on a session of the configured database, on an engine made and disposed for it."""

    async def run() -> T:
        engine = create_engine(settings.database_url)
        try:
            async with create_session_factory(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())
