"""Whether a signed-in session still counts: revoking a role ends the person's sessions at once.

A session remembers when it was signed in; a person remembers from when their sessions count
(`Person.sessions_valid_from`, moved to now by a revocation). A session of a person who is gone, or
signed in before that moment, signs nobody in any more.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.people.models import Person


async def session_counts(session: AsyncSession, person_id: int, signed_in_at: datetime | None) -> bool:
    """True while a session of `person_id` signed in at `signed_in_at` (None: unknown) still counts."""
    row = (
        await session.execute(select(Person.sessions_valid_from).where(Person.id == person_id))
    ).one_or_none()
    if row is None:
        return False
    valid_from: datetime | None = row[0]
    return valid_from is None or (signed_in_at is not None and signed_in_at >= valid_from)
