"""JSON endpoints of a round's deliberation: discussion per initiative, advice, minutes."""

from litestar import Controller, get, post, put
from litestar.exceptions import NotAuthorizedException
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from api.dependencies import CurrentActor, DbSession
from api.guards import PUBLIC, requires_signed_in
from api.jury.deliberation_schemas import (
    AdviceIn,
    AdviceOut,
    DeliberationOut,
    MessageIn,
    MessageOut,
    MinutesIn,
    MinutesOut,
    ThreadOut,
)
from api.providers import Deliberations
from api.schemas import PathId
from buurtbudget.jury.deliberation import reading
from buurtbudget.jury.deliberation.errors import NotInDeliberation
from buurtbudget.jury.deliberation.models import Advice, DiscussionMessage, Minutes
from buurtbudget.jury.deliberation.service import DeliberationService
from buurtbudget.people.roles import Actor


class Presenter:
    """Turns rows into schemas, with the names of the people and their part in the round."""

    def __init__(self, session: AsyncSession, seats: dict[int, str]) -> None:
        self.session = session
        self.seats = seats
        self.names: dict[int, str] = {}

    async def load(self, person_ids: set[int]) -> "Presenter":
        self.names = await reading.names(self.session, person_ids)
        return self

    def message(self, message: DiscussionMessage) -> MessageOut:
        seat = self.seats.get(message.author_id)
        return MessageOut(
            id=message.id,
            initiative_id=message.initiative_id,
            author_id=message.author_id,
            author_name=self.names.get(message.author_id, ""),
            author_role="juror" if seat == "juror" else "reserve" if seat == "reserve" else "advisor",
            body=message.body,
            posted_at=message.posted_at,
        )

    def advice(self, advice: Advice) -> AdviceOut:
        return AdviceOut(
            id=advice.id,
            initiative_id=advice.initiative_id,
            advisor_id=advice.advisor_id,
            advisor_name=self.names.get(advice.advisor_id, ""),
            body=advice.body,
            written_at=advice.written_at,
            updated_at=advice.updated_at,
        )

    def minutes(self, minutes: Minutes) -> MinutesOut:
        return MinutesOut(
            id=minutes.id,
            held_on=minutes.held_on,
            body=minutes.body,
            written_by_name=self.names.get(minutes.written_by_id, ""),
            written_at=minutes.written_at,
        )


async def presenter(
    service: DeliberationService, session: AsyncSession, round_id: int, person_ids: set[int]
) -> Presenter:
    return await Presenter(session, await service.seats(round_id)).load(person_ids)


async def public_minutes(service: DeliberationService, actor: Actor, round_id: int) -> list[Minutes]:
    """Minutes are public once the round closes; before that an anonymous visitor is asked to sign in."""
    try:
        return await service.minutes(actor, round_id)
    except NotInDeliberation:
        if actor.person_id is None:
            raise NotAuthorizedException() from None
        raise


class DeliberationController(Controller):
    path = "/api/v1/rounds/{round_id:int}"
    tags = ["deliberation"]
    guards = [requires_signed_in]

    @get(
        "/deliberation",
        operation_id="getDeliberation",
        summary="Per initiative its discussion and advice, and the minutes (jury, advisors)",
    )
    async def deliberation(
        self, db_session: DbSession, deliberations: Deliberations, actor: CurrentActor, round_id: PathId
    ) -> DeliberationOut:
        messages = await deliberations.messages(actor, round_id)
        advice = await deliberations.advice(actor, round_id)
        minutes = await deliberations.minutes(actor, round_id)
        items = await reading.ballot(db_session, round_id)
        shown = await presenter(
            deliberations,
            db_session,
            round_id,
            {m.author_id for m in messages}
            | {a.advisor_id for a in advice}
            | {m.written_by_id for m in minutes},
        )
        return DeliberationOut(
            round_id=round_id,
            threads=[
                ThreadOut(
                    initiative_id=item.initiative.id,
                    messages=[shown.message(m) for m in messages if m.initiative_id == item.initiative.id],
                    advice=[shown.advice(a) for a in advice if a.initiative_id == item.initiative.id],
                )
                for item in items
            ],
            minutes=[shown.minutes(m) for m in minutes],
        )

    @get(
        "/initiatives/{initiative_id:int}/messages",
        operation_id="listDiscussionMessages",
        summary="The discussion of one initiative on the ballot, oldest first (jury, advisors)",
    )
    async def messages(
        self,
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        round_id: PathId,
        initiative_id: PathId,
    ) -> list[MessageOut]:
        found = await deliberations.messages(actor, round_id, initiative_id)
        shown = await presenter(deliberations, db_session, round_id, {m.author_id for m in found})
        return [shown.message(m) for m in found]

    @post(
        "/initiatives/{initiative_id:int}/messages",
        operation_id="postDiscussionMessage",
        summary="Add a message to an initiative's discussion while the round is open (jury, advisors)",
        status_code=HTTP_201_CREATED,
    )
    async def post_message(
        self,
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        round_id: PathId,
        initiative_id: PathId,
        data: JSONBody[MessageIn],
    ) -> MessageOut:
        message = await deliberations.post_message(actor, round_id, initiative_id, data.body)
        shown = await presenter(deliberations, db_session, round_id, {message.author_id})
        return shown.message(message)

    @get(
        "/initiatives/{initiative_id:int}/advice",
        operation_id="listAdvice",
        summary="The professionals' advice on one initiative (jury, advisors)",
    )
    async def advice(
        self,
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        round_id: PathId,
        initiative_id: PathId,
    ) -> list[AdviceOut]:
        found = await deliberations.advice(actor, round_id, initiative_id)
        shown = await presenter(deliberations, db_session, round_id, {a.advisor_id for a in found})
        return [shown.advice(a) for a in found]

    @put(
        "/initiatives/{initiative_id:int}/advice",
        operation_id="writeAdvice",
        summary="Write or change your advice on an initiative (advisors, brokers, municipality)",
        status_code=HTTP_200_OK,
    )
    async def write_advice(
        self,
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        round_id: PathId,
        initiative_id: PathId,
        data: JSONBody[AdviceIn],
    ) -> AdviceOut:
        advice = await deliberations.write_advice(actor, round_id, initiative_id, data.body)
        shown = await presenter(deliberations, db_session, round_id, {advice.advisor_id})
        return shown.advice(advice)

    @get(
        "/minutes",
        operation_id="listMinutes",
        summary="Minutes of the jury meetings: public once the round is closed, before that for the jury",
        opt=PUBLIC,
    )
    async def minutes(
        self, db_session: DbSession, deliberations: Deliberations, actor: CurrentActor, round_id: PathId
    ) -> list[MinutesOut]:
        found = await public_minutes(deliberations, actor, round_id)
        shown = await presenter(deliberations, db_session, round_id, {m.written_by_id for m in found})
        return [shown.minutes(m) for m in found]

    @post(
        "/minutes",
        operation_id="writeMinutes",
        summary="Attach the minutes of a jury meeting (municipality, brokers of the neighbourhood)",
        status_code=HTTP_201_CREATED,
    )
    async def write_minutes(
        self,
        db_session: DbSession,
        deliberations: Deliberations,
        actor: CurrentActor,
        round_id: PathId,
        data: JSONBody[MinutesIn],
    ) -> MinutesOut:
        minutes = await deliberations.write_minutes(actor, round_id, data.held_on, data.body)
        shown = await presenter(deliberations, db_session, round_id, {minutes.written_by_id})
        return shown.minutes(minutes)
