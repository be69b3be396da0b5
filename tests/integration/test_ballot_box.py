"""Ballots cast together: one transaction per batch, yet each voter's own answer, last ballot and audit."""

import asyncio
import logging
from datetime import timedelta

import pytest
from conftest import World
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from test_jury_rounds import NOW, jury_round, plan, ready_initiatives, residents

from buurtbudget.audit.models import AuditEntry
from buurtbudget.audit.service import verify_chain
from buurtbudget.db.base import utcnow
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from buurtbudget.jury.ballot_box import BallotBox
from buurtbudget.jury.ballots import BallotKind, BallotRules
from buurtbudget.jury.casting import BallotCast, cast_ballots
from buurtbudget.jury.errors import BallotOverLimit, NotOnBallot, RecusedFromInitiative
from buurtbudget.jury.models import CastBallot, Round
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people.roles import Actor, Grant, Role
from buurtbudget.people.verification_errors import NotVerified


async def open_round(session: AsyncSession, world: World, voters: int) -> tuple[int, list[int], list[Actor]]:
    """An open round on three initiatives of € 500, approvals of at most two, and its voting residents."""
    ids = await ready_initiatives(session, world, 3)
    actors = await residents(session, world, voters)
    round_ = await RoundService(session).open_round(
        world.actors["municipality_admin"], world.pot_id, plan(ids, mode="open")
    )
    return round_.id, ids, actors


async def stored(engine: AsyncEngine) -> dict[int, dict[str, int]]:
    async with create_session_factory(engine)() as fresh:
        rows = (await fresh.execute(select(CastBallot.voter_id, CastBallot.marks))).tuples().all()
    assert len(rows) == len({voter for voter, _ in rows}), "a voter has two ballots"
    return dict(rows)


async def ballot_entries(engine: AsyncEngine) -> int:
    async with create_session_factory(engine)() as fresh:
        verdict = await verify_chain(fresh)
        assert verdict.ok, verdict.reason
        count = await fresh.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "round.ballot_cast")
        )
    return count or 0


async def test_a_batch_keeps_each_voters_last_ballot_and_audits_every_cast(
    engine: AsyncEngine, session: AsyncSession, world: World
) -> None:
    round_id, ids, voters = await open_round(session, world, 3)
    first, second, third = voters
    casts = [
        BallotCast(first, round_id, {ids[0]: 1}, utcnow()),
        BallotCast(second, round_id, {ids[1]: 1, ids[2]: 1}, utcnow()),
        BallotCast(first, round_id, {ids[2]: 1}, utcnow()),  # changed in the same batch: this one counts
        BallotCast(third, round_id, {}, utcnow()),  # an empty ballot is a ballot
    ]
    async with create_session_factory(engine)() as own:
        assert await cast_ballots(own, casts) == [None, None, None, None]
    assert await stored(engine) == {
        first.person_id: {str(ids[2]): 1},
        second.person_id: {str(ids[1]): 1, str(ids[2]): 1},
        third.person_id: {},
    }
    assert await ballot_entries(engine) == 4


async def test_each_refusal_in_a_batch_is_its_own_and_stores_nothing_of_that_ballot(
    engine: AsyncEngine, session: AsyncSession, world: World
) -> None:
    round_id, ids, voters = await open_round(session, world, 2)
    closed = (
        await RoundService(session).open_round(
            world.actors["municipality_admin"],
            world.pot_id,
            plan(await ready_initiatives(session, world, 1), mode="open"),
        )
    ).id
    casts = [
        BallotCast(voters[0], round_id, {ids[0]: 1, ids[1]: 1, ids[2]: 1}, utcnow()),  # three of at most two
        BallotCast(world.actors["broker"], round_id, {ids[0]: 1}, utcnow()),  # advisors never vote
        BallotCast(world.actors["other_resident"], round_id, {ids[0]: 1}, utcnow()),  # lives elsewhere
        BallotCast(voters[1], round_id, {ids[0]: 1, 999_999: 1}, utcnow()),
        BallotCast(voters[1], 999_999, {ids[0]: 1}, utcnow()),
        BallotCast(voters[1], closed, {}, utcnow() + timedelta(days=8)),  # after voting closed
        BallotCast(voters[1], round_id, {ids[1]: 1}, utcnow()),  # the one good ballot
    ]
    async with create_session_factory(engine)() as own:
        outcomes = await cast_ballots(own, casts)
    kinds = [type(outcome) for outcome in outcomes]
    assert kinds == [BallotOverLimit, NotAllowed, NotVerified, NotOnBallot, NotFound, Conflict, type(None)]
    assert await stored(engine) == {voters[1].person_id: {str(ids[1]): 1}}
    assert await ballot_entries(engine) == 1


async def test_the_box_answers_every_concurrent_caller_with_its_own_outcome(
    engine: AsyncEngine, session: AsyncSession, world: World
) -> None:
    round_id, ids, voters = await open_round(session, world, 30)
    box = BallotBox(create_session_factory(engine))

    async def vote(number: int) -> DomainError | None:
        marks = {ids[0]: 1, ids[1]: 1, ids[2]: 1} if number % 7 == 0 else {ids[number % 3]: 1}
        try:
            await box.cast(BallotCast(voters[number % len(voters)], round_id, marks, utcnow()))
        except DomainError as refused:
            return refused
        return None

    outcomes = await asyncio.gather(*(vote(number) for number in range(90)))
    for number, outcome in enumerate(outcomes):
        assert isinstance(outcome, BallotOverLimit) if number % 7 == 0 else outcome is None, number
    ballots = await stored(engine)
    # Each voter sent three ballots (numbers n, n+30, n+60); the last one the box took is kept.
    for index, voter in enumerate(voters):
        kept = next(n for n in (index + 60, index + 30, index) if n % 7)
        assert ballots[voter.person_id] == {str(ids[kept % 3]): 1}, index
    assert await ballot_entries(engine) == sum(1 for outcome in outcomes if outcome is None)


async def test_a_batch_that_fails_as_a_whole_is_cast_one_by_one(
    engine: AsyncEngine, session: AsyncSession, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A voter whose person was removed after signing in breaks the batch's insert; the others are kept."""
    round_id, ids, voters = await open_round(session, world, 4)
    gone = Actor(person_id=999_999, grants=frozenset({Grant(Role.RESIDENT, world.zuilen_id)}))
    box = BallotBox(create_session_factory(engine))
    casting = [box.cast(BallotCast(voter, round_id, {ids[0]: 1}, utcnow())) for voter in [*voters[:2], gone]]
    casting += [box.cast(BallotCast(voter, round_id, {ids[1]: 1}, utcnow())) for voter in voters[2:]]
    with caplog.at_level(logging.WARNING, logger="buurtbudget.jury.ballot_box"):
        outcomes = await asyncio.gather(*casting, return_exceptions=True)
    assert "a batch of 5 ballots failed; casting them one by one" in caplog.messages
    assert outcomes[:2] + outcomes[3:] == [None] * 4
    assert isinstance(outcomes[2], Exception)
    assert not isinstance(outcomes[2], DomainError)  # the database's refusal, not a rule's
    assert await stored(engine) == {
        **{voter.person_id: {str(ids[0]): 1} for voter in voters[:2]},
        **{voter.person_id: {str(ids[1]): 1} for voter in voters[2:]},
    }
    assert await ballot_entries(engine) == 4


async def test_two_workers_boxes_casting_the_same_voters_at_once_keep_one_ballot_each(
    session: AsyncSession, world: World, database_url: str
) -> None:
    """Two processes' boxes upsert the same voters in opposite order: no deadlock, no doubles."""
    round_id, ids, voters = await open_round(session, world, 40)
    engines = [create_engine(database_url) for _ in range(2)]
    boxes = [BallotBox(create_session_factory(engine)) for engine in engines]

    async def worker(box: BallotBox, order: list[Actor], initiative: int) -> None:
        for _ in range(3):
            await asyncio.gather(
                *(box.cast(BallotCast(voter, round_id, {initiative: 1}, utcnow())) for voter in order)
            )

    await asyncio.gather(worker(boxes[0], voters, ids[0]), worker(boxes[1], voters[::-1], ids[1]))
    ballots = await stored(engines[0])
    assert set(ballots) == {voter.person_id for voter in voters}
    assert all(marks in ({str(ids[0]): 1}, {str(ids[1]): 1}) for marks in ballots.values())
    assert await ballot_entries(engines[0]) == 2 * 3 * 40
    for engine in engines:
        await engine.dispose()


async def test_a_jury_rounds_batch_lets_only_its_jurors_vote(
    engine: AsyncEngine, session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    await RoundService(session).declare_conflict(jurors[1], round_id, ids[0])
    outsider = (await residents(session, world, 13))[-1]  # a resident who was not drawn
    casts = [
        BallotCast(jurors[0], round_id, {ids[0]: 1}, utcnow()),
        BallotCast(jurors[1], round_id, {ids[0]: 1}, utcnow()),
        BallotCast(outsider, round_id, {ids[0]: 1}, utcnow()),
        BallotCast(jurors[2], round_id, {ids[1]: 1}, NOW - timedelta(days=1)),  # before voting opened
    ]
    async with create_session_factory(engine)() as own:
        outcomes = await cast_ballots(own, casts)
    assert [type(outcome) for outcome in outcomes] == [
        type(None),
        RecusedFromInitiative,
        NotAllowed,
        Conflict,
    ]
    assert await stored(engine) == {jurors[0].person_id: {str(ids[0]): 1}}


async def test_score_rules_are_checked_per_ballot_in_a_batch(
    engine: AsyncEngine, session: AsyncSession, world: World
) -> None:
    ids = await ready_initiatives(session, world, 2)
    voters = await residents(session, world, 2)
    rules = BallotRules(BallotKind.SCORE, max_score=5)
    round_id = (
        await RoundService(session).open_round(
            world.actors["municipality_admin"], world.pot_id, plan(ids, mode="open", rules=rules)
        )
    ).id
    casts = [
        BallotCast(voters[0], round_id, {ids[0]: 6}, utcnow()),
        BallotCast(voters[1], round_id, {ids[0]: 5, ids[1]: 0}, utcnow()),
    ]
    async with create_session_factory(engine)() as own:
        outcomes = await cast_ballots(own, casts)
    assert isinstance(outcomes[0], InvalidInput)
    assert outcomes[0].field == f"marks.{ids[0]}"
    assert outcomes[1] is None
    assert await stored(engine) == {voters[1].person_id: {str(ids[0]): 5}}


async def test_a_caller_that_goes_away_leaves_its_batch_alone(
    engine: AsyncEngine, session: AsyncSession, world: World
) -> None:
    """As with any request whose connection drops: its ballot may still be cast; the others' surely are."""
    round_id, ids, voters = await open_round(session, world, 3)
    box = BallotBox(create_session_factory(engine))
    casting = [asyncio.create_task(box.cast(BallotCast(v, round_id, {ids[0]: 1}, utcnow()))) for v in voters]
    await asyncio.sleep(0)  # all three are waiting for the batch
    casting[1].cancel()
    outcomes = await asyncio.gather(*casting, return_exceptions=True)
    assert outcomes[0] is None
    assert isinstance(outcomes[1], asyncio.CancelledError)
    assert outcomes[2] is None
    assert set(await stored(engine)) == {voter.person_id for voter in voters}
    assert await ballot_entries(engine) == 3


async def test_ballots_cast_while_the_round_closes_are_in_its_tally_or_refused(
    engine: AsyncEngine, session: AsyncSession, world: World, database_url: str
) -> None:
    """Ballots are frozen at close: no ballot is stored after the tally read them, none is lost."""
    round_id, ids, voters = await open_round(session, world, 31)
    first, voters = voters[0], voters[1:]
    await RoundService(session).cast_ballot(first, round_id, {ids[0]: 1})  # the round's quorum of one
    racing = create_engine(database_url)
    sessions = create_session_factory(racing)
    box = BallotBox(sessions)

    async def vote(voter: Actor) -> bool:
        if voter is voters[len(voters) // 2]:  # half the voters are on their way when closing starts
            await close()
        try:
            await box.cast(BallotCast(voter, round_id, {ids[0]: 1}, utcnow()))
        except Conflict:
            return False
        return True

    async def close() -> None:
        async with sessions() as own:
            await RoundService(own).close_round(
                world.actors["municipality_admin"], round_id, reason="Alle juryleden hebben gestemd"
            )

    accepted = await asyncio.gather(*(vote(voter) for voter in voters))
    await racing.dispose()
    async with create_session_factory(engine)() as fresh:
        closed = await fresh.get(Round, round_id)
    assert closed is not None
    assert closed.result is not None
    stored_ballots = len(await stored(engine))
    assert stored_ballots == 1 + sum(accepted)
    assert closed.result.votes_of(ids[0]) == stored_ballots  # the tally saw every stored ballot
