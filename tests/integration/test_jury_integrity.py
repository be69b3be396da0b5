"""Jury integrity: one open round per initiative, cancelling, closing rules, recusal at every moment."""

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import World
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from test_jury_rounds import NOW, jury_round, plan, ready_initiatives, residents

from api.cli import main
from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.transaction import transaction
from buurtbudget.errors import Conflict, InvalidInput, NotAllowed
from buurtbudget.initiatives.lifecycle import Action, State
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.rules import DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.errors import RecusedFromInitiative
from buurtbudget.jury.export import load_closed_round, pabulib_text
from buurtbudget.jury.models import CastBallot, Grant, Recusal, Round, RoundInitiative
from buurtbudget.jury.rounds import RoundService
from buurtbudget.people.models import Person
from buurtbudget.pots.service import PotService
from buurtbudget.volunteers.index import Matcher
from buurtbudget.volunteers.models import VolunteerProfile
from buurtbudget.volunteers.rules import ProfileInput, WeeklyInput
from buurtbudget.volunteers.service import VolunteerService

REASON = "De jury is klaar."


async def audit(session: AsyncSession, action: str) -> list[AuditEntry]:
    return list(await session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


async def refuse_a_second_open_link(session: AsyncSession, first: Round, initiative_id: int) -> None:
    await session.refresh(first)  # the refused opening rolled back, which expired what was loaded
    copied = ("pot_id", "name", "mode", "amount_cents", "ballot_kind", "rule", "tie_break")
    second = Round(**{c: getattr(first, c) for c in copied}, seed="0" * 32, state="open")
    second.voting_opens_at, second.voting_closes_at = first.voting_opens_at, first.voting_closes_at
    async with transaction(session):
        session.add(second)
    link = RoundInitiative(
        round_id=second.id, initiative_id=initiative_id, cost_cents=1, open_initiative_id=initiative_id
    )
    session.add(link)
    with pytest.raises(IntegrityError):
        await session.flush()


# --- one open round per initiative, locked while on a ballot, cancel ------------------------------


async def test_an_initiative_is_on_at_most_one_open_round(session: AsyncSession, world: World) -> None:
    ids = await ready_initiatives(session, world, 2)
    admin = world.actors["municipality_admin"]
    service = RoundService(session)
    first = await service.open_round(admin, world.pot_id, plan(ids))
    first_id = first.id
    with pytest.raises(Conflict) as refused:
        await service.open_round(admin, world.pot_id, plan([ids[1]]))
    assert refused.value.message == "an initiative on the ballot is already on another open round"
    assert await session.scalar(select(func.count()).select_from(Round)) == 1
    # Not only a check: the database itself refuses a second open link (SQLite and PostgreSQL).
    await refuse_a_second_open_link(session, first, ids[0])
    await session.rollback()
    # Once the first round is cancelled, the initiative may go on another round.
    await service.cancel(admin, first_id, "De jury kon niet worden gevormd.")
    again = await service.open_round(admin, world.pot_id, plan([ids[1]]))
    assert again.state == "open"


async def test_initiators_cannot_withdraw_or_change_it_while_on_a_ballot(
    session: AsyncSession, world: World
) -> None:
    [initiative_id] = await ready_initiatives(session, world, 1)
    admin = world.actors["municipality_admin"]
    round_id = (await RoundService(session).open_round(admin, world.pot_id, plan([initiative_id]))).id
    initiatives = InitiativeService(session)
    with pytest.raises(Conflict) as withdrawing:
        await initiatives.act(world.actors["resident"], initiative_id, Action.WITHDRAW)
    assert withdrawing.value.params["round_id"] == round_id
    assert "cannot be withdrawn or changed" in withdrawing.value.message
    with pytest.raises(Conflict):
        await initiatives.update_draft(
            world.actors["resident"], initiative_id, DraftContent(title="Nieuw plan")
        )
    assert (await session.get(Initiative, initiative_id)).state == State.READY_FOR_JURY  # type: ignore[union-attr]
    await RoundService(session).cancel(admin, round_id, "Geen jury.")
    withdrawn = await initiatives.act(world.actors["resident"], initiative_id, Action.WITHDRAW)
    assert withdrawn.state == State.WITHDRAWN


async def test_cancelling_releases_the_money_and_keeps_the_initiatives_ready(
    session: AsyncSession, world: World
) -> None:
    ids = await ready_initiatives(session, world, 2)
    admin = world.actors["municipality_admin"]
    service = RoundService(session)
    round_id = (await service.open_round(admin, world.pot_id, plan(ids))).id
    for who in ("broker", "advisor", "resident", "other_municipality_admin"):
        with pytest.raises(NotAllowed):
            await service.cancel(world.actors[who], round_id, "Zomaar.")
    with pytest.raises(InvalidInput) as no_reason:
        await service.cancel(admin, round_id, "   ")
    assert no_reason.value.field == "reason"
    cancelled = await service.cancel(admin, round_id, "Te weinig vrijwilligers voor de jury.")
    assert (cancelled.state, cancelled.cancel_reason) == (
        "cancelled",
        "Te weinig vrijwilligers voor de jury.",
    )
    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert (summary.reserved_cents, summary.available_cents) == (0, 10_000_00)
    states = await session.scalars(select(Initiative.state).where(Initiative.id.in_(ids)))
    assert set(states) == {State.READY_FOR_JURY.value}
    [entry] = await audit(session, "round.cancelled")
    assert (entry.actor_id, entry.data["reason"]) == (
        admin.person_id,
        "Te weinig vrijwilligers voor de jury.",
    )
    for refused in (
        service.cancel(admin, round_id, "Nog eens."),
        service.close_round(admin, round_id, reason=REASON),
    ):
        with pytest.raises(Conflict):
            await refused


# --- closing: early with a reason, quorum, minimum support, close_due --------------------------------


async def test_closing_before_the_published_time_needs_a_reason_that_is_published(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    service = RoundService(session)
    await service.cast_ballot(jurors[0], round_id, {ids[0]: 1})
    admin = world.actors["municipality_admin"]
    for reason in (None, "  "):
        with pytest.raises(Conflict) as early:
            await service.close_round(admin, round_id, reason=reason)
        assert early.value.params["field"] == "reason"
    assert (await session.get(Round, round_id)).state == "open"  # type: ignore[union-attr]
    await service.close_round(admin, round_id, reason="Alle juryleden hebben gestemd.")
    round_ = await session.get(Round, round_id)
    assert round_ is not None
    assert (round_.state, round_.early_close_reason) == ("closed", "Alle juryleden hebben gestemd.")
    [entry] = await audit(session, "round.closed")
    assert entry.data["early"] == "Alle juryleden hebben gestemd."


async def test_below_its_quorum_a_round_cannot_be_decided_and_can_be_extended(
    session: AsyncSession, world: World
) -> None:
    ids = await ready_initiatives(session, world, 2)
    pool = await residents(session, world, 6)
    service = RoundService(session)
    for actor in pool:
        await service.volunteer(actor, world.zuilen_id, {})
    admin = world.actors["municipality_admin"]
    round_ = await service.open_round(admin, world.pot_id, replace(plan(ids), quorum=None))
    round_id, closes_at = round_.id, round_.voting_closes_at
    await service.freeze_pool(admin, round_id, seats=5, quotas=[])
    drawn = await service.draw_jury(admin, round_id)
    assert await service.quorum(round_) == 3  # half of the five seats, rounded up
    by_id = {str(a.person_id): a for a in pool}
    for juror in drawn.jurors[:2]:
        await service.cast_ballot(by_id[juror], round_id, {ids[0]: 1})
    with pytest.raises(Conflict) as short:
        await service.close_round(admin, round_id, reason=REASON)
    assert (short.value.params["ballots"], short.value.params["quorum"]) == (2, 3)
    assert await session.scalar(select(func.count()).select_from(Grant)) == 0
    with pytest.raises(InvalidInput):
        await service.extend(admin, round_id, closes_at - timedelta(hours=1))
    later = closes_at + timedelta(days=7)
    assert (await service.extend(admin, round_id, later)).voting_closes_at == later
    await service.cast_ballot(by_id[drawn.jurors[2]], round_id, {ids[1]: 1})
    result = await service.close_round(admin, round_id, reason=REASON)
    assert result["ballots"] == 3


async def test_an_initiative_without_support_never_gets_leftover_money(
    session: AsyncSession, world: World, tmp_path: Path
) -> None:
    ids = await ready_initiatives(session, world, 3)  # € 500 each; the round shares € 5.000
    admin = world.actors["municipality_admin"]
    service = RoundService(session)
    round_plan = replace(plan(ids, mode="open", amount=5_000_00), min_support=2)
    round_id = (await service.open_round(admin, world.pot_id, round_plan)).id
    voters = await residents(session, world, 2)
    await service.cast_ballot(voters[0], round_id, {ids[0]: 1, ids[1]: 1})
    await service.cast_ballot(voters[1], round_id, {ids[0]: 1})
    result = await service.close_round(admin, round_id, reason=REASON)
    assert result["granted"] == {str(ids[0]): 500_00}  # one approval is below this round's minimum of two
    explanations = result["explanations"]
    assert explanations[str(ids[1])]["reason"] == "below-min-support"  # type: ignore[index]
    assert explanations[str(ids[2])]["reason"] == "below-min-support"  # type: ignore[index]
    assert result["min_support"] == 2
    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    assert summary.available_cents == 10_000_00 - 500_00
    # The minimum is a published input of the rule: the export names it and `allocate` redoes the tally.
    text = pabulib_text(await load_closed_round(session, round_id))
    assert "min_support;2" in text.replace(" ", "")
    path = tmp_path / "ronde.pb"
    path.write_text(text, encoding="utf-8")
    redone = CliRunner().invoke(main, ["allocate", str(path), "--rule", "greedy"])
    assert redone.exit_code == 0, redone.output
    assert json.loads(redone.output)["selected"] == [str(ids[0])]


async def test_close_due_closes_rounds_past_their_time_with_quorum_as_the_system(
    session: AsyncSession, world: World
) -> None:
    ids = await ready_initiatives(session, world, 3)
    admin = world.actors["municipality_admin"]
    service = RoundService(session)
    due = (await service.open_round(admin, world.pot_id, plan([ids[0]], mode="open"))).id
    empty = (await service.open_round(admin, world.pot_id, plan([ids[1]], mode="open"))).id
    month = replace(plan([ids[2]], mode="open"), voting_closes_at=NOW + timedelta(days=30))
    later = (await service.open_round(admin, world.pot_id, month)).id
    [voter] = await residents(session, world, 1)
    await service.cast_ballot(voter, due, {ids[0]: 1})
    await service.cast_ballot(voter, later, {ids[2]: 1})
    assert await service.close_due(NOW + timedelta(days=8)) == [due]
    states = dict((await session.execute(select(Round.id, Round.state))).tuples().all())
    assert states == {due: "closed", empty: "open", later: "open"}  # below quorum: stays open
    [entry] = await audit(session, "round.closed")
    assert (entry.subject_id, entry.actor_id, entry.data["early"]) == (due, None, None)
    assert await service.close_due(NOW + timedelta(days=8)) == []


# --- recusal at every moment -----------------------------------------------------------------------


async def test_a_conflict_declared_after_voting_removes_the_mark_and_is_audited(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    service = RoundService(session)
    await service.cast_ballot(jurors[0], round_id, {ids[0]: 1, ids[1]: 1})
    recused = await service.declare_conflict(jurors[0], round_id, ids[0])
    assert recused is not None
    assert recused.marks_removed
    assert await service.ballots(round_id) == [{ids[1]: 1}]
    [entry] = [e for e in await audit(session, "round.recused") if e.data["reason"] == "declared"]
    assert (entry.data["person_id"], entry.data["initiative_id"], entry.data["marks_removed"]) == (
        jurors[0].person_id,
        ids[0],
        True,
    )
    result = await service.close_round(world.actors["municipality_admin"], round_id, reason=REASON)
    assert result["votes"][str(ids[0])] == 0  # type: ignore[index]
    assert result["explanations"][str(ids[0])]["recused"] == 1  # type: ignore[index]


async def test_a_recusal_recorded_late_never_counts_at_the_tally(session: AsyncSession, world: World) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    service = RoundService(session)
    await service.cast_ballot(jurors[0], round_id, {ids[0]: 1})
    async with transaction(session):  # a recusal written without touching the ballot (e.g. a race)
        session.add(
            Recusal(round_id=round_id, person_id=jurors[0].person_id, initiative_id=ids[0], reason="declared")
        )
    stored = await session.scalar(select(CastBallot.marks).where(CastBallot.voter_id == jurors[0].person_id))
    assert stored == {str(ids[0]): 1}
    result = await service.close_round(world.actors["municipality_admin"], round_id, reason=REASON)
    assert result["granted"] == {}
    assert result["support"][str(ids[0])] == 0  # type: ignore[index]


async def test_a_juror_who_joins_an_initiative_as_co_initiator_after_the_draw_is_recused_at_once(
    session: AsyncSession, world: World
) -> None:
    round_id, ids, jurors = await jury_round(session, world)
    service = RoundService(session)
    await service.cast_ballot(jurors[0], round_id, {ids[0]: 1, ids[1]: 1})
    initiatives = InitiativeService(session)
    juror_email = await session.scalar(select(Person.email).where(Person.id == jurors[0].person_id))
    assert juror_email is not None
    await initiatives.invite_co_initiator(world.actors["resident"], ids[0], juror_email)
    await initiatives.accept_invitation(jurors[0], ids[0])  # joining is allowed; the juror is recused
    reasons = (await session.execute(select(Recusal.person_id, Recusal.initiative_id, Recusal.reason))).all()
    assert (jurors[0].person_id, ids[0], "initiator") in [tuple(r) for r in reasons]
    assert await service.ballots(round_id) == [{ids[1]: 1}]
    [entry] = [e for e in await audit(session, "round.recused") if e.data["person_id"] == jurors[0].person_id]
    assert entry.data["marks_removed"] is True
    with pytest.raises(RecusedFromInitiative):
        await service.cast_ballot(jurors[0], round_id, {ids[0]: 1})


async def test_a_juror_who_agrees_to_volunteer_after_the_draw_is_recused_at_once(
    session: AsyncSession, world: World
) -> None:
    ids = await ready_initiatives(session, world, 2, volunteers_needed=True)
    pool = await residents(session, world, 1)
    service = RoundService(session)
    await service.volunteer(pool[0], world.zuilen_id, {})
    admin = world.actors["municipality_admin"]
    round_ = await service.open_round(admin, world.pot_id, plan(ids))
    await service.freeze_pool(admin, round_.id, seats=1, quotas=[])
    await service.draw_jury(admin, round_.id)
    juror = pool[0]
    await service.cast_ballot(juror, round_.id, {ids[0]: 1, ids[1]: 1})
    volunteers = VolunteerService(session, Matcher())
    await volunteers.save_profile(
        juror,
        ProfileInput(
            neighbourhood_id=world.zuilen_id,
            skills=["koken"],
            themes=["eten"],
            weekly=[WeeklyInput(1, "19:00", "21:30")],
            dated=[],
            max_commitments=2,
            consent=True,
        ),
    )
    match = await volunteers.offer(juror, ids[0])
    answer = await volunteers.answer(world.actors["resident"], match.id, accept=True, locale="nl")
    assert answer.agreed_now  # volunteering stays possible; the juror is recused from that initiative
    reasons = (await session.execute(select(Recusal.person_id, Recusal.initiative_id, Recusal.reason))).all()
    assert [tuple(r) for r in reasons] == [(juror.person_id, ids[0], "volunteer")]
    assert await service.ballots(round_.id) == [{ids[1]: 1}]
    assert await session.scalar(select(func.count()).select_from(VolunteerProfile)) == 1
    with pytest.raises(RecusedFromInitiative):
        await service.cast_ballot(juror, round_.id, {ids[0]: 1})


async def test_a_quorum_larger_than_the_jury_is_refused_at_the_freeze(
    session: AsyncSession, world: World
) -> None:
    ids = await ready_initiatives(session, world, 1)
    for actor in await residents(session, world, 6):
        await RoundService(session).volunteer(actor, world.zuilen_id, {})
    admin = world.actors["municipality_admin"]
    round_id = (await RoundService(session).open_round(admin, world.pot_id, replace(plan(ids), quorum=6))).id
    with pytest.raises(InvalidInput) as refused:
        await RoundService(session).freeze_pool(admin, round_id, seats=5, quotas=[])
    assert (refused.value.field, refused.value.params["quorum"]) == ("seats", 6)
    assert (await RoundService(session).freeze_pool(admin, round_id, seats=6, quotas=[])).seats == 6
