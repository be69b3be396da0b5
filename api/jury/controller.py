"""JSON endpoints for rounds under /api/v1: open, draw the jury, vote, close, read the published result."""

from litestar import Controller, delete, get, post, put
from litestar.params import JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.dependencies import AppBallotBox, CurrentActor, DbSession
from api.guards import PUBLIC, requires_signed_in
from api.jury.schemas import (
    BallotIn,
    CancelIn,
    CloseIn,
    ConflictIn,
    DrawIn,
    DrawOut,
    ExtendIn,
    GrantAnswerIn,
    GrantOut,
    PoolMemberOut,
    PublishedDrawOut,
    QuotaOut,
    RoundIn,
    RoundOut,
    VolunteerIn,
)
from api.providers import Grants, Initiatives, JuryPool, Rounds
from api.schemas import PathId
from buurtbudget.db.base import utcnow
from buurtbudget.errors import NotFound
from buurtbudget.jury import drawing
from buurtbudget.jury.ballots import BallotRules
from buurtbudget.jury.casting import BallotCast
from buurtbudget.jury.models import Grant, JuryDraw, Round, RoundInitiative
from buurtbudget.jury.rounds import RoundPlan, RoundService
from buurtbudget.jury.sortition import Quota


def present_grant(grant: Grant) -> GrantOut:
    return GrantOut(
        round_id=grant.round_id,
        initiative_id=grant.initiative_id,
        asked_cents=grant.asked_cents,
        granted_cents=grant.granted_cents,
        partial=grant.partial,
        answer=grant.answer,
        answered_at=grant.answered_at,
    )


async def present(rounds: RoundService, session: AsyncSession, round_: Round) -> RoundOut:
    ids = list(
        (
            await session.execute(
                select(RoundInitiative.initiative_id)
                .where(RoundInitiative.round_id == round_.id)
                .order_by(RoundInitiative.initiative_id)
            )
        ).scalars()
    )
    committed = await session.get(JuryDraw, round_.id)
    return RoundOut(
        id=round_.id,
        pot_id=round_.pot_id,
        name=round_.name,
        mode=round_.mode,
        state=round_.state,
        amount_cents=round_.amount_cents,
        ballot_kind=round_.ballot_kind,
        max_approvals=round_.max_approvals,
        max_total_cents=round_.max_total_cents,
        max_score=round_.max_score,
        points=round_.points,
        rule=round_.rule,
        tie_break=round_.tie_break,
        seed=round_.seed,
        voting_opens_at=round_.voting_opens_at,
        voting_closes_at=round_.voting_closes_at,
        track=round_.track,
        partial_grants=round_.partial_grants,
        deliberation_opens_at=round_.deliberation_opens_at,
        decision_due_on=round_.decision_due_on,
        initiative_ids=ids,
        result=None if round_.result is None else round_.result.to_stored(),
        quorum=await rounds.quorum(round_),
        min_support=round_.min_support,
        seats=round_.seats,
        early_close_reason=round_.early_close_reason,
        cancel_reason=round_.cancel_reason,
        ended_at=round_.ended_at,
        draw_seed_hash=None if committed is None else committed.seed_hash,
        draw_seed=None if committed is None or committed.drawn_at is None else committed.seed,
    )


def present_draw(published: drawing.PublishedDraw) -> PublishedDrawOut:
    """The committed draw as anyone sees it, with whether recomputing it gives the published one."""
    return PublishedDrawOut(
        round_id=published.round_id,
        seats=published.seats,
        reserves=published.reserves,
        quotas=[
            QuotaOut(category=q.category, value=q.value, minimum=q.minimum, maximum=q.maximum)
            for q in published.quotas
        ],
        seed_hash=published.seed_hash,
        seed=published.seed,
        frozen_at=published.frozen_at,
        drawn_at=published.drawn_at,
        pool=[PoolMemberOut(pseudonym=c.id, attributes=dict(c.attributes)) for c in published.pool],
        jurors=list(published.jurors),
        reserves_drawn=list(published.reserves_drawn),
        verified=None if published.seed is None else drawing.verify(published).ok,
    )


async def _present_by_id(rounds: RoundService, session: AsyncSession, round_id: int) -> RoundOut:
    round_ = await session.get(Round, round_id)
    if round_ is None:
        raise NotFound("no such round", round_id=round_id)
    return await present(rounds, session, round_)


class RoundController(Controller):
    path = "/api/v1"
    tags = ["rounds"]
    guards = [requires_signed_in]

    @post(
        "/pots/{pot_id:int}/rounds",
        operation_id="openRound",
        summary="Open a round on ready initiatives; its amount is reserved in the pot (municipality)",
        status_code=HTTP_201_CREATED,
    )
    async def open_round(
        self,
        db_session: DbSession,
        rounds: Rounds,
        actor: CurrentActor,
        pot_id: PathId,
        data: JSONBody[RoundIn],
    ) -> RoundOut:
        plan = RoundPlan(
            name=data.name,
            mode=data.mode,
            amount_cents=data.amount_cents,
            initiative_ids=list(data.initiative_ids),
            rules=BallotRules(
                data.ballot_kind, data.max_approvals, data.max_total_cents, data.max_score, data.points
            ),
            rule=data.rule,
            tie_break=data.tie_break,
            voting_opens_at=data.voting_opens_at,
            voting_closes_at=data.voting_closes_at,
            track=data.track,
            partial_grants=data.partial_grants,
            deliberation_opens_at=data.deliberation_opens_at,
            decision_due_on=data.decision_due_on,
            quorum=data.quorum,
            min_support=data.min_support,
            seats=data.seats,
        )
        round_ = await rounds.open_round(actor, pot_id, plan)
        return await present(rounds, db_session, round_)

    @get(
        "/rounds/{round_id:int}",
        operation_id="getRound",
        summary="A round, with its published result once closed",
        opt=PUBLIC,
    )
    async def get_round(self, db_session: DbSession, rounds: Rounds, round_id: PathId) -> RoundOut:
        round_ = await db_session.get(Round, round_id)
        if round_ is None:
            raise NotFound("no such round", round_id=round_id)
        return await present(rounds, db_session, round_)

    @post(
        "/rounds/{round_id:int}/pool",
        operation_id="freezePool",
        summary="Freeze the jury pool, seats and quotas; publishes the hash of the draw's secret seed "
        "(municipality)",
        status_code=HTTP_201_CREATED,
    )
    async def freeze_pool(
        self, rounds: Rounds, actor: CurrentActor, round_id: PathId, data: JSONBody[DrawIn]
    ) -> PublishedDrawOut:
        frozen = await rounds.freeze_pool(
            actor,
            round_id,
            seats=data.seats,
            reserves=data.reserves,
            quotas=[Quota(q.category, q.value, q.minimum, q.maximum) for q in data.quotas],
        )
        return present_draw(frozen)

    @get(
        "/rounds/{round_id:int}/draw",
        operation_id="getDraw",
        summary="The committed draw: frozen pool (pseudonyms), quotas, seed hash; the seed once drawn",
        opt=PUBLIC,
    )
    async def get_draw(self, db_session: DbSession, round_id: PathId) -> PublishedDrawOut:
        published = await drawing.published(db_session, round_id)
        if published is None:
            raise NotFound("this round's pool has not been frozen yet", round_id=round_id)
        return present_draw(published)

    @post(
        "/rounds/{round_id:int}/jury",
        operation_id="drawJury",
        summary="Draw the jury from the frozen pool with the committed seed, revealing it (municipality)",
        status_code=HTTP_201_CREATED,
    )
    async def draw_jury(
        self,
        rounds: Rounds,
        actor: CurrentActor,
        round_id: PathId,
    ) -> DrawOut:
        result = await rounds.draw_jury(actor, round_id)
        return DrawOut(
            seed=result.seed,
            order=list(result.order),
            jurors=list(result.jurors),
            reserves=list(result.reserves),
        )

    @put(
        "/neighbourhoods/{neighbourhood_id:int}/jury-volunteer",
        operation_id="volunteerForJury",
        summary="Offer to serve on the neighbourhood's jury (residents)",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def volunteer(
        self,
        rounds: Rounds,
        actor: CurrentActor,
        neighbourhood_id: PathId,
        data: JSONBody[VolunteerIn],
    ) -> None:
        await rounds.volunteer(actor, neighbourhood_id, dict(data.attributes))

    @delete(
        "/neighbourhoods/{neighbourhood_id:int}/jury-volunteer",
        operation_id="withdrawFromJuryPool",
        summary="Leave the neighbourhood's jury pool (rounds already frozen keep their snapshot)",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def withdraw(self, jury_pool: JuryPool, actor: CurrentActor, neighbourhood_id: PathId) -> None:
        await jury_pool.withdraw(actor, neighbourhood_id)

    @post(
        "/rounds/{round_id:int}/conflicts",
        operation_id="declareConflict",
        summary="Declare a conflict of interest with an initiative on the ballot (jurors)",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def declare_conflict(
        self, rounds: Rounds, actor: CurrentActor, round_id: PathId, data: JSONBody[ConflictIn]
    ) -> None:
        # A mark the juror gave it is removed; the juror is mailed through the outbox.
        await rounds.declare_conflict(actor, round_id, data.initiative_id)

    @put(
        "/rounds/{round_id:int}/ballot",
        operation_id="castBallot",
        summary="Cast or change your ballot while voting is open (jurors, or residents in an open round)",
        status_code=HTTP_204_NO_CONTENT,
    )
    async def cast_ballot(
        self,
        db_session: DbSession,
        actor: CurrentActor,
        ballot_box: AppBallotBox,
        round_id: PathId,
        data: JSONBody[BallotIn],
    ) -> None:
        # The actor is read: end that read, so this request holds no connection while its ballot waits
        # for the box's batch (and, on SQLite, not the one writer's lock the batch needs).
        await db_session.rollback()
        await ballot_box.cast(BallotCast(actor, round_id, dict(data.marks), utcnow()))

    @post(
        "/rounds/{round_id:int}/close",
        operation_id="closeRound",
        summary="Close voting, tally the frozen ballots, record the decisions and pay out; before the "
        "published closing time only with a reason (municipality)",
        status_code=HTTP_200_OK,
    )
    async def close_round(
        self,
        db_session: DbSession,
        rounds: Rounds,
        actor: CurrentActor,
        round_id: PathId,
        data: JSONBody[CloseIn | None] = None,
    ) -> RoundOut:
        reason = None if data is None else data.reason
        await rounds.close_round(actor, round_id, reason=reason)
        return await _present_by_id(rounds, db_session, round_id)

    @post(
        "/rounds/{round_id:int}/extend",
        operation_id="extendRound",
        summary="Move the closing time of an open round later, e.g. below its quorum (municipality)",
        status_code=HTTP_200_OK,
    )
    async def extend_round(
        self,
        db_session: DbSession,
        rounds: Rounds,
        actor: CurrentActor,
        round_id: PathId,
        data: JSONBody[ExtendIn],
    ) -> RoundOut:
        await rounds.extend(actor, round_id, data.voting_closes_at)
        return await _present_by_id(rounds, db_session, round_id)

    @post(
        "/rounds/{round_id:int}/cancel",
        operation_id="cancelRound",
        summary="Cancel an open round with a reason: its money back to the pot, its initiatives ready "
        "for another round; jurors and initiators are told (municipality)",
        status_code=HTTP_200_OK,
    )
    async def cancel_round(
        self,
        db_session: DbSession,
        rounds: Rounds,
        actor: CurrentActor,
        round_id: PathId,
        data: JSONBody[CancelIn],
    ) -> RoundOut:
        await rounds.cancel(actor, round_id, data.reason)  # everyone is told (outbox)
        return await _present_by_id(rounds, db_session, round_id)

    @get(
        "/initiatives/{initiative_id:int}/grants",
        operation_id="listGrants",
        summary="What rounds granted an initiative, in full or partly, and the initiators' answer",
        opt=PUBLIC,
    )
    async def list_grants(
        self, initiatives: Initiatives, grants: Grants, actor: CurrentActor, initiative_id: PathId
    ) -> list[GrantOut]:
        await initiatives.get(actor, initiative_id)
        return [present_grant(g) for g in await grants.grants_of(initiative_id)]

    @put(
        "/initiatives/{initiative_id:int}/grant-answer",
        operation_id="answerPartialGrant",
        summary="Accept or decline a partial grant; declined money returns to the pot (initiators)",
    )
    async def answer_grant(
        self, grants: Grants, actor: CurrentActor, initiative_id: PathId, data: JSONBody[GrantAnswerIn]
    ) -> GrantOut:
        grant = await grants.answer(actor, initiative_id, accept=data.accept)
        return present_grant(grant)
