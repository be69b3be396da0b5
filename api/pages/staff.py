"""/beheer: where the people who run the platform start: the municipalities they administer, with the
way to each one's people, pots, rounds and neighbourhoods, and the neighbourhoods they are the broker of."""

from typing import Any

from litestar import Request, get
from litestar.response import Template

from api.dependencies import CurrentActor
from api.pages.staff_base import StaffPages
from api.places.pages import Notice
from api.providers import PeopleAdmin
from api.rendering import page


class StaffHomePage(StaffPages):
    @get("/beheer", operation_id="staffHomePage")
    async def home(
        self,
        request: Request[Any, Any, Any],
        people_admin: PeopleAdmin,
        actor: CurrentActor,
        gedaan: Notice = None,
    ) -> Template:
        municipalities, neighbourhoods = await people_admin.workspace(actor)
        return page(
            request,
            "admin/home.html",
            municipalities=municipalities,
            neighbourhoods=neighbourhoods,
            platform_admin=actor.is_platform_admin,
            notice=gedaan or "",
        )
