"""People and roles: who is acting, finding or creating a person by e-mail, names, assigning roles."""

from datetime import datetime

from sqlalchemy import literal, null, select, true, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import NotFound
from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.people.names import clean_display_name
from buurtbudget.people.roles import ANONYMOUS, Actor, Grant, Role
from buurtbudget.people.verification_models import Verification


def normalise_email(email: str) -> str:
    """Addresses compare case-insensitively and without surrounding space."""
    return email.strip().lower()


def actor_for(person: Person | None, now: datetime | None = None) -> Actor:
    """The actor a person is, with all their roles; RESIDENT only where a verification counts now."""
    if person is None:
        return ANONYMOUS
    moment = now or utcnow()
    return Actor(
        person_id=person.id,
        grants=frozenset(
            Grant(Role(assignment.role), assignment.neighbourhood_id, assignment.municipality_id)
            for assignment in person.roles
            if assignment.role != Role.RESIDENT.value
        )
        | {Grant(Role.RESIDENT, v.neighbourhood_id) for v in person.verifications if v.active_at(moment)},
    )


async def load_actor(session: AsyncSession, person_id: int | None) -> tuple[Person | None, Actor]:
    """The person behind a session (None if gone) and their actor."""
    if person_id is None:
        return None, ANONYMOUS
    person = await session.get(Person, person_id)
    return person, actor_for(person)


async def actor_of(session: AsyncSession, person_id: int | None) -> Actor:
    """The actor behind a session (anonymous if the person is gone), read in one query.

    Every signed-in request needs this, and most need nothing else of the person. The resident grant
    comes only from an active verification (not expired, not ended), never from a role assignment.
    """
    if person_id is None:
        return ANONYMOUS
    now = utcnow()
    roles = select(
        RoleAssignment.role.label("role"),
        RoleAssignment.neighbourhood_id.label("neighbourhood_id"),
        RoleAssignment.municipality_id.label("municipality_id"),
    ).where(RoleAssignment.person_id == person_id, RoleAssignment.role != Role.RESIDENT.value)
    verified = select(
        literal(Role.RESIDENT.value).label("role"),
        Verification.neighbourhood_id.label("neighbourhood_id"),
        null().label("municipality_id"),
    ).where(
        Verification.person_id == person_id,
        Verification.ended_at.is_(None),
        Verification.expires_at > now,
    )
    grants = union_all(roles, verified).subquery()
    rows = (
        await session.execute(
            select(grants.c.role, grants.c.neighbourhood_id, grants.c.municipality_id)
            .select_from(Person)
            .outerjoin(grants, true())
            .where(Person.id == person_id)
        )
    ).all()
    if not rows:
        return ANONYMOUS
    return Actor(
        person_id=person_id,
        grants=frozenset(
            Grant(Role(role), neighbourhood, town) for role, neighbourhood, town in rows if role
        ),
    )


async def get_person(session: AsyncSession, person_id: int) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound("no such person", person_id=person_id)
    return person


async def find_by_email(session: AsyncSession, email: str) -> Person | None:
    return (
        await session.execute(select(Person).where(Person.email == normalise_email(email)))
    ).scalar_one_or_none()


async def get_or_create(
    session: AsyncSession, email: str, *, actor_id: int | None, display_name: str | None = None
) -> Person:
    """The person with this address, created (and audited) when new. Runs in the caller's transaction."""
    existing = await find_by_email(session, email)
    if existing is not None:
        return existing
    # No name is ever made from the address: the person chooses one (or stays "Bewoner") at first sign-in.
    person = Person(
        email=normalise_email(email),
        display_name=clean_display_name(display_name or ""),
        roles=[],
        verifications=[],
    )
    session.add(person)
    await session.flush()
    await record(
        session, actor_id=actor_id, action="person.created", subject_type="person", subject_id=person.id
    )
    return person


async def assign_role(
    session: AsyncSession,
    person: Person,
    grant: Grant,
    *,
    actor_id: int | None,
) -> bool:
    """Give `person` the role (idempotent); returns whether it was new. Runs in the caller's transaction."""
    if any(Grant(Role(a.role), a.neighbourhood_id, a.municipality_id) == grant for a in person.roles):
        return False
    person.roles.append(
        RoleAssignment(
            role=grant.role.value,
            neighbourhood_id=grant.neighbourhood_id,
            municipality_id=grant.municipality_id,
        )
    )
    await session.flush()
    await record(
        session,
        actor_id=actor_id,
        action="role.assigned",
        subject_type="person",
        subject_id=person.id,
        data={
            "role": grant.role.value,
            "neighbourhood_id": grant.neighbourhood_id,
            "municipality_id": grant.municipality_id,
        },
    )
    return True


async def privileged_addresses(session: AsyncSession, emails: set[str]) -> set[str]:
    """Those of `emails` whose person holds any role beyond resident (broker, juror, admin ...)."""
    if not emails:
        return set()
    rows = await session.execute(
        select(Person.email)
        .join(RoleAssignment, RoleAssignment.person_id == Person.id)
        .where(Person.email.in_(emails), RoleAssignment.role != Role.RESIDENT.value)
        .distinct()
    )
    return set(rows.scalars())


async def set_display_name(session: AsyncSession, actor: Actor, name: str) -> Person:
    """The signed-in person chooses the name others see (validated, audited); owns the transaction."""
    if actor.person_id is None:
        raise NotFound("no such person", person_id=None)
    cleaned = clean_display_name(name, required=True)
    async with transaction(session):
        person = await get_person(session, actor.person_id)
        if person.display_name != cleaned:
            person.display_name = cleaned
            await session.flush()
            await record(
                session,
                actor_id=person.id,
                action="person.display_name_set",
                subject_type="person",
                subject_id=person.id,
            )
    return person
