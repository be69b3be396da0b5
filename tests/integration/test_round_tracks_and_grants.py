"""Fast track, round dates, repeated rounds on one pot, and partial grants answered by the initiators."""

from dataclasses import replace
from datetime import timedelta
from typing import cast

import pytest
from conftest import World, new_initiatives
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from test_jury_rounds import NOW, jury_round, plan, ready_initiatives, residents

from buurtbudget.errors import Conflict, InvalidInput, NotAllowed
from buurtbudget.initiatives.errors import IllegalTransition, NotAnOwner
from buurtbudget.initiatives.lifecycle import Action, State
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.rules import CostLineInput, DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.grants import GrantService
from buurtbudget.jury.models import Grant, Round
from buurtbudget.jury.rounds import RoundService
from buurtbudget.jury.sortition import Quota
from buurtbudget.pots.models import Pot
from buurtbudget.pots.service import PotService


async def set_fast_track(
    session: AsyncSession, world: World, threshold: int = 600_00, seats: int = 3
) -> None:
    await PotService(session).set_fast_track(
        world.actors["municipality_admin"], world.pot_id, threshold, seats
    )


async def test_a_fast_track_round_takes_small_requests_and_a_smaller_panel(
    session: AsyncSession, world: World
) -> None:
    await set_fast_track(session, world)
    ids = await ready_initiatives(session, world, 2)  # € 500 each, under the € 600 threshold
    pool = await residents(session, world, 6)
    service = RoundService(session)
    for actor in pool:
        await service.volunteer(actor, world.zuilen_id, {})
    fast = replace(plan(ids), track="fast", voting_closes_at=NOW + timedelta(days=3))
    round_ = await service.open_round(world.actors["municipality_admin"], world.pot_id, fast)
    round_id = round_.id
    assert round_.track == "fast"
    with pytest.raises(InvalidInput) as caught:
        await service.freeze_pool(world.actors["municipality_admin"], round_id, seats=5, quotas=[])
    assert (caught.value.field, caught.value.params) == ("seats", {"field": "seats", "seats": 3})
    await service.freeze_pool(world.actors["municipality_admin"], round_id, seats=3, quotas=[])
    drawn = await service.draw_jury(world.actors["municipality_admin"], round_id)
    assert len(drawn.jurors) == 3


async def test_the_fast_track_refuses_what_it_is_not_for(session: AsyncSession, world: World) -> None:
    ids = await ready_initiatives(session, world, 1)
    admin = world.actors["municipality_admin"]
    service = RoundService(session)
    fast = replace(plan(ids), track="fast", voting_closes_at=NOW + timedelta(days=3))
    with pytest.raises(Conflict) as no_track:
        await service.open_round(admin, world.pot_id, fast)
    assert str(no_track.value) == "this pot has no fast track"
    await set_fast_track(session, world, threshold=400_00)
    with pytest.raises(InvalidInput) as too_big:
        await service.open_round(admin, world.pot_id, fast)
    assert (too_big.value.field, too_big.value.params) == (
        "initiative_ids",
        {"field": "initiative_ids", "threshold_cents": 400_00},
    )
    await set_fast_track(session, world, threshold=600_00)
    with pytest.raises(InvalidInput) as too_slow:
        await service.open_round(admin, world.pot_id, replace(fast, voting_closes_at=NOW + timedelta(days=9)))
    assert too_slow.value.field == "voting_closes_at"
    with pytest.raises(InvalidInput) as not_a_panel:
        await service.open_round(admin, world.pot_id, replace(fast, mode="open"))
    assert not_a_panel.value.field == "mode"
    with pytest.raises(InvalidInput) as unknown:
        await service.open_round(admin, world.pot_id, replace(fast, track="express"))
    assert unknown.value.field == "track"
    assert await session.scalar(select(func.count()).select_from(Round)) == 0
    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert summary.reserved_cents == 0  # nothing was set aside by the refused rounds


@pytest.mark.parametrize(
    ("threshold", "seats", "field"),
    [(0, 3, "threshold_cents"), (-5, 3, "threshold_cents"), (500, 0, "seats")],
)
async def test_a_fast_track_needs_a_positive_threshold_and_seats(
    session: AsyncSession, world: World, threshold: int, seats: int, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        await set_fast_track(session, world, threshold, seats)
    assert caught.value.field == field
    pot = await session.get(Pot, world.pot_id)
    assert pot is not None
    assert pot.fast_track_threshold_cents is None


async def test_only_the_municipality_sets_the_fast_track(session: AsyncSession, world: World) -> None:
    with pytest.raises(NotAllowed):
        await PotService(session).set_fast_track(world.actors["broker"], world.pot_id, 500_00, 3)


async def test_deliberation_voting_and_decision_come_in_order(session: AsyncSession, world: World) -> None:
    ids = await ready_initiatives(session, world, 1)
    admin, service = world.actors["municipality_admin"], RoundService(session)
    late_talk = replace(plan(ids), deliberation_opens_at=NOW + timedelta(hours=1))
    with pytest.raises(InvalidInput) as caught:
        await service.open_round(admin, world.pot_id, late_talk)
    assert caught.value.field == "deliberation_opens_at"
    early_decision = replace(plan(ids), decision_due_on=NOW.date())
    with pytest.raises(InvalidInput) as caught:
        await service.open_round(admin, world.pot_id, early_decision)
    assert caught.value.field == "decision_due_on"
    good = replace(
        plan(ids),
        deliberation_opens_at=NOW - timedelta(days=7),
        decision_due_on=(NOW + timedelta(days=14)).date(),
    )
    round_ = await service.open_round(admin, world.pot_id, good)
    assert round_.decision_due_on == (NOW + timedelta(days=14)).date()


async def test_a_pot_runs_round_after_round_with_what_the_last_one_left(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    service, admin = RoundService(session), world.actors["municipality_admin"]
    for juror in jurors:
        await service.cast_ballot(juror, round_id, {ids[0]: 1})
    result = await service.close_round(admin, round_id, reason="Alle juryleden hebben gestemd")
    granted = sum(cast("dict[str, int]", result["granted"]).values())
    left = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert (left.reserved_cents, left.available_cents) == (0, 10_000_00 - granted)
    later = await ready_initiatives(session, world, 1)
    second = await service.open_round(admin, world.pot_id, plan(later, amount=left.available_cents))
    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert (summary.granted_cents, summary.reserved_cents, summary.available_cents) == (
        granted,
        10_000_00 - granted,
        0,
    )
    assert second.id != round_id


async def with_optional_lines(session: AsyncSession, world: World, initiative_id: int) -> None:
    """€ 700 asked, of which € 300 optional (before it goes through review)."""
    await InitiativeService(session).update_draft(
        world.actors["resident"],
        initiative_id,
        DraftContent(
            cost_lines=[CostLineInput("Huur zaal", 400_00), CostLineInput("Muziek", 300_00, essential=False)]
        ),
    )


async def partly_granted_round(session: AsyncSession, world: World) -> tuple[int, int]:
    """A € 1.000 round: € 600 granted in full, € 400 of a € 700 request offered; returns (round, offered)."""
    full, partly = await new_initiatives(session, world, 2)
    await InitiativeService(session).update_draft(
        world.actors["resident"], full, DraftContent(cost_lines=[CostLineInput("Bankjes", 600_00)])
    )
    await with_optional_lines(session, world, partly)
    service = InitiativeService(session)
    for initiative_id in (full, partly):
        await service.act(world.actors["resident"], initiative_id, Action.SUBMIT)
        await service.act(world.actors["broker"], initiative_id, Action.START_REVIEW)
        await service.act(world.actors["broker"], initiative_id, Action.MARK_READY)
    rounds, admin = RoundService(session), world.actors["municipality_admin"]
    round_ = await rounds.open_round(admin, world.pot_id, plan([full, partly], mode="open"))
    pool = await residents(session, world, 3)
    for voter in pool:
        await rounds.cast_ballot(voter, round_.id, {full: 1, partly: 1})
    await rounds.cast_ballot(world.actors["resident"], round_.id, {full: 1})
    result = await rounds.close_round(admin, round_.id, reason="Alle juryleden hebben gestemd")
    assert result["granted"] == {str(full): 600_00, str(partly): 400_00}
    assert result["partial"] == {str(partly): 400_00}
    assert result["votes"] == {str(full): 4, str(partly): 3}
    explanations = result["explanations"]
    assert isinstance(explanations, dict)
    assert explanations[str(partly)] == {
        "reason": "partly-granted",
        "remaining": 400_00,
        "winner": None,
        "theme": None,
        "granted": 400_00,
    }
    return round_.id, partly


async def test_a_partial_grant_waits_reserved_for_the_initiators_answer(
    session: AsyncSession, world: World
) -> None:
    round_id, partly = await partly_granted_round(session, world)
    initiative = await session.get(Initiative, partly)
    assert initiative is not None
    assert initiative.state == State.PARTLY_GRANTED
    [offer] = list(await GrantService(session).grants_of(partly))
    assert (offer.round_id, offer.asked_cents, offer.granted_cents, offer.partial, offer.answer) == (
        round_id,
        700_00,
        400_00,
        True,
        None,
    )
    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert (summary.granted_cents, summary.reserved_cents, summary.available_cents) == (
        600_00,
        400_00,
        9_000_00,
    )


async def test_accepting_a_partial_grant_grants_its_money(session: AsyncSession, world: World) -> None:
    _round_id, partly = await partly_granted_round(session, world)
    grant = await GrantService(session).answer(world.actors["resident"], partly, accept=True)
    assert grant.answer == "accepted"
    assert grant.answered_at is not None
    initiative = await session.get(Initiative, partly)
    assert initiative is not None
    assert initiative.state == State.GRANTED
    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert (summary.granted_cents, summary.reserved_cents, summary.available_cents) == (
        1_000_00,
        0,
        9_000_00,
    )


async def test_declined_money_returns_to_the_pot(session: AsyncSession, world: World) -> None:
    _round_id, partly = await partly_granted_round(session, world)
    await GrantService(session).answer(world.actors["resident"], partly, accept=False)
    initiative = await session.get(Initiative, partly)
    assert initiative is not None
    assert initiative.state == State.CLOSED
    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert (summary.granted_cents, summary.reserved_cents, summary.available_cents) == (600_00, 0, 9_400_00)
    with pytest.raises(Conflict):  # answered once: there is nothing left to answer
        await GrantService(session).answer(world.actors["resident"], partly, accept=True)


@pytest.mark.parametrize("who", ["other_resident", "broker", "municipality_admin"])
async def test_only_the_initiators_answer_and_nothing_moves_otherwise(
    session: AsyncSession, world: World, who: str
) -> None:
    _round_id, partly = await partly_granted_round(session, world)
    with pytest.raises(NotAnOwner):
        await GrantService(session).answer(world.actors[who], partly, accept=False)
    session.expire_all()
    offer = (await session.execute(select(Grant).where(Grant.initiative_id == partly))).scalar_one()
    assert offer.answer is None
    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert summary.reserved_cents == 400_00


async def test_the_answer_cannot_bypass_the_money_as_a_bare_step(session: AsyncSession, world: World) -> None:
    _round_id, partly = await partly_granted_round(session, world)
    with pytest.raises(Conflict):
        await InitiativeService(session).act(world.actors["resident"], partly, Action.ACCEPT_GRANT)
    with pytest.raises(IllegalTransition):  # work starts only once the smaller amount is accepted
        await InitiativeService(session).act(world.actors["resident"], partly, Action.START)


async def test_a_round_without_partial_grants_declines_what_does_not_fit(
    session: AsyncSession, world: World
) -> None:
    full, partly = await new_initiatives(session, world, 2)
    await with_optional_lines(session, world, partly)
    await InitiativeService(session).update_draft(
        world.actors["resident"], full, DraftContent(cost_lines=[CostLineInput("Bankjes", 600_00)])
    )
    service = InitiativeService(session)
    for initiative_id in (full, partly):
        await service.act(world.actors["resident"], initiative_id, Action.SUBMIT)
        await service.act(world.actors["broker"], initiative_id, Action.START_REVIEW)
        await service.act(world.actors["broker"], initiative_id, Action.MARK_READY)
    rounds, admin = RoundService(session), world.actors["municipality_admin"]
    whole_only = replace(plan([full, partly], mode="open"), partial_grants=False)
    round_ = await rounds.open_round(admin, world.pot_id, whole_only)
    for voter in await residents(session, world, 2):
        await rounds.cast_ballot(voter, round_.id, {full: 1, partly: 1})
    result = await rounds.close_round(admin, round_.id, reason="Alle juryleden hebben gestemd")
    assert result["partial"] == {}
    initiative = await session.get(Initiative, partly)
    assert initiative is not None
    assert initiative.state == State.DECLINED


async def test_a_fast_track_jury_is_still_stratified(session: AsyncSession, world: World) -> None:
    await set_fast_track(session, world)
    ids = await ready_initiatives(session, world, 1)
    pool = await residents(session, world, 6)
    service = RoundService(session)
    for number, actor in enumerate(pool):
        await service.volunteer(actor, world.zuilen_id, {"gender": "vrouw" if number % 2 else "man"})
    fast = replace(plan(ids), track="fast", voting_closes_at=NOW + timedelta(days=2))
    round_ = await service.open_round(world.actors["municipality_admin"], world.pot_id, fast)
    await service.freeze_pool(
        world.actors["municipality_admin"], round_.id, seats=3, quotas=[Quota("gender", "vrouw", 1, 2)]
    )
    drawn = await service.draw_jury(world.actors["municipality_admin"], round_.id)
    women = {str(a.person_id) for n, a in enumerate(pool) if n % 2}
    assert 1 <= len(women & set(drawn.jurors)) <= 2
