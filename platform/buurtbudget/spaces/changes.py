"""Bumping the space change marker inside the caller's transaction."""

from uuid import uuid4

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.base import utcnow
from buurtbudget.spaces.models import SpaceChange, SpaceChangeMarker


async def bump(session: AsyncSession, space_id: int, booking_id: int | None = None) -> int:
    """Log a change of a space (or one of its bookings) under the next marker version.

    The marker row stays locked until commit, so versions commit in order. Call it after the
    changed rows are written: a booking the database refuses then never waits for the marker.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(SpaceChangeMarker)
        .values(id=1, generation=uuid4().hex, version=1)
        .on_conflict_do_update(index_elements=["id"], set_={"version": SpaceChangeMarker.version + 1})
        .returning(SpaceChangeMarker.version)
    )
    version = int((await session.execute(statement)).scalar_one())
    session.add(SpaceChange(version=version, space_id=space_id, booking_id=booking_id, at=utcnow()))
    await session.flush()
    return version
