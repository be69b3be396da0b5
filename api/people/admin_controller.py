"""JSON endpoints for administrators: a municipality's people, giving a role, revoking one."""

from typing import Annotated

from litestar import Controller, get, post
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.dependencies import CurrentActor, Locale
from api.guards import requires_signed_in
from api.people.admin_schemas import (
    PeoplePageOut,
    PersonRolesOut,
    RevokedOut,
    RevokeIn,
    RoleAssignmentIn,
    RoleAssignmentOut,
    given,
    people_page,
    person_roles,
)
from api.providers import PeopleAdmin
from api.schemas import PathId
from buurtbudget.people.roles import Role


class MunicipalityPeopleController(Controller):
    path = "/api/v1/municipalities/{municipality_id:int}/people"
    tags = ["people"]
    guards = [requires_signed_in]

    @get(
        "/",
        operation_id="listMunicipalityPeople",
        summary="People with a role in the municipality, searched by name or e-mail (its administrators)",
    )
    async def list_people(
        self,
        people_admin: PeopleAdmin,
        actor: CurrentActor,
        municipality_id: PathId,
        q: Annotated[
            str | None, QueryParameter(max_length=100, description="Part of a name or address")
        ] = None,
        role: Annotated[Role | None, QueryParameter(description="Only people with this role")] = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100)] = 25,
    ) -> PeoplePageOut:
        found = await people_admin.people(actor, municipality_id, q, role, page, per_page=per_page)
        return people_page(found)


class RoleAssignmentController(Controller):
    path = "/api/v1"
    tags = ["people"]
    guards = [requires_signed_in]

    @get(
        "/people/{person_id:int}/role-assignments",
        operation_id="listRoleAssignments",
        summary="A person's roles in what you administer (administrators)",
    )
    async def roles_of(
        self, people_admin: PeopleAdmin, actor: CurrentActor, person_id: PathId
    ) -> PersonRolesOut:
        return person_roles(await people_admin.roles_of(actor, person_id))

    @post(
        "/role-assignments",
        operation_id="assignRole",
        summary="Give someone a role (made when the address is new; a resident is approved as verified) "
        "and mail them an invitation",
        status_code=HTTP_201_CREATED,
    )
    async def assign(
        self, people_admin: PeopleAdmin, actor: CurrentActor, locale: Locale, data: JSONBody[RoleAssignmentIn]
    ) -> RoleAssignmentOut:
        made = await people_admin.give(
            actor,
            email=data.email,
            role=data.role,
            neighbourhood_id=data.neighbourhood_id,
            municipality_id=data.municipality_id,
            locale=locale,
        )
        return given(made)

    @post(
        "/role-assignments/{assignment_id:int}/revoke",
        operation_id="revokeRole",
        summary="Take a role away, with a reason: it stops working at once and the person's sessions end",
        status_code=HTTP_200_OK,
    )
    async def revoke(
        self, people_admin: PeopleAdmin, actor: CurrentActor, assignment_id: PathId, data: JSONBody[RevokeIn]
    ) -> RevokedOut:
        revoked = await people_admin.revoke(actor, assignment_id, data.reason)
        return RevokedOut(
            person_id=revoked.person_id,
            role=revoked.role,
            neighbourhood_id=revoked.neighbourhood_id,
            municipality_id=revoked.municipality_id,
        )
