"""The actor behind a session: its one-query reading agrees with the person's roles as the ORM loads them."""

from conftest import World
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.db.transaction import transaction
from buurtbudget.people import service as people
from buurtbudget.people.roles import ANONYMOUS, Actor


async def test_the_actor_read_in_one_query_has_every_role_of_the_person(
    session: AsyncSession, world: World
) -> None:
    for name, actor in world.actors.items():
        assert actor.grants, name  # the world gives everyone a role
        read = await people.actor_of(session, actor.person_id)
        assert read == people.actor_for(await people.get_person(session, actor.person_id or 0)), name
        assert read == actor, name


async def test_a_person_without_roles_is_signed_in_without_grants(session: AsyncSession) -> None:
    async with transaction(session):
        person = await people.get_or_create(session, "nieuw@example.org", actor_id=None)
    assert await people.actor_of(session, person.id) == Actor(person_id=person.id)


async def test_no_person_or_a_removed_one_is_anonymous(session: AsyncSession) -> None:
    assert await people.actor_of(session, None) is ANONYMOUS
    assert await people.actor_of(session, 999_999) is ANONYMOUS
