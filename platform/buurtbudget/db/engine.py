"""Engines and session factories for SQLite (embedded default) and PostgreSQL."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

# Every table must be known to the ORM before the first flush: a foreign key may name a table
# (ledger_accounts.round_id -> rounds) whose module the running command never imports itself.
import buurtbudget.db.models  # isort: skip

# Every commit logs what the in-memory indexes must re-read (see buurtbudget.db.changes).
import buurtbudget.db.changes  # noqa: F401  # isort: skip


def create_engine(
    database_url: str,
    *,
    pool_size: int = 20,
    max_overflow: int = 0,
    pool_timeout: float = 10.0,
    enforce_foreign_keys: bool = True,
    **kwargs: Any,
) -> AsyncEngine:
    """An async engine; the pool's limits apply to PostgreSQL, while on SQLite every transaction takes
    the write lock up front (and connections are not pooled).

    SQLite allows one writer. Without BEGIN IMMEDIATE two transactions that both read
    then write deadlock on upgrade; taking the lock at BEGIN serialises them instead, which
    is what the ledger's "never promise more than the pot holds" check relies on there.
    Only migrations turn SQLite's foreign keys off (`enforce_foreign_keys`): they check them at the end.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        return create_async_engine(
            url,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=max_overflow,
            pool_timeout=pool_timeout,
            **kwargs,
        )

    if url.database:
        from pathlib import Path  # noqa: PLC0415  (only the file backend needs it)

        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, poolclass=NullPool, connect_args={"timeout": 30}, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let the "begin" hook below issue BEGIN
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA foreign_keys={'ON' if enforce_foreign_keys else 'OFF'}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # with WAL: durable except on power loss, never corrupt
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit."""
    return async_sessionmaker(engine, expire_on_commit=False)
