"""JSON endpoints about the signed-in person under /api/v1/people."""

from litestar import Controller, get, patch
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody

from api.dependencies import Current, CurrentActor, DbSession
from api.guards import requires_signed_in
from api.initiatives import presenters
from api.initiatives.schemas import InitiativeSummaryOut
from api.people.schemas import DisplayNameIn, PersonOut
from api.providers import Initiatives
from buurtbudget.errors import NotAllowed
from buurtbudget.people.roles import Role
from buurtbudget.people.service import set_display_name


class PeopleController(Controller):
    path = "/api/v1/people"
    tags = ["people"]
    guards = [requires_signed_in]

    @get("/me", operation_id="getMe", summary="Who you are and your roles")
    async def me(self, current: Current) -> PersonOut:
        person, _actor = current
        if person is None:
            raise NotAuthorizedException()
        return PersonOut.model_validate(person)

    @patch(
        "/me",
        operation_id="updateMe",
        summary="Choose the name others see (never taken from your e-mail address)",
    )
    async def update_me(
        self, db_session: DbSession, actor: CurrentActor, data: JSONBody[DisplayNameIn]
    ) -> PersonOut:
        person = await set_display_name(db_session, actor, data.display_name)
        return PersonOut.model_validate(person)

    @get(
        "/me/overdue",
        operation_id="getMyOverdueInitiatives",
        summary="For brokers: initiatives in your neighbourhoods past their promised date",
    )
    async def overdue(self, initiatives: Initiatives, actor: CurrentActor) -> list[InitiativeSummaryOut]:
        neighbourhood_ids = [
            g.neighbourhood_id for g in actor.grants if g.role == Role.BROKER and g.neighbourhood_id
        ]
        if not neighbourhood_ids:
            raise NotAllowed("only brokers have a caseload")
        overdue = await initiatives.flag_overdue(neighbourhood_ids)
        return [presenters.summary(i) for i in overdue]
