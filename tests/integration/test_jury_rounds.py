"""Jury rounds: money reserved on opening, a drawn jury, one frozen ballot per juror, a reproducible tally."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from conftest import World, new_initiatives
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from buurtbudget.audit.service import verify_chain
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed
from buurtbudget.i18n import gettext
from buurtbudget.initiatives.lifecycle import Action, State
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.rules import DraftContent, VolunteerNeedInput
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.allocation import Rule, TieBreak
from buurtbudget.jury.ballots import BallotKind, BallotRules
from buurtbudget.jury.casting import JUROR_NOT_VERIFIED
from buurtbudget.jury.errors import BallotOverLimit, RecusedFromInitiative
from buurtbudget.jury.models import CastBallot, Juror, Recusal, Round
from buurtbudget.jury.rounds import RoundPlan, RoundService, tally
from buurtbudget.jury.sortition import Quota
from buurtbudget.people import service as people
from buurtbudget.people.models import Person
from buurtbudget.people.roles import Actor, Grant, Role
from buurtbudget.people.verification import VerificationService, ensure_verified
from buurtbudget.people.verification_errors import NotVerified
from buurtbudget.pots.service import PotService
from buurtbudget.volunteers.models import VolunteerMatch, VolunteerProfile

NOW = datetime.now(UTC)


async def ready_initiatives(
    session: AsyncSession, world: World, count: int, *, volunteers_needed: bool = False
) -> list[int]:
    """Initiatives of € 500 each, taken through intake and review to 'ready for the jury' (asking a
    volunteer who cooks, when `volunteers_needed`)."""
    ids = await new_initiatives(session, world, count)
    service = InitiativeService(session)
    for initiative_id in ids:
        if volunteers_needed:
            need = DraftContent(volunteer_needs=[VolunteerNeedInput("kookles", 10)], themes=["eten"])
            await service.update_draft(world.actors["resident"], initiative_id, need)
        await service.act(world.actors["resident"], initiative_id, Action.SUBMIT)
        await service.act(world.actors["broker"], initiative_id, Action.START_REVIEW)
        await service.act(world.actors["broker"], initiative_id, Action.MARK_READY)
    return ids


async def residents(session: AsyncSession, world: World, count: int) -> list[Actor]:
    actors = []
    async with transaction(session):
        for number in range(count):
            person = await people.get_or_create(session, f"jurylid{number}@example.org", actor_id=None)
            await ensure_verified(session, person, world.zuilen_id)
            actors.append(people.actor_for(person))
    return actors


def plan(
    ids: list[int], *, mode: str = "jury", amount: int = 1_000_00, rules: BallotRules | None = None
) -> RoundPlan:
    return RoundPlan(
        name="Voorjaarsronde",
        mode=mode,
        amount_cents=amount,
        initiative_ids=ids,
        rules=rules or BallotRules(BallotKind.APPROVAL, max_approvals=2),
        rule=Rule.GREEDY,
        tie_break=TieBreak.LEXICOGRAPHIC,
        voting_opens_at=NOW - timedelta(hours=1),
        voting_closes_at=NOW + timedelta(days=7),
        quorum=1,  # these rounds are decided with a single ballot; the default quorum is tested apart
    )


async def jury_round(
    session: AsyncSession, world: World, initiatives: int = 3
) -> tuple[Round, list[int], list[Actor]]:
    ids = await ready_initiatives(session, world, initiatives)
    pool = await residents(session, world, 12)
    service = RoundService(session)
    for number, actor in enumerate(pool):
        await service.volunteer(actor, world.zuilen_id, {"gender": "vrouw" if number % 2 else "man"})
    round_id = (await service.open_round(world.actors["municipality_admin"], world.pot_id, plan(ids))).id
    await service.freeze_pool(
        world.actors["municipality_admin"],
        round_id,
        seats=5,
        quotas=[Quota("gender", "vrouw", 2, 3), Quota("gender", "man", 2, 3)],
        reserves=2,
    )
    drawn = await service.draw_jury(world.actors["municipality_admin"], round_id)
    by_id = {str(actor.person_id): actor for actor in pool}
    return round_id, ids, [by_id[j] for j in drawn.jurors]


async def test_opening_a_round_reserves_its_amount(session: AsyncSession, world: World) -> None:
    ids = await ready_initiatives(session, world, 2)
    round_ = await RoundService(session).open_round(
        world.actors["municipality_admin"], world.pot_id, plan(ids)
    )
    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert summary.reserved_cents == 1_000_00
    assert summary.available_cents == 9_000_00
    assert len(round_.seed) == 32  # published with the round


@pytest.mark.parametrize("who", ["broker", "juror", "resident", "other_municipality_admin"])
async def test_only_the_municipality_opens_rounds(session: AsyncSession, world: World, who: str) -> None:
    ids = await ready_initiatives(session, world, 1)
    with pytest.raises(NotAllowed):
        await RoundService(session).open_round(world.actors[who], world.pot_id, plan(ids))


async def test_only_ready_initiatives_go_on_the_ballot(session: AsyncSession, world: World) -> None:
    [draft] = await new_initiatives(session, world, 1)
    with pytest.raises(InvalidInput) as caught:
        await RoundService(session).open_round(
            world.actors["municipality_admin"], world.pot_id, plan([draft])
        )
    assert caught.value.field == "initiative_ids"
    assert await session.scalar(select(func.count()).select_from(Round)) == 0


async def test_jurors_vote_once_and_may_change_their_ballot_until_the_round_closes(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    service = RoundService(session)
    await service.cast_ballot(jurors[0], round_id, {ids[0]: 1})
    await service.cast_ballot(jurors[0], round_id, {ids[1]: 1, ids[2]: 1})
    assert await service.ballots(round_id) == [{ids[1]: 1, ids[2]: 1}]


async def test_who_may_not_vote_and_what_a_ballot_may_not_hold(session: AsyncSession, world: World) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    service = RoundService(session)
    for who in ("advisor", "broker", "other_resident", "municipality_admin"):
        with pytest.raises(NotAllowed):
            await service.cast_ballot(world.actors[who], round_id, {ids[0]: 1})
    with pytest.raises(BallotOverLimit):
        await service.cast_ballot(jurors[0], round_id, {ids[0]: 1, ids[1]: 1, ids[2]: 1})
    await service.declare_conflict(jurors[1], round_id, ids[0])
    with pytest.raises(RecusedFromInitiative):
        await service.cast_ballot(jurors[1], round_id, {ids[0]: 1})
    with pytest.raises(Conflict):
        await service.cast_ballot(jurors[2], round_id, {ids[0]: 1}, now=NOW + timedelta(days=8))
    assert await session.scalar(select(func.count()).select_from(CastBallot)) == 0


async def test_a_juror_who_is_also_an_advisor_does_not_vote(session: AsyncSession, world: World) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    async with transaction(session):
        person = await session.get(Person, jurors[0].person_id)
        assert person is not None
        await people.assign_role(session, person, Grant(Role.ADVISOR, world.zuilen_id), actor_id=None)
    person = await people.get_person(session, jurors[0].person_id)
    with pytest.raises(NotAllowed) as refused:
        await RoundService(session).cast_ballot(people.actor_for(person), round_id, {ids[0]: 1})
    assert refused.value.message == "advisors advise and never vote"
    assert await session.scalar(select(func.count()).select_from(CastBallot)) == 0


async def test_only_jurors_and_reserves_declare_conflicts(session: AsyncSession, world: World) -> None:
    round_id, ids, _jurors = await jury_round(session, world)
    service = RoundService(session)
    for who in ("advisor", "broker", "resident", "other_resident", "municipality_admin"):
        with pytest.raises(NotAllowed):
            await service.declare_conflict(world.actors[who], round_id, ids[0])
    assert await session.scalar(select(func.count()).select_from(Recusal)) == 0
    reserve_id = await session.scalar(select(Juror.person_id).where(Juror.seat == "reserve").limit(1))
    person = await session.get(Person, reserve_id)
    assert person is not None
    reserve = people.actor_for(person)
    await service.declare_conflict(reserve, round_id, ids[0])
    assert await session.scalar(select(func.count()).select_from(Recusal)) == 1


async def test_a_juror_who_owns_an_initiative_is_recused_from_it(session: AsyncSession, world: World) -> None:
    ids = await ready_initiatives(session, world, 2)
    service = RoundService(session)
    await service.volunteer(world.actors["resident"], world.zuilen_id, {})
    round_id = (await service.open_round(world.actors["municipality_admin"], world.pot_id, plan(ids))).id
    await service.freeze_pool(world.actors["municipality_admin"], round_id, seats=1, quotas=[])
    drawn = await service.draw_jury(world.actors["municipality_admin"], round_id)
    assert drawn.jurors == (str(world.actors["resident"].person_id),)
    with pytest.raises(RecusedFromInitiative):
        await service.cast_ballot(world.actors["resident"], round_id, {ids[0]: 1})


async def test_a_juror_who_volunteers_for_an_initiative_is_recused_from_it(
    session: AsyncSession, world: World
) -> None:
    ids = await ready_initiatives(session, world, 2)
    [helper] = await residents(session, world, 1)
    async with transaction(session):  # the helper and the first initiative agreed on volunteering
        profile = VolunteerProfile(
            person_id=helper.person_id,
            pseudonym="helper01",
            neighbourhood_id=world.zuilen_id,
            skills=[],
            themes=[],
            weekly=[],
            dated=[],
            consent=True,
        )
        session.add(profile)
        await session.flush()
        session.add(
            VolunteerMatch(
                profile_id=profile.id,
                initiative_id=ids[0],
                origin="offer",
                volunteer_answer="accepted",
                initiative_answer="accepted",
                status="agreed",
                reasons=[],
            )
        )
    service = RoundService(session)
    await service.volunteer(helper, world.zuilen_id, {})
    round_id = (await service.open_round(world.actors["municipality_admin"], world.pot_id, plan(ids))).id
    await service.freeze_pool(world.actors["municipality_admin"], round_id, seats=1, quotas=[])
    await service.draw_jury(world.actors["municipality_admin"], round_id)
    with pytest.raises(RecusedFromInitiative):
        await service.cast_ballot(helper, round_id, {ids[0]: 1})
    await service.cast_ballot(helper, round_id, {ids[1]: 1})  # the other initiative is fine
    reasons = (await session.execute(select(Recusal.initiative_id, Recusal.reason))).all()
    assert [tuple(r) for r in reasons] == [(ids[0], "volunteer")]


async def test_closing_freezes_tallies_decides_and_pays_out(session: AsyncSession, world: World) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    service = RoundService(session)
    votes = [{ids[0]: 1, ids[1]: 1}, {ids[1]: 1}, {ids[1]: 1, ids[2]: 1}, {ids[2]: 1}, {ids[0]: 1}]
    for juror, ballot in zip(jurors, votes, strict=True):
        await service.cast_ballot(juror, round_id, ballot)
    result = await service.close_round(
        world.actors["municipality_admin"], round_id, reason="Alle juryleden hebben gestemd"
    )
    # € 1,000 for three initiatives of € 500: the two with most approvals win; the third did not fit.
    assert sorted(int(i) for i in result["selected"]) == [ids[0], ids[1]]  # type: ignore[attr-defined]
    assert result["support"] == {str(ids[0]): 2, str(ids[1]): 3, str(ids[2]): 2}
    assert result["explanations"][str(ids[2])]["reason"] in {"did-not-fit", "lost-tie"}  # type: ignore[index]
    states = dict((await session.execute(select(Initiative.id, Initiative.state))).tuples().all())
    assert [states[i] for i in ids] == [State.GRANTED, State.GRANTED, State.DECLINED]
    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert (summary.granted_cents, summary.reserved_cents, summary.available_cents) == (1_000_00, 0, 9_000_00)
    with pytest.raises(Conflict):
        await service.cast_ballot(jurors[0], round_id, {ids[2]: 1})
    with pytest.raises(Conflict):
        await service.close_round(
            world.actors["municipality_admin"], round_id, reason="Alle juryleden hebben gestemd"
        )
    # Anyone can recompute the result from the exported ballots, the rule and the seed.
    costs = dict.fromkeys(ids, 500_00)
    session.expire_all()
    closed = await session.get(Round, round_id)
    assert closed is not None
    assert tally(closed, costs, await service.ballots(round_id)) == closed.result


async def test_twenty_concurrent_ballots_from_one_juror_keep_exactly_one(
    engine: AsyncEngine, session: AsyncSession, world: World, database_url: str
) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    racing = create_engine(database_url, **({"pool_size": 20} if "postgresql" in database_url else {}))
    sessions = create_session_factory(racing)

    async def vote(number: int) -> None:
        async with sessions() as own:
            await RoundService(own).cast_ballot(jurors[0], round_id, {ids[number % 3]: 1})

    await asyncio.gather(*(vote(n) for n in range(20)))
    await racing.dispose()
    async with create_session_factory(engine)() as fresh:
        assert await fresh.scalar(select(func.count()).select_from(CastBallot)) == 1
        verdict = await verify_chain(fresh)  # twenty appends at once still form one intact chain
        assert verdict.ok, verdict.reason
        assert verdict.checked >= 20


@pytest.mark.parametrize("how", ["ended", "expired"])
async def test_a_juror_no_longer_verified_at_the_moment_of_casting_is_refused(
    session: AsyncSession, world: World, how: str
) -> None:
    """Drawn while verified; when the verification ended ('I moved') or expired after the draw, the
    juror's ballot is refused with its own message (linking to verifying) and nothing is stored."""
    round_id, ids, jurors = await jury_round(session, world)
    moved, staying = jurors[0], jurors[1]
    [verification] = await VerificationService(session).active(moved.person_id or 0)
    if how == "ended":
        await VerificationService(session).end(moved, verification.id, "I moved")
    else:
        async with transaction(session):
            verification.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    service = RoundService(session)
    with pytest.raises(NotVerified) as caught:
        await service.cast_ballot(moved, round_id, {ids[0]: 1})
    assert caught.value.message == JUROR_NOT_VERIFIED
    assert caught.value.neighbourhood_slug
    await service.cast_ballot(staying, round_id, {ids[0]: 1})
    assert await service.ballots(round_id) == [{ids[0]: 1}]
    dutch = gettext(JUROR_NOT_VERIFIED, "nl").format(neighbourhood="Zuilen")
    assert dutch.startswith("uw verificatie als bewoner van Zuilen")
