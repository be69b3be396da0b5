"""The initiative page: story, itemised budget, needs, timeline, and the steps its residents can take."""

from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from api.dependencies import CurrentActor, DbSession, Locale
from api.initiatives import presenters
from api.initiatives.labels import STATE_LABELS
from api.providers import Bookings, Initiatives, Similar, Volunteers
from api.rendering import page
from api.schemas import PathId
from api.similar.page_context import elsewhere_context
from buurtbudget.places import service as places


class InitiativePage(Controller):
    include_in_schema = False

    @get("/initiatieven/{initiative_id:int}", operation_id="initiativePage", tags=["pages"])
    async def initiative(
        self,
        request: Request[Any, Any, Any],
        db_session: DbSession,
        initiatives: Initiatives,
        similar: Similar,
        bookings: Bookings,
        volunteers: Volunteers,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
    ) -> Template:
        initiative = await initiatives.get(actor, initiative_id)
        mine = initiative.initiator_of(actor.person_id, status=None)
        status = None if mine is None else mine.status
        return page(
            request,
            "initiative.html",
            initiative=await presenters.detail(initiatives, actor, initiative, locale),
            neighbourhood=await places.get_neighbourhood(db_session, initiative.neighbourhood_id),
            states=STATE_LABELS,
            invited=status == "invited",
            finds_help=status == "active" or await initiatives.supports(actor, initiative),
            saved=None,
            bookings=await bookings.for_initiative(actor, initiative_id),
            agreed_volunteers=await volunteers.agreed_names(actor, initiative_id, locale),
            **await elsewhere_context(similar, actor, initiative, locale),
        )
