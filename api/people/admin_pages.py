"""The municipality's people pages under /beheer/gemeenten/{id}/mensen: find people, see their roles,
give a role (with an invitation by mail) and revoke one (with a confirmation step and a reason)."""

from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import QueryParameter, URLEncodedBody
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_409_CONFLICT, HTTP_422_UNPROCESSABLE_ENTITY

from api.dependencies import CurrentActor, Locale
from api.initiatives.page_support import see_other
from api.pages.form_errors import translated, whole_number
from api.pages.staff_base import StaffPages
from api.providers import PeopleAdmin
from api.rendering import page
from api.schemas import PathId
from buurtbudget.errors import Conflict, InvalidInput, NotFound
from buurtbudget.i18n import N_
from buurtbudget.people.invitations import ROLE_LABELS
from buurtbudget.people.roles import Actor, Role
from buurtbudget.people.staffing import GIVABLE_ROLES, PeopleAdminService, PersonRoles

Form = URLEncodedBody[dict[str, str]]
Text = Annotated[str | None, QueryParameter(max_length=100)]
# The service's fields as the forms name them.
FIELDS = {
    "email": "email",
    "role": "rol",
    "neighbourhood_id": "buurt",
    "municipality_id": "rol",
    "reason": "reden",
    "assignment_id": "reden",
}
NO_SUCH_ROLE = N_("choose one of the roles on the list")
NO_SUCH_NEIGHBOURHOOD = N_("there is no such neighbourhood")


def _base(municipality_id: int) -> str:
    return f"/beheer/gemeenten/{municipality_id}/mensen"


def _status(error: InvalidInput | Conflict) -> int:
    return HTTP_409_CONFLICT if isinstance(error, Conflict) else HTTP_422_UNPROCESSABLE_ENTITY


def _in_municipality(person: PersonRoles, municipality_id: int) -> PersonRoles:
    """Only the person's roles in this municipality; not found when they hold none here."""
    roles = [r for r in person.roles if r.municipality_id == municipality_id]
    if not roles:
        raise NotFound("no such person", person_id=person.person_id)
    return PersonRoles(person.person_id, person.email, person.display_name, roles)


class PeopleAdminPages(StaffPages):
    path = "/beheer/gemeenten/{municipality_id:int}"

    @get("/mensen", operation_id="municipalityPeoplePage")
    async def people(
        self,
        request: Request[Any, Any, Any],
        people_admin: PeopleAdmin,
        actor: CurrentActor,
        locale: Locale,
        municipality_id: PathId,
        search: Annotated[str | None, QueryParameter(name="zoek", max_length=100)] = None,
        role: Annotated[str | None, QueryParameter(name="rol", max_length=40)] = None,
        page_text: Annotated[str | None, QueryParameter(name="pagina", max_length=10)] = None,
    ) -> Template:
        town, _places = await people_admin.municipality(actor, municipality_id)
        errors: dict[str, str] = {}
        wanted = role if role in {r.value for r in Role} else None
        if role and wanted is None:
            errors["rol"] = NO_SUCH_ROLE
        number = whole_number(page_text, minimum=1, maximum=10_000) or 1
        found = await people_admin.people(actor, municipality_id, search, wanted, number)
        return page(
            request,
            "people/admin_list.html",
            status_code=HTTP_422_UNPROCESSABLE_ENTITY if errors else 200,
            municipality=town,
            found=found,
            search=search or "",
            role=wanted or "",
            roles=[(r.value, ROLE_LABELS[r]) for r in Role if r != Role.PLATFORM_ADMIN],
            labels=ROLE_LABELS,
            errors=translated(errors, locale),
            base=_base(municipality_id),
        )

    @get("/mensen/{person_id:int}", operation_id="municipalityPersonPage")
    async def person(
        self,
        request: Request[Any, Any, Any],
        people_admin: PeopleAdmin,
        actor: CurrentActor,
        municipality_id: PathId,
        person_id: PathId,
    ) -> Template:
        town, _places = await people_admin.municipality(actor, municipality_id)
        held = _in_municipality(await people_admin.roles_of(actor, person_id), municipality_id)
        return page(
            request,
            "people/admin_person.html",
            municipality=town,
            person=held,
            labels=ROLE_LABELS,
            notice=request.query_params.get("melding"),
            base=_base(municipality_id),
        )

    @post("/mensen/{person_id:int}/uitnodigen", operation_id="municipalityPersonReinvite")
    async def reinvite(
        self,
        people_admin: PeopleAdmin,
        actor: CurrentActor,
        locale: Locale,
        municipality_id: PathId,
        person_id: PathId,
    ) -> Redirect:
        await people_admin.municipality(actor, municipality_id)
        _in_municipality(await people_admin.roles_of(actor, person_id), municipality_id)
        await people_admin.reinvite(actor, person_id, locale)
        return see_other(f"{_base(municipality_id)}/{person_id}", melding="uitgenodigd")

    async def _assign_form(
        self,
        request: Request[Any, Any, Any],
        people_admin: PeopleAdminService,
        actor: Actor,
        municipality_id: int,
        *,
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        town, places = await people_admin.municipality(actor, municipality_id)
        return page(
            request,
            "people/admin_assign.html",
            status_code=status_code,
            municipality=town,
            neighbourhoods=places,
            roles=[(r.value, ROLE_LABELS[r]) for r in GIVABLE_ROLES],
            values=values or {},
            errors=errors or {},
            base=_base(municipality_id),
        )

    @get("/mensen/toevoegen", operation_id="assignRolePage")
    async def assign_form(
        self,
        request: Request[Any, Any, Any],
        people_admin: PeopleAdmin,
        actor: CurrentActor,
        municipality_id: PathId,
    ) -> Template:
        return await self._assign_form(request, people_admin, actor, municipality_id)

    @post("/mensen/toevoegen", operation_id="assignRolePost")
    async def assign(
        self,
        request: Request[Any, Any, Any],
        people_admin: PeopleAdmin,
        actor: CurrentActor,
        locale: Locale,
        municipality_id: PathId,
        data: Form,
    ) -> Template | Redirect:
        values = {key: data.get(key, "").strip() for key in ("email", "rol", "buurt")}
        role = values["rol"]
        try:
            if role == Role.MUNICIPALITY_ADMIN.value:
                made = await people_admin.give(
                    actor, email=values["email"], role=role, municipality_id=municipality_id, locale=locale
                )
            else:
                neighbourhood_id = whole_number(values["buurt"], minimum=1)
                if values["buurt"] and neighbourhood_id is None:
                    raise InvalidInput(NO_SUCH_NEIGHBOURHOOD, field="neighbourhood_id")
                made = await people_admin.give(
                    actor,
                    email=values["email"],
                    role=role,
                    neighbourhood_id=neighbourhood_id,
                    municipality_id=municipality_id,
                    locale=locale,
                )
        except (InvalidInput, Conflict) as error:
            field = FIELDS.get(str(error.params.get("field", "")), "email")
            return await self._assign_form(
                request,
                people_admin,
                actor,
                municipality_id,
                values=values,
                errors=translated({field: error.message}, locale),
                status_code=_status(error),
            )
        return see_other(f"{_base(municipality_id)}/{made.person_id}", melding="toegevoegd")

    async def _revoke_form(
        self,
        request: Request[Any, Any, Any],
        people_admin: PeopleAdminService,
        actor: Actor,
        municipality_id: int,
        assignment_id: int,
        *,
        reason: str = "",
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        town, _places = await people_admin.municipality(actor, municipality_id)
        person, held = await people_admin.role(actor, assignment_id)
        if held.municipality_id != municipality_id:
            raise NotFound("no such role", assignment_id=assignment_id)
        return page(
            request,
            "people/admin_revoke.html",
            status_code=status_code,
            municipality=town,
            person=person,
            held=held,
            labels=ROLE_LABELS,
            reason=reason,
            errors=errors or {},
            base=_base(municipality_id),
        )

    @get("/rollen/{assignment_id:int}/intrekken", operation_id="revokeRolePage")
    async def revoke_form(
        self,
        request: Request[Any, Any, Any],
        people_admin: PeopleAdmin,
        actor: CurrentActor,
        municipality_id: PathId,
        assignment_id: PathId,
    ) -> Template:
        return await self._revoke_form(request, people_admin, actor, municipality_id, assignment_id)

    @post("/rollen/{assignment_id:int}/intrekken", operation_id="revokeRolePost")
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        people_admin: PeopleAdmin,
        actor: CurrentActor,
        locale: Locale,
        municipality_id: PathId,
        assignment_id: PathId,
        data: Form,
    ) -> Template | Redirect:
        """Revoking asks for a confirmation and a reason; without both nothing changes."""
        reason = data.get("reden", "")
        await people_admin.municipality(actor, municipality_id)
        person, held = await people_admin.role(actor, assignment_id)
        if held.municipality_id != municipality_id:
            raise NotFound("no such role", assignment_id=assignment_id)
        if data.get("bevestigd") != "ja":
            return await self._revoke_form(
                request, people_admin, actor, municipality_id, assignment_id, reason=reason
            )
        try:
            await people_admin.revoke(actor, assignment_id, reason)
        except (InvalidInput, Conflict) as error:
            return await self._revoke_form(
                request,
                people_admin,
                actor,
                municipality_id,
                assignment_id,
                reason=reason,
                errors=translated({"reden": error.message}, locale),
                status_code=_status(error),
            )
        if person.person_id == actor.person_id:
            return see_other("/inloggen")  # revoking one's own role ends one's own sessions too
        still_here = any(r.municipality_id == municipality_id for r in person.roles if r.id != held.id)
        target = f"{_base(municipality_id)}/{person.person_id}" if still_here else _base(municipality_id)
        return see_other(target, melding="ingetrokken")
