"""Whether a signed-in session still counts: revoking a role ends the person's sessions at once.

A session remembers when it was signed in; a person remembers from when their sessions count
(`Person.sessions_valid_from`, moved to now by a revocation). A session of a person who is gone, or
signed in before that moment, signs nobody in any more.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.people.roles import Role

# Who finds their way to the workspace (/beheer) in the site's header.
MANAGING_ROLES = (Role.BROKER, Role.MUNICIPALITY_ADMIN, Role.PLATFORM_ADMIN)


@dataclass(frozen=True, slots=True)
class Standing:
    """What a session's person is, read with the check that the session still counts."""

    counts: bool
    manages: bool  # administers a municipality or the platform, or is a broker


async def session_standing(session: AsyncSession, person_id: int, signed_in_at: datetime | None) -> Standing:
    """Whether a session of `person_id` signed in at `signed_in_at` (None: unknown) still counts, and
    whether its person manages something, in one query (every signed-in request asks)."""
    manages = exists().where(
        RoleAssignment.person_id == Person.id,
        RoleAssignment.role.in_([role.value for role in MANAGING_ROLES]),
    )
    row = (
        await session.execute(select(Person.sessions_valid_from, manages).where(Person.id == person_id))
    ).one_or_none()
    if row is None:
        return Standing(counts=False, manages=False)
    valid_from: datetime | None = row[0]
    counts = valid_from is None or (signed_in_at is not None and signed_in_at >= valid_from)
    return Standing(counts=counts, manages=counts and bool(row[1]))


async def session_counts(session: AsyncSession, person_id: int, signed_in_at: datetime | None) -> bool:
    """True while a session of `person_id` signed in at `signed_in_at` (None: unknown) still counts."""
    return (await session_standing(session, person_id, signed_in_at)).counts
