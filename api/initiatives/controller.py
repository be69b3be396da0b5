"""JSON endpoints for initiatives under /api/v1/initiatives."""

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from api.dependencies import CurrentActor, Locale
from api.guards import PUBLIC, requires_signed_in
from api.initiatives import presenters
from api.initiatives.schemas import (
    CoInitiatorIn,
    InitiativeCreate,
    InitiativeOut,
    InitiativePage,
    InitiativeUpdate,
    InitiatorCreated,
    TransitionIn,
)
from api.providers import Initiatives
from api.schemas import PathId, QueryId
from buurtbudget.initiatives.lifecycle import State
from buurtbudget.initiatives.rules import CostLineInput, DraftContent, SpaceNeedInput, VolunteerNeedInput
from buurtbudget.initiatives.service import InitiativeFilter


def _content(data: JSONBody[InitiativeCreate] | InitiativeUpdate) -> DraftContent:
    return DraftContent(
        title=data.title,
        summary=data.summary,
        themes=data.themes,
        cost_lines=None
        if data.cost_lines is None
        else [CostLineInput(c.description, c.amount_cents, c.essential) for c in data.cost_lines],
        volunteer_needs=None
        if data.volunteer_needs is None
        else [VolunteerNeedInput(v.skill, v.hours) for v in data.volunteer_needs],
        space_needs=None
        if data.space_needs is None
        else [SpaceNeedInput(s.description, s.capacity, s.starts_at, s.ends_at) for s in data.space_needs],
    )


class InitiativeController(Controller):
    path = "/api/v1/initiatives"
    tags = ["initiatives"]
    guards = [requires_signed_in]

    @get(
        "/",
        operation_id="listInitiatives",
        summary="Initiatives you may see, filtered and paginated",
        opt=PUBLIC,
    )
    async def list_initiatives(
        self,
        initiatives: Initiatives,
        actor: CurrentActor,
        locale: Locale,
        neighbourhood_id: QueryId = None,
        state_filter: Annotated[State | None, QueryParameter(name="state")] = None,
        theme: Annotated[str | None, QueryParameter(max_length=80)] = None,
        q: Annotated[
            str | None, QueryParameter(max_length=100, description="Words in the title or story")
        ] = None,
        mine: FromQuery[bool] = False,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
        per_page: Annotated[int, QueryParameter(ge=1, le=100)] = 20,
    ) -> InitiativePage:
        result = await initiatives.search(
            actor,
            InitiativeFilter(
                neighbourhood_id=neighbourhood_id,
                state=state_filter,
                theme=theme,
                text=q,
                mine=mine and actor.signed_in,
                page=page,
                per_page=per_page,
            ),
        )
        return InitiativePage(
            items=[presenters.summary(i, locale) for i in result.items],
            total=result.total,
            page=page,
            per_page=per_page,
        )

    @post(
        "/",
        operation_id="createInitiative",
        summary="Start a draft (a broker may draft for a resident)",
        status_code=HTTP_201_CREATED,
    )
    async def create_initiative(
        self, initiatives: Initiatives, actor: CurrentActor, locale: Locale, data: JSONBody[InitiativeCreate]
    ) -> InitiativeOut:
        initiative = await initiatives.create_draft(
            actor, data.neighbourhood_id, _content(data), on_behalf_of=data.on_behalf_of
        )
        return await presenters.detail(initiatives, actor, initiative, locale)

    @get(
        "/{initiative_id:int}",
        operation_id="getInitiative",
        summary="One initiative with its timeline",
        opt=PUBLIC,
    )
    async def get_initiative(
        self, initiatives: Initiatives, actor: CurrentActor, locale: Locale, initiative_id: PathId
    ) -> InitiativeOut:
        initiative = await initiatives.get(actor, initiative_id)
        return await presenters.detail(initiatives, actor, initiative, locale)

    @patch(
        "/{initiative_id:int}",
        operation_id="updateInitiative",
        summary="Change a draft",
    )
    async def update_initiative(
        self,
        initiatives: Initiatives,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
        data: JSONBody[InitiativeUpdate],
    ) -> InitiativeOut:
        initiative = await initiatives.update_draft(actor, initiative_id, _content(data))
        return await presenters.detail(initiatives, actor, initiative, locale)

    @post(
        "/{initiative_id:int}/co-initiators",
        operation_id="inviteCoInitiator",
        summary="Invite another resident to own the initiative too",
        status_code=HTTP_201_CREATED,
    )
    async def invite_co_initiator(
        self,
        initiatives: Initiatives,
        actor: CurrentActor,
        initiative_id: PathId,
        data: JSONBody[CoInitiatorIn],
    ) -> InitiatorCreated:
        initiator = await initiatives.invite_co_initiator(actor, initiative_id, data.email)
        return InitiatorCreated(
            initiative_id=initiative_id, person_id=initiator.person_id, status=initiator.status
        )

    @post(
        "/{initiative_id:int}/co-initiators/accept",
        operation_id="acceptCoInitiatorInvitation",
        summary="Accept your invitation to co-own the initiative",
        status_code=HTTP_200_OK,
    )
    async def accept_invitation(
        self, initiatives: Initiatives, actor: CurrentActor, locale: Locale, initiative_id: PathId
    ) -> InitiativeOut:
        initiative = await initiatives.accept_invitation(actor, initiative_id)
        return await presenters.detail(initiatives, actor, initiative, locale)

    @post(
        "/{initiative_id:int}/transitions",
        operation_id="transitionInitiative",
        summary="Take a lifecycle step: submit, withdraw, start_review, mark_ready, return_to_draft ...",
        status_code=HTTP_200_OK,
    )
    async def transition(
        self,
        initiatives: Initiatives,
        actor: CurrentActor,
        locale: Locale,
        initiative_id: PathId,
        data: JSONBody[TransitionIn],
    ) -> InitiativeOut:
        initiative = await initiatives.act(actor, initiative_id, data.action)
        return await presenters.detail(initiatives, actor, initiative, locale)
