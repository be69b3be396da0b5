"""'My initiatives': the drafts, requests and invitations of the signed-in resident."""

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Redirect, Template

from api.dependencies import CurrentActor
from api.initiatives.labels import STATE_LABELS
from api.initiatives.page_support import sign_in_first
from api.providers import Initiatives
from api.rendering import page
from buurtbudget.initiatives.service import InitiativeFilter


class MyInitiativesPage(Controller):
    include_in_schema = False

    @get("/mijn-initiatieven", operation_id="myInitiativesPage", tags=["pages"])
    async def mine(
        self, request: Request[Any, Any, Any], initiatives: Initiatives, actor: CurrentActor
    ) -> Template | Redirect:
        if redirect := sign_in_first(request):
            return redirect
        listing = await initiatives.search(actor, InitiativeFilter(mine=True, per_page=100))
        invited = {
            initiative.id
            for initiative in listing.items
            if any(i.person_id == actor.person_id and i.status == "invited" for i in initiative.initiators)
        }
        return page(
            request, "people/mine.html", initiatives=listing.items, invited=invited, states=STATE_LABELS
        )
