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


async def run_worker(settings: Settings, stop: anyio.Event) -> None:
    """One `buurtbudget worker` process until `stop` is set (several may share a PostgreSQL queue)."""
    engine = create_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout_seconds,
    )
    try:
        worker = worker_for(create_session_factory(engine), mailer_for(settings), settings)
        logger.info("outbox worker started")
        await worker.run(stop, poll_seconds=settings.worker_poll_seconds)
    finally:
        await engine.dispose()
