"""Schemas of the people administrators manage: their roles, a page of people, giving and revoking a role."""

from datetime import datetime

from pydantic import Field

from api.schemas import EntityId, Input, Line, Schema
from buurtbudget.people.roles import Role
from buurtbudget.people.staffing import Given, HeldRole, PeoplePage, PersonRoles


class HeldRoleOut(Schema):
    id: int | None = Field(description="The role assignment; null for a resident, who is verified instead")
    role: Role
    neighbourhood_id: int | None
    neighbourhood_name: str | None
    municipality_id: int | None = Field(
        description="For a neighbourhood role: the neighbourhood's municipality"
    )
    municipality_name: str | None
    granted_at: datetime | None = Field(description="Unknown for roles given before this was kept")
    granted_by_id: int | None
    revocable: bool = Field(
        description="Whether you may revoke it (a resident's verification ends elsewhere)"
    )
    verification_id: int | None = Field(default=None, description="A verified resident's verification")
    verified_until: datetime | None = None


class PersonRolesOut(Schema):
    id: int
    email: str
    display_name: str
    roles: list[HeldRoleOut] = Field(description="Only the roles in what you administer")


class PeoplePageOut(Schema):
    items: list[PersonRolesOut]
    total: int
    page: int
    per_page: int


class RoleAssignmentIn(Input):
    email: str = Field(min_length=1, max_length=254, description="A new address gets an account")
    role: Role = Field(
        description="resident (approved as a verified resident), broker, advisor or space_owner (per "
        "neighbourhood); municipality_admin"
    )
    neighbourhood_id: EntityId | None = Field(default=None, description="For the neighbourhood roles")
    municipality_id: EntityId | None = Field(default=None, description="For municipality_admin")


class RoleAssignmentOut(Schema):
    id: int | None = Field(description="The role assignment; null for a resident, who is verified instead")
    verification_id: int | None = Field(default=None, description="For a resident: the verification")
    person_id: int
    role: Role
    neighbourhood_id: int | None
    municipality_id: int | None
    granted_at: datetime | None
    granted_by_id: int | None


class RevokeIn(Input):
    reason: Line = Field(min_length=1, max_length=500, description="Why (kept in the audit log)")


class RevokedOut(Schema):
    person_id: int
    role: Role
    neighbourhood_id: int | None
    municipality_id: int | None


def held_role(role: HeldRole) -> HeldRoleOut:
    return HeldRoleOut(
        id=role.id,
        role=role.role,
        neighbourhood_id=role.neighbourhood_id,
        neighbourhood_name=role.neighbourhood_name,
        municipality_id=role.municipality_id,
        municipality_name=role.municipality_name,
        granted_at=role.granted_at,
        granted_by_id=role.granted_by_id,
        revocable=role.revocable,
        verification_id=role.verification_id,
        verified_until=role.verified_until,
    )


def person_roles(person: PersonRoles) -> PersonRolesOut:
    return PersonRolesOut(
        id=person.person_id,
        email=person.email,
        display_name=person.display_name,
        roles=[held_role(r) for r in person.roles],
    )


def people_page(found: PeoplePage) -> PeoplePageOut:
    return PeoplePageOut(
        items=[person_roles(p) for p in found.items],
        total=found.total,
        page=found.page,
        per_page=found.per_page,
    )


def given(made: Given) -> RoleAssignmentOut:
    return RoleAssignmentOut(
        id=made.assignment_id,
        verification_id=made.verification_id,
        person_id=made.person_id,
        role=made.role,
        neighbourhood_id=made.neighbourhood_id,
        municipality_id=made.municipality_id,
        granted_at=made.granted_at,
        granted_by_id=made.granted_by_id,
    )
