"""A Litestar store in the database, so sessions and rate limits survive restarts and span workers."""

from datetime import timedelta
from typing import Self

from litestar.stores.base import NamespacedStore
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from buurtbudget.db.base import utcnow
from buurtbudget.db.keyvalue import KeyValueEntry

SWEEP_EVERY = 200  # writes between removals of expired entries


def _seconds(value: int | timedelta) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


class DatabaseStore(NamespacedStore):
    """Entries in the key_value_entries table under one namespace."""

    __slots__ = ("_writes", "sessions")

    def __init__(self, sessions: async_sessionmaker[AsyncSession], namespace: str = "default") -> None:
        self.sessions = sessions
        self.namespace = namespace
        self._writes = 0

    def with_namespace(self, namespace: str) -> Self:
        return type(self)(self.sessions, f"{self.namespace}:{namespace}")

    async def set(self, key: str, value: str | bytes, expires_in: int | timedelta | None = None) -> None:
        data = value.encode() if isinstance(value, str) else value
        expires_at = utcnow() + _seconds(expires_in) if expires_in else None
        async with self.sessions.begin() as session:
            insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
            statement = insert(KeyValueEntry).values(
                namespace=self.namespace, key=key, value=data, expires_at=expires_at
            )
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=[KeyValueEntry.namespace, KeyValueEntry.key],
                    set_={"value": data, "expires_at": expires_at},
                )
            )
        self._writes += 1
        if self._writes % SWEEP_EVERY == 0:
            await self.delete_expired()

    async def _live(self, session: AsyncSession, key: str) -> KeyValueEntry | None:
        entry = await session.get(KeyValueEntry, (self.namespace, key))
        if entry is None or (entry.expires_at is not None and entry.expires_at <= utcnow()):
            return None
        return entry

    async def get(self, key: str, renew_for: int | timedelta | None = None) -> bytes | None:
        async with self.sessions.begin() as session:
            entry = await self._live(session, key)
            if entry is None:
                return None
            if renew_for and entry.expires_at is not None:
                entry.expires_at = utcnow() + _seconds(renew_for)
            return entry.value

    async def delete(self, key: str) -> None:
        async with self.sessions.begin() as session:
            await session.execute(
                delete(KeyValueEntry).where(
                    KeyValueEntry.namespace == self.namespace, KeyValueEntry.key == key
                )
            )

    async def delete_all(self) -> None:
        async with self.sessions.begin() as session:
            await session.execute(
                delete(KeyValueEntry).where(
                    (KeyValueEntry.namespace == self.namespace)
                    | KeyValueEntry.namespace.startswith(f"{self.namespace}:", autoescape=True)
                )
            )

    async def delete_expired(self) -> None:
        async with self.sessions.begin() as session:
            await session.execute(
                delete(KeyValueEntry).where(
                    KeyValueEntry.namespace == self.namespace, KeyValueEntry.expires_at <= utcnow()
                )
            )

    async def exists(self, key: str) -> bool:
        async with self.sessions() as session:
            return await self._live(session, key) is not None

    async def expires_in(self, key: str) -> int | None:
        async with self.sessions() as session:
            entry = await self._live(session, key)
        if entry is None or entry.expires_at is None:
            return None
        return int((entry.expires_at - utcnow()).total_seconds())

    async def keys(self) -> list[str]:
        """Live keys in this namespace (for tests and operators)."""
        async with self.sessions() as session:
            rows = await session.execute(
                select(KeyValueEntry.key)
                .where(KeyValueEntry.namespace == self.namespace)
                .order_by(KeyValueEntry.key)
            )
            return list(rows.scalars())
