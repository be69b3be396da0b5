"""Running the outbox worker: inside the web process (`make run`) or as `buurtbudget worker` processes."""

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import anyio
from litestar import Litestar

from api.state import Services
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.notifications.mailer import mailer_for
from buurtbudget.outbox.registry import worker_for
from buurtbudget.outbox.worker import Outcome, Worker
from buurtbudget.settings import Settings

logger = logging.getLogger(__name__)


def in_process_worker(services: Services) -> Callable[[Litestar], AbstractAsyncContextManager[None]]:
    """A lifespan that runs the worker beside the web app, for the embedded single-process set-up."""

    @asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        stop = anyio.Event()
        async with anyio.create_task_group() as tasks:
            tasks.start_soon(
                lambda: services.worker.run(stop, poll_seconds=services.settings.worker_poll_seconds)
            )
            try:
                yield
            finally:
                stop.set()

    return lifespan


@asynccontextmanager
async def standalone_worker(settings: Settings) -> AsyncIterator[Worker]:
    """A worker on an engine of its own (a `buurtbudget worker` process), disposed afterwards."""
    engine = create_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout_seconds,
    )
    try:
        yield worker_for(create_session_factory(engine), mailer_for(settings), settings)
    finally:
        await engine.dispose()


async def run_worker(settings: Settings, stop: anyio.Event) -> None:
    """One `buurtbudget worker` process until `stop` is set (several may share a PostgreSQL queue)."""
    async with standalone_worker(settings) as worker:
        logger.info("outbox worker started")
        await worker.run(stop, poll_seconds=settings.worker_poll_seconds)


async def drain_once(settings: Settings) -> Outcome:
    """`buurtbudget worker --once`: queue the periodic jobs now due, then handle everything due."""
    async with standalone_worker(settings) as worker:
        await worker.tick()
        return await worker.drain()
