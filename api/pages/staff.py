"""/beheer: where the people who run the platform start: the municipalities they administer, with the
way to each one's people, pots, rounds and neighbourhoods, and the neighbourhoods they are the broker of."""

from typing import Any

from litestar import Controller, Request, get
from litestar.exceptions import NotAuthorizedException
from litestar.response import Template

from api.dependencies import CurrentActor
from api.guards import requires_signed_in
from api.people.admin_pages import sign_in_and_return
from api.providers import PeopleAdmin
from api.rendering import page


class StaffHomePage(Controller):
    include_in_schema = False
    tags = ["pages"]
    guards = [requires_signed_in]
    exception_handlers = {NotAuthorizedException: sign_in_and_return}

    @get("/beheer", operation_id="staffHomePage")
    async def home(
        self, request: Request[Any, Any, Any], people_admin: PeopleAdmin, actor: CurrentActor
    ) -> Template:
        municipalities, neighbourhoods = await people_admin.workspace(actor)
        return page(
            request,
            "admin/home.html",
            municipalities=municipalities,
            neighbourhoods=neighbourhoods,
            platform_admin=actor.is_platform_admin,
        )
