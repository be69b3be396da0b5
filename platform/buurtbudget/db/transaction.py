"""The unit of work a service method runs in."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession


@asynccontextmanager
async def transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """One database transaction: all of it commits, or on any error none of it does.

    Reads done earlier on the same session auto-began a transaction; it holds no changes
    of ours, so it is ended first and the service's writes get a transaction of their own.
    """
    if session.in_transaction():
        await session.commit()
    async with session.begin():
        yield session
