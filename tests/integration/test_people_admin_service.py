"""PeopleAdminService: administrators give and revoke roles in their own municipality only, audited,
with an invitation mailed through the outbox; a revocation ends the person's sessions."""

import asyncio
import re

import pytest
from conftest import World
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_session_factory
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.outbox.models import OutboxMessage
from buurtbudget.people import service as people
from buurtbudget.people.errors import LastAdministratorRole, RoleAlreadyHeld
from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.people.roles import Grant, Role
from buurtbudget.people.session_cutoff import session_counts
from buurtbudget.people.sign_in import consume_link
from buurtbudget.people.staffing import ASSIGNABLE_ROLES, GIVABLE_ROLES, PeopleAdminService


async def count(session: AsyncSession, model: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def actions(session: AsyncSession) -> list[str]:
    return list((await session.execute(select(AuditEntry.action).order_by(AuditEntry.id))).scalars())


async def mails_to(session: AsyncSession, address: str) -> list[dict[str, str]]:
    rows = await session.execute(select(OutboxMessage.payload).order_by(OutboxMessage.id))
    return [payload for payload in rows.scalars() if payload.get("to") == address]


async def test_an_administrator_makes_a_new_address_a_broker_and_invites_them(
    session: AsyncSession, world: World
) -> None:
    admin = world.actors["municipality_admin"]
    assignment = await PeopleAdminService(session).assign(
        admin,
        email=" Nieuwe.Makelaar@Example.org ",
        role=Role.BROKER,
        neighbourhood_id=world.ondiep_id,
        locale="nl",
    )
    person = await people.get_person(session, assignment.person_id)
    assert person.email == "nieuwe.makelaar@example.org"
    assert (assignment.role, assignment.neighbourhood_id, assignment.municipality_id) == (
        "broker",
        world.ondiep_id,
        None,
    )
    assert assignment.granted_by_id == admin.person_id
    assert assignment.granted_at is not None
    assert (await actions(session))[-2:] == ["person.created", "people.role_assigned"]
    [mail] = await mails_to(session, "nieuwe.makelaar@example.org")
    assert mail["subject"] == "Uw rol op Buurtbudget"
    assert "Sociaal makelaar voor Ondiep (Utrecht)" in mail["body"]
    token = re.search(r"\{site\}/inloggen/bevestigen\?token=([A-Za-z0-9_-]+)", mail["body"])
    assert token, mail["body"]
    signed_in = await consume_link(session, token.group(1))  # the invitation signs the person in
    assert signed_in.id == person.id
    actor = await people.actor_of(session, person.id)
    assert actor.is_broker_for(world.ondiep_id)


async def test_a_known_person_is_mailed_in_their_own_language(session: AsyncSession, world: World) -> None:
    person = await people.get_person(session, world.actors["resident"].person_id or 0)
    person.locale = "en"
    await session.commit()
    await PeopleAdminService(session).assign(
        world.actors["platform_admin"],
        email=world.emails["resident"],
        role="space_owner",
        neighbourhood_id=world.zuilen_id,
        locale="nl",
    )
    [mail] = await mails_to(session, world.emails["resident"])
    assert mail["subject"] == "Your role on Buurtbudget"
    assert "Space owner for Zuilen (Utrecht)" in mail["body"]


async def test_bad_input_is_refused_at_its_field_and_nothing_is_written(
    session: AsyncSession, world: World
) -> None:
    service = PeopleAdminService(session)
    admin = world.actors["municipality_admin"]
    before = (
        await count(session, Person),
        await count(session, RoleAssignment),
        await count(session, AuditEntry),
    )
    cases = [
        ({"email": "geen-adres", "role": Role.BROKER, "neighbourhood_id": world.zuilen_id}, "email"),
        ({"email": "a@b.nl", "role": "koning", "neighbourhood_id": world.zuilen_id}, "role"),
        ({"email": "a@b.nl", "role": Role.JUROR, "neighbourhood_id": world.zuilen_id}, "role"),
        ({"email": "a@b.nl", "role": Role.PLATFORM_ADMIN}, "role"),
        ({"email": "a@b.nl", "role": Role.BROKER}, "neighbourhood_id"),
        ({"email": "a@b.nl", "role": Role.BROKER, "neighbourhood_id": 999_999}, "neighbourhood_id"),
        (
            {
                "email": "a@b.nl",
                "role": Role.BROKER,
                "neighbourhood_id": world.zuilen_id,
                "municipality_id": world.other_municipality_id,
            },
            "neighbourhood_id",
        ),
        ({"email": "a@b.nl", "role": Role.MUNICIPALITY_ADMIN}, "municipality_id"),
        ({"email": "a@b.nl", "role": Role.MUNICIPALITY_ADMIN, "municipality_id": 999_999}, "municipality_id"),
    ]
    for arguments, field in cases:
        with pytest.raises(InvalidInput) as refused:
            await service.assign(admin, locale="nl", **arguments)
        assert refused.value.field == field, arguments
    with pytest.raises(RoleAlreadyHeld):
        await service.assign(
            admin,
            email=world.emails["broker"],
            role=Role.BROKER,
            neighbourhood_id=world.zuilen_id,
            locale="nl",
        )
    after = (
        await count(session, Person),
        await count(session, RoleAssignment),
        await count(session, AuditEntry),
    )
    assert after == before
    assert await count(session, OutboxMessage) == 0


async def test_a_resident_is_approved_as_verified_not_assigned(session: AsyncSession, world: World) -> None:
    assert Role.RESIDENT not in ASSIGNABLE_ROLES
    assert Role.RESIDENT in GIVABLE_ROLES
    service = PeopleAdminService(session)
    admin = world.actors["municipality_admin"]
    assignments = await count(session, RoleAssignment)
    with pytest.raises(InvalidInput):  # not as a role assignment
        await service.assign(
            admin,
            email="bewoner@example.org",
            role=Role.RESIDENT,
            neighbourhood_id=world.ondiep_id,
            locale="nl",
        )
    given = await service.give(
        admin, email="Bewoner@Example.org", role="resident", neighbourhood_id=world.ondiep_id, locale="nl"
    )
    assert (given.role, given.assignment_id, given.neighbourhood_id) == (Role.RESIDENT, None, world.ondiep_id)
    assert given.verification_id is not None
    assert await count(session, RoleAssignment) == assignments
    actor = await people.actor_of(session, given.person_id)
    assert actor.has(Role.RESIDENT, neighbourhood_id=world.ondiep_id)
    assert (await actions(session))[-3:] == [
        "person.created",
        "verification.recorded",
        "people.role_assigned",
    ]
    [mail] = await mails_to(session, "bewoner@example.org")
    assert "Bewoner voor Ondiep (Utrecht)" in mail["body"]
    [held] = (await service.roles_of(admin, given.person_id)).roles
    assert (held.id, held.verification_id, held.revocable) == (None, given.verification_id, False)
    assert held.verified_until is not None
    residents = await service.people(admin, world.municipality_id, role=Role.RESIDENT)
    assert {p.email for p in residents.items} == {
        "bewoner@example.org",
        world.emails["resident"],
        world.emails["other_resident"],
    }
    with pytest.raises(RoleAlreadyHeld):
        await service.give(
            admin, email="bewoner@example.org", role="resident", neighbourhood_id=world.ondiep_id, locale="nl"
        )
    with pytest.raises(InvalidInput):
        await service.give(admin, email="bewoner@example.org", role="resident", locale="nl")
    with pytest.raises(NotAllowed):  # only the neighbourhood's own municipality
        await service.give(
            world.actors["other_municipality_admin"],
            email="bewoner@example.org",
            role="resident",
            neighbourhood_id=world.zuilen_id,
            locale="nl",
        )


@pytest.mark.parametrize("who", ["resident", "broker", "juror", "advisor"])
async def test_only_administrators_give_roles(session: AsyncSession, world: World, who: str) -> None:
    with pytest.raises(NotAllowed):
        await PeopleAdminService(session).assign(
            world.actors[who],
            email="x@example.org",
            role=Role.ADVISOR,
            neighbourhood_id=world.zuilen_id,
            locale="nl",
        )


async def test_an_administrator_manages_only_their_own_municipality(
    session: AsyncSession, world: World
) -> None:
    service = PeopleAdminService(session)
    utrecht = world.actors["municipality_admin"]
    bovenveen = (
        await service.municipality(world.actors["other_municipality_admin"], world.other_municipality_id)
    )[1][0]
    with pytest.raises(NotAllowed):
        await service.assign(
            utrecht, email="x@example.org", role=Role.BROKER, neighbourhood_id=bovenveen.id, locale="nl"
        )
    with pytest.raises(NotAllowed):
        await service.assign(
            utrecht,
            email="x@example.org",
            role=Role.MUNICIPALITY_ADMIN,
            municipality_id=world.other_municipality_id,
            locale="nl",
        )
    # A colleague in their own municipality, yes; another municipality's administrator only by the platform.
    colleague = await service.assign(
        utrecht,
        email="collega@utrecht.example.org",
        role=Role.MUNICIPALITY_ADMIN,
        municipality_id=world.municipality_id,
        locale="nl",
    )
    assert colleague.municipality_id == world.municipality_id
    made = await service.assign(
        world.actors["platform_admin"],
        email="nieuw@voorburg.example.org",
        role=Role.MUNICIPALITY_ADMIN,
        municipality_id=world.other_municipality_id,
        locale="nl",
    )
    assert made.municipality_id == world.other_municipality_id
    with pytest.raises(NotAllowed):
        await service.people(utrecht, world.other_municipality_id)
    with pytest.raises(NotFound):  # a person with no role in Utrecht does not exist for Utrecht
        await service.roles_of(utrecht, world.actors["other_municipality_admin"].person_id or 0)
    voorburg_admin_roles = await service.people(utrecht, world.municipality_id, "voorburg")
    assert voorburg_admin_roles.total == 0
    with pytest.raises(NotFound):
        await service.revoke(utrecht, made.id, "Niet van ons")
    with pytest.raises(NotAllowed):
        await service.administered(world.actors["broker"])
    assert [m.name for m in await service.administered(utrecht)] == ["Utrecht"]
    assert len(await service.administered(world.actors["platform_admin"])) == 2


async def test_people_are_searched_by_name_or_address_filtered_by_role_and_paged(
    session: AsyncSession, world: World
) -> None:
    service = PeopleAdminService(session)
    admin = world.actors["municipality_admin"]
    for number in range(30):
        await service.assign(
            admin,
            email=f"adviseur{number:02d}@example.org",
            role=Role.ADVISOR,
            neighbourhood_id=world.lunetten_id,
            locale="nl",
        )
    broker = await people.get_person(session, world.actors["broker"].person_id or 0)
    broker.display_name = "Bram de Makelaar_1%"
    await session.commit()
    everyone = await service.people(admin, world.municipality_id)
    # The world's seven people with a role in Utrecht (not the Voorburg or platform administrators).
    assert everyone.total == 7 + 30
    assert (len(everyone.items), everyone.pages) == (25, 2)
    second = await service.people(admin, world.municipality_id, page=2)
    assert len(second.items) == 12
    assert {p.email for p in everyone.items}.isdisjoint({p.email for p in second.items})
    advisors = await service.people(admin, world.municipality_id, role=Role.ADVISOR)
    assert advisors.total == 31  # the world's advisor and the thirty new ones
    assert [p.email for p in (await service.people(admin, world.municipality_id, "ADVISEUR07")).items] == [
        "adviseur07@example.org"
    ]
    by_name = await service.people(admin, world.municipality_id, "makelaar_1%")
    assert [p.email for p in by_name.items] == [world.emails["broker"]]
    assert (await service.people(admin, world.municipality_id, "_")).total == 1  # a literal underscore
    assert (await service.people(admin, world.municipality_id, "voorburg")).total == 0
    with pytest.raises(InvalidInput):
        await service.people(admin, world.municipality_id, role="koning")
    everywhere = await service.people(world.actors["platform_admin"], None)
    assert everywhere.total == 9 + 30
    with pytest.raises(NotAllowed):
        await service.people(admin, None)


async def test_revoking_needs_a_reason_is_audited_and_ends_the_sessions(
    session: AsyncSession, world: World
) -> None:
    service = PeopleAdminService(session)
    admin = world.actors["municipality_admin"]
    broker_id = world.actors["broker"].person_id or 0
    held = await service.roles_of(admin, broker_id)
    [role] = held.roles
    assert (role.role, role.neighbourhood_name, role.municipality_name, role.revocable) == (
        Role.BROKER,
        "Zuilen",
        "Utrecht",
        True,
    )
    assert await session_counts(session, broker_id, None)  # nothing revoked yet: old sessions count
    for reason in ["", "   ", "x" * 501]:
        with pytest.raises(InvalidInput):
            await service.revoke(admin, role.id, reason)
    revoked = await service.revoke(admin, role.id, "  Vertrokken   naar Amersfoort ")
    assert (revoked.person_id, revoked.role, revoked.neighbourhood_id) == (
        broker_id,
        Role.BROKER,
        world.zuilen_id,
    )
    assert not (await people.actor_of(session, broker_id)).is_broker_for(world.zuilen_id)
    entry = (await session.execute(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))).scalar_one()
    assert (entry.action, entry.actor_id, entry.subject_id) == (
        "people.role_revoked",
        admin.person_id,
        broker_id,
    )
    assert entry.data["reason"] == "Vertrokken naar Amersfoort"
    person = await people.get_person(session, broker_id)
    assert person.sessions_valid_from is not None
    assert not await session_counts(session, broker_id, None)
    assert not await session_counts(session, broker_id, person.sessions_valid_from.replace(year=2020))
    assert await session_counts(session, broker_id, person.sessions_valid_from)  # signed in again later
    with pytest.raises(NotFound):
        await service.revoke(admin, role.id, "Nog een keer")


async def test_nobody_revokes_their_own_last_administrator_role(session: AsyncSession, world: World) -> None:
    service = PeopleAdminService(session)
    admin = world.actors["municipality_admin"]
    [own] = (await service.roles_of(admin, admin.person_id or 0)).roles
    with pytest.raises(LastAdministratorRole):
        await service.revoke(admin, own.id, "Per ongeluk")
    assert (await people.actor_of(session, admin.person_id)).administers(world.municipality_id)
    # A colleague may; and with a second administrator role of their own, so may they.
    colleague = await service.assign(
        admin,
        email="collega@utrecht.example.org",
        role=Role.MUNICIPALITY_ADMIN,
        municipality_id=world.municipality_id,
        locale="nl",
    )
    colleague_actor = await people.actor_of(session, colleague.person_id)
    await service.revoke(colleague_actor, own.id, "Andere baan")
    assert not (await people.actor_of(session, admin.person_id)).administers(world.municipality_id)


async def test_jurors_and_platform_administrators_are_not_revoked_here(
    session: AsyncSession, world: World
) -> None:
    service = PeopleAdminService(session)
    platform = world.actors["platform_admin"]
    [juror] = (await service.roles_of(platform, world.actors["juror"].person_id or 0)).roles
    assert not juror.revocable
    with pytest.raises(NotAllowed):
        await service.revoke(platform, juror.id, "Geen jury meer")
    [own] = (await service.roles_of(platform, platform.person_id or 0)).roles
    with pytest.raises(NotAllowed):
        await service.revoke(platform, own.id, "Weg")
    assert Grant(Role.JUROR, world.zuilen_id) in (await people.actor_of(session, juror_person(world))).grants


def juror_person(world: World) -> int:
    return world.actors["juror"].person_id or 0


async def test_a_new_sign_in_link_lists_the_roles_the_administrator_sees(
    session: AsyncSession, world: World
) -> None:
    service = PeopleAdminService(session)
    await service.reinvite(world.actors["municipality_admin"], world.actors["advisor"].person_id or 0, "nl")
    [mail] = await mails_to(session, world.emails["advisor"])
    assert "Adviseur van de jury voor Zuilen (Utrecht)" in mail["body"]
    assert (await actions(session))[-1] == "people.invited"
    with pytest.raises(NotFound):
        await service.reinvite(
            world.actors["other_municipality_admin"], world.actors["advisor"].person_id or 0, "nl"
        )


async def test_the_same_role_given_twice_at_once_is_held_once(engine: AsyncEngine, world: World) -> None:
    """Two administrators give the same person the same role at the same moment: one of them is told."""
    sessions = create_session_factory(engine)

    async def give(who: str) -> str:
        async with sessions() as session:
            try:
                await PeopleAdminService(session).assign(
                    world.actors[who],
                    email=world.emails["other_broker"],
                    role=Role.SPACE_OWNER,
                    neighbourhood_id=world.lunetten_id,
                    locale="nl",
                )
            except RoleAlreadyHeld:
                return "refused"
            return "given"

    outcomes = await asyncio.gather(give("municipality_admin"), give("platform_admin"))
    assert sorted(outcomes) == ["given", "refused"]
    async with sessions() as session:
        held = await session.scalar(
            select(func.count())
            .select_from(RoleAssignment)
            .where(RoleAssignment.role == "space_owner", RoleAssignment.neighbourhood_id == world.lunetten_id)
        )
    assert held == 1
