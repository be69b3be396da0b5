"""PeopleAdminService: administrators find their people, give them roles and take roles away.

Who may do what (the rules every caller gets, pages, JSON API and command line alike):

- Roles given here: broker, advisor and space owner per neighbourhood; municipality administrator per
  municipality (`assign`, role assignments). Residents are verified per neighbourhood, not appointed:
  giving someone the resident role approves them as a resident there through the verification
  service's approval (`verify_resident`; offered while `RESIDENTS_THROUGH_VERIFICATION`); it ends as a
  verification does, not by revoking here. `give` takes either. Jurors are drawn by lot in a round and
  platform administrators are made on the command line (`users create-admin`): neither is given or
  taken away here.
- A municipality's administrator manages the neighbourhood roles of their own municipality's
  neighbourhoods and its administrators (a colleague may be made co-administrator). Only a platform
  administrator manages another municipality: an administrator of Utrecht never sees, gives or
  revokes anything in Voorburg, and a person without a role there does not exist for them.
- Revoking needs a reason, takes effect on the person's next request and ends all their sessions
  (they sign in again and keep their other roles). Nobody revokes their own last administrator role:
  another administrator has to.
- Giving a role to a new address makes the account; every new role is mailed to the person with a
  sign-in link (an invitation) in the same transaction. A role held already is refused
  (`RoleAlreadyHeld`, a Conflict), so a caller inviting an advisor twice can tell the two apart.
- Every change is audited (`people.role_assigned`, `people.role_revoked`, `people.invited`).
"""

from dataclasses import dataclass
from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.people.directory import (
    ASSIGNABLE_ROLES,
    GIVABLE_ROLES,
    ONLY_ADMINISTRATORS,
    RESIDENTS_THROUGH_VERIFICATION,
    HeldRole,
    PeopleDirectory,
    PeoplePage,
    PersonRoles,
    is_administrator,
)
from buurtbudget.people.errors import LastAdministratorRole, RoleAlreadyHeld
from buurtbudget.people.invitations import RolePlace, queue_invitation
from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.people.roles import MUNICIPALITY_ROLES, NEIGHBOURHOOD_ROLES, Actor, Grant, Role
from buurtbudget.people.service import get_or_create, get_person, normalise_email
from buurtbudget.people.verification import VerificationService, record_verification
from buurtbudget.people.verification_models import APPROVAL, Verification
from buurtbudget.places.models import Municipality, Neighbourhood

ADMINISTRATOR_ROLES = frozenset({Role.MUNICIPALITY_ADMIN, Role.PLATFORM_ADMIN})
MAX_REASON = 500

__all__ = [
    "ASSIGNABLE_ROLES",
    "GIVABLE_ROLES",
    "RESIDENTS_THROUGH_VERIFICATION",
    "Given",
    "HeldRole",
    "PeopleAdminService",
    "PeoplePage",
    "PersonRoles",
    "RevokedRole",
]


@dataclass(frozen=True, slots=True)
class Given:
    """What `give` made: a role assignment, or for a resident a verification."""

    person_id: int
    role: Role
    neighbourhood_id: int | None
    municipality_id: int | None
    granted_at: datetime | None
    granted_by_id: int | None
    assignment_id: int | None = None
    verification_id: int | None = None


@dataclass(frozen=True, slots=True)
class RevokedRole:
    person_id: int
    role: Role
    neighbourhood_id: int | None
    municipality_id: int | None


def clean_email(email: str) -> str:
    """A normalised address, or InvalidInput on the `email` field."""
    address = normalise_email(email)
    if not address or len(address) > 254:
        raise InvalidInput("fill in a valid e-mail address, like naam@voorbeeld.nl", field="email")
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput("fill in a valid e-mail address, like naam@voorbeeld.nl", field="email") from None
    return address


def parse_role(role: Role | str, allowed: tuple[Role, ...] = ASSIGNABLE_ROLES) -> Role:
    try:
        parsed = Role(role)
    except ValueError:
        raise InvalidInput("choose one of the roles on the list", field="role") from None
    if parsed not in allowed:
        raise InvalidInput("choose one of the roles on the list", field="role")
    return parsed


class PeopleAdminService(PeopleDirectory):
    """People and their roles, as the administrators of a municipality (or the platform) manage them."""

    async def give(
        self,
        actor: Actor,
        *,
        email: str,
        role: Role | str,
        neighbourhood_id: int | None = None,
        municipality_id: int | None = None,
        locale: str,
    ) -> Given:
        """Any role an administrator gives: a resident is verified, the others are assigned."""
        if parse_role(role, GIVABLE_ROLES) == Role.RESIDENT:
            if neighbourhood_id is None:
                raise InvalidInput("choose the neighbourhood this role is for", field="neighbourhood_id")
            verification = await self.verify_resident(
                actor,
                email=email,
                neighbourhood_id=neighbourhood_id,
                municipality_id=municipality_id,
                locale=locale,
            )
            return Given(
                person_id=verification.person_id,
                role=Role.RESIDENT,
                neighbourhood_id=verification.neighbourhood_id,
                municipality_id=None,
                granted_at=verification.verified_at,
                granted_by_id=verification.verified_by_id,
                verification_id=verification.id,
            )
        assignment = await self.assign(
            actor,
            email=email,
            role=role,
            neighbourhood_id=neighbourhood_id,
            municipality_id=municipality_id,
            locale=locale,
        )
        return Given(
            person_id=assignment.person_id,
            role=Role(assignment.role),
            neighbourhood_id=assignment.neighbourhood_id,
            municipality_id=assignment.municipality_id,
            granted_at=assignment.granted_at,
            granted_by_id=assignment.granted_by_id,
            assignment_id=assignment.id,
        )

    async def verify_resident(
        self,
        actor: Actor,
        *,
        email: str,
        neighbourhood_id: int,
        municipality_id: int | None = None,
        locale: str,
    ) -> Verification:
        """Approve the person with `email` (made when new) as a resident of the neighbourhood; invite them.

        The verification is the one the verification service's approval records (`record_verification`,
        by approval, for the municipality's period), written in this one transaction with the account
        and the invitation; an open request of theirs for approval there is answered with it.
        """
        if not is_administrator(actor):
            raise NotAllowed(ONLY_ADMINISTRATORS)
        address = clean_email(email)
        async with transaction(self.session):
            town, place = await self._scope(Role.RESIDENT, neighbourhood_id, municipality_id)
            if place is None or not actor.administers(town.id):
                raise NotAllowed(ONLY_ADMINISTRATORS)
            person = await get_or_create(self.session, address, actor_id=actor.person_id)
            await self._lock(person.id)
            verifications = VerificationService(self.session)
            if any(v.neighbourhood_id == place.id for v in await verifications.active(person.id)):
                raise RoleAlreadyHeld("this person already has this role here", field="role")
            verification = await record_verification(
                self.session, person, place, APPROVAL, by=actor.person_id
            )
            request = await verifications.open_request(person.id, place.id)
            if request is not None:
                request.decided_at = verification.verified_at
                request.decision = "approved"
                request.decided_by_id = actor.person_id
            await record(
                self.session,
                actor_id=actor.person_id,
                action="people.role_assigned",
                subject_type="person",
                subject_id=person.id,
                data={
                    "verification_id": verification.id,
                    "role": Role.RESIDENT.value,
                    "neighbourhood_id": place.id,
                    "municipality_id": None,
                },
            )
            await queue_invitation(
                self.session, person, [RolePlace(Role.RESIDENT, place.name, town.name)], locale
            )
        return verification

    async def assign(
        self,
        actor: Actor,
        *,
        email: str,
        role: Role | str,
        neighbourhood_id: int | None = None,
        municipality_id: int | None = None,
        locale: str,
    ) -> RoleAssignment:
        """Give the person with `email` (made when new) the role and mail them an invitation."""
        if not is_administrator(actor):
            raise NotAllowed(ONLY_ADMINISTRATORS)
        address = clean_email(email)
        wanted = parse_role(role)
        async with transaction(self.session):
            town, place = await self._scope(wanted, neighbourhood_id, municipality_id)
            if not actor.administers(town.id):
                raise NotAllowed(ONLY_ADMINISTRATORS)
            person = await get_or_create(self.session, address, actor_id=actor.person_id)
            await self._lock(person.id)
            grant = Grant(wanted, place.id if place else None, None if place else town.id)
            if any(
                Grant(Role(a.role), a.neighbourhood_id, a.municipality_id) == grant
                for a in await self._assignments(person.id)
            ):
                raise RoleAlreadyHeld("this person already has this role here", field="role")
            assignment = RoleAssignment(
                person_id=person.id,
                role=wanted.value,
                neighbourhood_id=grant.neighbourhood_id,
                municipality_id=grant.municipality_id,
                granted_by_id=actor.person_id,
                granted_at=utcnow(),
            )
            self.session.add(assignment)
            await self.session.flush()
            await record(
                self.session,
                actor_id=actor.person_id,
                action="people.role_assigned",
                subject_type="person",
                subject_id=person.id,
                data={
                    "assignment_id": assignment.id,
                    "role": wanted.value,
                    "neighbourhood_id": grant.neighbourhood_id,
                    "municipality_id": grant.municipality_id,
                },
            )
            where = RolePlace(wanted, place.name if place else None, town.name)
            await queue_invitation(self.session, person, [where], locale)
        return assignment

    async def revoke(self, actor: Actor, assignment_id: int, reason: str) -> RevokedRole:
        """Take a role away (with a reason): it stops working at once and the person's sessions end."""
        if not is_administrator(actor):
            raise NotAllowed(ONLY_ADMINISTRATORS)
        why = " ".join(reason.split())
        if not why:
            raise InvalidInput("give a reason", field="reason")
        if len(why) > MAX_REASON:
            raise InvalidInput("a reason has at most 500 characters", field="reason")
        async with transaction(self.session):
            assignment = await self.session.get(RoleAssignment, assignment_id)
            held = (
                (await self._held_roles(actor, [assignment.person_id])).get(assignment.person_id, [])
                if assignment
                else []
            )
            this = next((h for h in held if h.id == assignment_id), None)
            if assignment is None or this is None:
                raise NotFound("no such role", assignment_id=assignment_id)
            if not this.revocable:
                raise NotAllowed("this role is not given or taken away here")
            await self._lock(assignment.person_id)
            if assignment.person_id == actor.person_id and this.role in ADMINISTRATOR_ROLES:
                others = [
                    a
                    for a in await self._assignments(assignment.person_id)
                    if a.id != assignment.id and Role(a.role) in ADMINISTRATOR_ROLES
                ]
                if not others:
                    raise LastAdministratorRole(
                        "this is your last administrator role: ask another administrator to revoke it",
                        field="assignment_id",
                    )
            revoked = RevokedRole(
                assignment.person_id, this.role, assignment.neighbourhood_id, assignment.municipality_id
            )
            person = await self.session.get(Person, assignment.person_id)
            if person is not None:
                person.sessions_valid_from = utcnow()
                # The relationship keeps its loaded list in step (delete-orphan removes the row).
                if assignment in person.roles:
                    person.roles.remove(assignment)
            await self.session.delete(assignment)
            await self.session.flush()
            await record(
                self.session,
                actor_id=actor.person_id,
                action="people.role_revoked",
                subject_type="person",
                subject_id=revoked.person_id,
                data={
                    "assignment_id": assignment_id,
                    "role": revoked.role.value,
                    "neighbourhood_id": revoked.neighbourhood_id,
                    "municipality_id": revoked.municipality_id,
                    "reason": why,
                },
            )
        return revoked

    async def reinvite(self, actor: Actor, person_id: int, locale: str) -> PersonRoles:
        """Mail the person a fresh sign-in link with the roles of theirs the actor administers."""
        async with transaction(self.session):
            held = await self.roles_of(actor, person_id)
            person = await get_person(self.session, person_id)
            await queue_invitation(self.session, person, [r.place for r in held.roles], locale)
            await record(
                self.session,
                actor_id=actor.person_id,
                action="people.invited",
                subject_type="person",
                subject_id=person_id,
            )
        return held

    async def _scope(
        self, role: Role, neighbourhood_id: int | None, municipality_id: int | None
    ) -> tuple[Municipality, Neighbourhood | None]:
        """The municipality (and neighbourhood) a role of this kind would hold in; InvalidInput if unclear."""
        if role in NEIGHBOURHOOD_ROLES:
            if neighbourhood_id is None:
                raise InvalidInput("choose the neighbourhood this role is for", field="neighbourhood_id")
            place = await self.session.get(Neighbourhood, neighbourhood_id)
            if place is None:
                raise InvalidInput("there is no such neighbourhood", field="neighbourhood_id")
            if municipality_id is not None and municipality_id != place.municipality_id:
                raise InvalidInput(
                    "this neighbourhood lies in another municipality", field="neighbourhood_id"
                )
            town = await self.session.get(Municipality, place.municipality_id)
            if town is None:  # a foreign key: never, unless the row is being removed right now
                raise InvalidInput("there is no such neighbourhood", field="neighbourhood_id")
            return town, place
        if role in MUNICIPALITY_ROLES:
            if municipality_id is None:
                raise InvalidInput("choose the municipality this role is for", field="municipality_id")
            town = await self.session.get(Municipality, municipality_id)
            if town is None:
                raise InvalidInput("there is no such municipality", field="municipality_id")
            return town, None
        raise InvalidInput("choose one of the roles on the list", field="role")

    async def _assignments(self, person_id: int) -> list[RoleAssignment]:
        rows = await self.session.execute(select(RoleAssignment).where(RoleAssignment.person_id == person_id))
        return list(rows.scalars())

    async def _lock(self, person_id: int) -> None:
        """Serialise role changes of one person (SQLite already writes one transaction at a time)."""
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(select(Person.id).where(Person.id == person_id).with_for_update())
