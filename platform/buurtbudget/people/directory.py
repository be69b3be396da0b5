"""PeopleDirectory: what administrators read about their people: who holds which role where.

A resident is not appointed but verified (`buurtbudget.people.verification`): a person with an active
verification in a neighbourhood is listed with the resident role there, read-only (it has no role
assignment: `HeldRole.id` is None and `verification_id` names the verification). The rules of who may
see what are in `buurtbudget.people.staffing`, the service built on this one.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.elements import ColumnElement

from buurtbudget.db.base import utcnow
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.i18n import N_
from buurtbudget.people.invitations import RolePlace
from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.people.roles import Actor, Role
from buurtbudget.people.verification_models import Verification
from buurtbudget.places.models import Municipality, Neighbourhood

# The roles given as role assignments (and revoked here).
ASSIGNABLE_ROLES: tuple[Role, ...] = (Role.BROKER, Role.ADVISOR, Role.SPACE_OWNER, Role.MUNICIPALITY_ADMIN)
# Residents are verified per neighbourhood (buurtbudget.people.verification): an administrator who
# gives someone the resident role approves them as a resident there (`verify_resident`); a verification
# ends through the verification service, not by revoking here. False: the resident role is not offered.
RESIDENTS_THROUGH_VERIFICATION = True
GIVABLE_ROLES: tuple[Role, ...] = (
    *((Role.RESIDENT,) if RESIDENTS_THROUGH_VERIFICATION else ()),
    *ASSIGNABLE_ROLES,
)
PER_PAGE = 25
ONLY_ADMINISTRATORS = N_("only the municipality's administrators manage its people")
ONLY_MANAGERS = N_("only brokers and administrators have a workspace")


@dataclass(frozen=True, slots=True)
class HeldRole:
    """One role assignment (or a resident's verification) as an administrator sees it."""

    id: int | None  # the role assignment; None for a verified resident
    role: Role
    neighbourhood_id: int | None
    neighbourhood_name: str | None
    municipality_id: int | None  # for a neighbourhood role: the neighbourhood's municipality
    municipality_name: str | None
    granted_at: datetime | None
    granted_by_id: int | None
    revocable: bool  # by the administrator who asked
    verification_id: int | None = None  # a verified resident's verification
    verified_until: datetime | None = None

    @property
    def place(self) -> RolePlace:
        return RolePlace(self.role, self.neighbourhood_name, self.municipality_name)


@dataclass(frozen=True, slots=True)
class PersonRoles:
    person_id: int
    email: str
    display_name: str
    roles: list[HeldRole]


@dataclass(frozen=True, slots=True)
class PeoplePage:
    items: list[PersonRoles]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def administered_ids(actor: Actor) -> set[int]:
    return {
        g.municipality_id for g in actor.grants if g.role == Role.MUNICIPALITY_ADMIN and g.municipality_id
    }


def is_administrator(actor: Actor) -> bool:
    return actor.is_platform_admin or bool(administered_ids(actor))


def _like(text: str) -> str:
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _in_municipality(municipality_id: int) -> ColumnElement[bool]:
    return or_(
        RoleAssignment.municipality_id == municipality_id,
        RoleAssignment.neighbourhood_id.in_(
            select(Neighbourhood.id).where(Neighbourhood.municipality_id == municipality_id)
        ),
    )


def _verified(municipality_id: int | None) -> ColumnElement[bool]:
    """The person holds an active verification (in the municipality's neighbourhoods, when given)."""
    active = exists().where(
        Verification.person_id == Person.id,
        Verification.ended_at.is_(None),
        Verification.expires_at > utcnow(),
    )
    if municipality_id is not None:
        active = active.where(
            Verification.neighbourhood_id.in_(
                select(Neighbourhood.id).where(Neighbourhood.municipality_id == municipality_id)
            )
        )
    return active


class PeopleDirectory:
    """Reading people and their roles within what the actor administers."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def administered(self, actor: Actor) -> list[Municipality]:
        """The municipalities the actor administers (all of them for a platform administrator)."""
        if not is_administrator(actor):
            raise NotAllowed(ONLY_ADMINISTRATORS)
        query = select(Municipality).order_by(Municipality.name)
        if not actor.is_platform_admin:
            query = query.where(Municipality.id.in_(administered_ids(actor)))
        return list((await self.session.execute(query)).scalars())

    async def workspace(self, actor: Actor) -> tuple[list[Municipality], list[Neighbourhood]]:
        """What the actor manages: the municipalities they administer, and the neighbourhoods they are
        the broker of (with their municipality); refused for anyone who manages neither."""
        brokered = [g.neighbourhood_id for g in actor.grants if g.role == Role.BROKER and g.neighbourhood_id]
        if not is_administrator(actor) and not brokered:
            raise NotAllowed(ONLY_MANAGERS)
        municipalities = await self.administered(actor) if is_administrator(actor) else []
        if not brokered:
            return municipalities, []
        places = await self.session.execute(
            select(Neighbourhood)
            .options(selectinload(Neighbourhood.municipality))
            .where(Neighbourhood.id.in_(brokered))
            .order_by(Neighbourhood.name, Neighbourhood.id)
        )
        return municipalities, list(places.scalars())

    async def municipality(
        self, actor: Actor, municipality_id: int
    ) -> tuple[Municipality, list[Neighbourhood]]:
        """A municipality the actor administers, with its neighbourhoods by name."""
        if not actor.administers(municipality_id):
            raise NotAllowed(ONLY_ADMINISTRATORS)
        town = await self.session.get(Municipality, municipality_id)
        if town is None:
            raise NotFound("no such municipality", municipality_id=municipality_id)
        places = await self.session.execute(
            select(Neighbourhood)
            .where(Neighbourhood.municipality_id == municipality_id)
            .order_by(Neighbourhood.name, Neighbourhood.id)
        )
        return town, list(places.scalars())

    async def role(self, actor: Actor, assignment_id: int) -> tuple[PersonRoles, HeldRole]:
        """One role assignment the actor administers, with its person; not found otherwise."""
        person_id = await self.session.scalar(
            select(RoleAssignment.person_id).where(RoleAssignment.id == assignment_id)
        )
        if person_id is None:
            raise NotFound("no such role", assignment_id=assignment_id)
        held = await self.roles_of(actor, person_id)
        this = next((r for r in held.roles if r.id == assignment_id), None)
        if this is None:
            raise NotFound("no such role", assignment_id=assignment_id)
        return held, this

    async def people(
        self,
        actor: Actor,
        municipality_id: int | None,
        query: str | None = None,
        role: Role | str | None = None,
        page: int = 1,
        *,
        per_page: int = PER_PAGE,
    ) -> PeoplePage:
        """People with a role in the municipality (all people with a role: platform administrators,
        `municipality_id` None), searched by name or address, filtered by role, a page at a time."""
        if municipality_id is None:
            if not actor.is_platform_admin:
                raise NotAllowed(ONLY_ADMINISTRATORS)
        elif not actor.administers(municipality_id):
            raise NotAllowed(ONLY_ADMINISTRATORS)
        wanted: Role | None = None
        if role:
            try:
                wanted = Role(role)
            except ValueError:
                raise InvalidInput("choose one of the roles on the list", field="role") from None
        page = max(page, 1)
        assigned = exists().where(RoleAssignment.person_id == Person.id)
        if municipality_id is not None:
            assigned = assigned.where(_in_municipality(municipality_id))
        if wanted == Role.RESIDENT:
            held = _verified(municipality_id)
        elif wanted is not None:
            held = assigned.where(RoleAssignment.role == wanted.value)
        else:
            held = or_(assigned, _verified(municipality_id))
        people = select(Person).where(held)
        if query and query.strip():
            pattern = _like(query)
            people = people.where(
                or_(
                    func.lower(Person.email).like(pattern, escape="\\"),
                    func.lower(Person.display_name).like(pattern, escape="\\"),
                )
            )
        total = await self.session.scalar(select(func.count()).select_from(people.subquery())) or 0
        found = list(
            (
                await self.session.execute(
                    people.order_by(Person.email, Person.id).offset((page - 1) * per_page).limit(per_page)
                )
            ).scalars()
        )
        roles = await self._held_roles(actor, [p.id for p in found])
        items = [
            PersonRoles(
                person_id=person.id,
                email=person.email,
                display_name=person.display_name,
                roles=[r for r in roles.get(person.id, []) if municipality_id in (None, r.municipality_id)],
            )
            for person in found
        ]
        return PeoplePage(items, total, page, per_page)

    async def roles_of(self, actor: Actor, person_id: int) -> PersonRoles:
        """The person and the roles of theirs the actor administers; not found when there are none."""
        if not is_administrator(actor):
            raise NotAllowed(ONLY_ADMINISTRATORS)
        person = await self.session.get(Person, person_id)
        roles = (await self._held_roles(actor, [person_id])).get(person_id, []) if person else []
        if person is None or not roles:
            raise NotFound("no such person", person_id=person_id)
        return PersonRoles(person.id, person.email, person.display_name, roles)

    async def _held_roles(self, actor: Actor, person_ids: Iterable[int]) -> dict[int, list[HeldRole]]:
        """The roles of these people that lie in what the actor administers, by person."""
        ids = list(person_ids)
        if not ids:
            return {}
        rows = await self.session.execute(
            select(RoleAssignment, Neighbourhood.name, Municipality.id, Municipality.name)
            .outerjoin(Neighbourhood, Neighbourhood.id == RoleAssignment.neighbourhood_id)
            .outerjoin(
                Municipality,
                Municipality.id
                == func.coalesce(RoleAssignment.municipality_id, Neighbourhood.municipality_id),
            )
            # Residents are verified, not assigned (an assignment left from before says nothing).
            .where(RoleAssignment.person_id.in_(ids), RoleAssignment.role != Role.RESIDENT.value)
            .order_by(Municipality.name, Neighbourhood.name, RoleAssignment.role, RoleAssignment.id)
        )
        found: dict[int, list[HeldRole]] = {}
        verified = await self.session.execute(
            select(Verification, Neighbourhood.name, Municipality.id, Municipality.name)
            .join(Neighbourhood, Neighbourhood.id == Verification.neighbourhood_id)
            .join(Municipality, Municipality.id == Neighbourhood.municipality_id)
            .where(
                Verification.person_id.in_(ids),
                Verification.ended_at.is_(None),
                Verification.expires_at > utcnow(),
            )
            .order_by(Municipality.name, Neighbourhood.name, Verification.id)
        )
        for verification, neighbourhood_name, town_id, town_name in verified.tuples():
            if actor.is_platform_admin or actor.administers(town_id):
                found.setdefault(verification.person_id, []).append(
                    HeldRole(
                        id=None,
                        role=Role.RESIDENT,
                        neighbourhood_id=verification.neighbourhood_id,
                        neighbourhood_name=neighbourhood_name,
                        municipality_id=town_id,
                        municipality_name=town_name,
                        granted_at=verification.verified_at,
                        granted_by_id=verification.verified_by_id,
                        revocable=False,
                        verification_id=verification.id,
                        verified_until=verification.expires_at,
                    )
                )
        for assignment, neighbourhood_name, town_id, town_name in rows.tuples():
            if not (actor.is_platform_admin or (town_id is not None and actor.administers(town_id))):
                continue
            role = Role(assignment.role)
            found.setdefault(assignment.person_id, []).append(
                HeldRole(
                    id=assignment.id,
                    role=role,
                    neighbourhood_id=assignment.neighbourhood_id,
                    neighbourhood_name=neighbourhood_name,
                    municipality_id=town_id,
                    municipality_name=town_name,
                    granted_at=assignment.granted_at,
                    granted_by_id=assignment.granted_by_id,
                    revocable=role in ASSIGNABLE_ROLES and town_id is not None and actor.administers(town_id),
                )
            )
        return found
