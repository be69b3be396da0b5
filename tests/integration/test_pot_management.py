"""Pots run by the municipality: the money per round adds up with the ledger, the "how it works" texts,
and the most one initiative may ask, enforced when a plan is sent in."""

from datetime import date

import pytest
from conftest import World, new_initiatives
from sqlalchemy.ext.asyncio import AsyncSession
from test_jury_rounds import plan, ready_initiatives
from test_round_tracks_and_grants import partly_granted_round

from buurtbudget.errors import InvalidInput, NotAllowed, NotFound
from buurtbudget.initiatives.lifecycle import Action, State
from buurtbudget.initiatives.models import Initiative
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.grants import GrantService
from buurtbudget.jury.rounds import RoundService
from buurtbudget.pots.consistency import ledger_problems
from buurtbudget.pots.errors import AboveMaximum
from buurtbudget.pots.guide import GuideInput, PotGuideService, paragraphs, pot_for
from buurtbudget.pots.reporting import PotReport, PotReportService
from buurtbudget.pots.service import PotService


def adds_up(report: PotReport) -> None:
    """In = reserved + granted + paid + left, and the rounds' rows add up to the pot's totals."""
    assert report.received_cents == (
        report.reserved_cents + report.granted_cents + report.paid_cents + report.left_cents
    )
    assert sum(line.money.held_cents for line in report.rounds) == report.reserved_cents
    assert sum(line.money.granted_cents for line in report.rounds) == report.granted_cents
    for line in report.rounds:
        money = line.money
        assert money.reserved_cents == money.granted_cents + money.released_cents + money.held_cents
        assert money.held_cents >= 0


async def test_the_money_per_round_adds_up_with_the_ledger(session: AsyncSession, world: World) -> None:
    admin = world.actors["municipality_admin"]
    await PotService(session).earmark(admin, world.pot_id, "groen", 500_00)
    round_id, partly = await partly_granted_round(session, world)
    reports = PotReportService(session)
    report = await reports.report(admin, world.pot_id)
    adds_up(report)
    [line] = report.rounds
    assert (line.money.round_id, line.name, line.state) == (round_id, "Voorjaarsronde", "closed")
    assert (line.money.reserved_cents, line.money.granted_cents, line.money.released_cents) == (
        1_000_00,
        600_00,
        0,
    )
    assert line.money.held_cents == 400_00  # the partial offer waits for the residents' answer
    assert (report.paid_cents, report.payments_tracked) == (0, False)
    assert report.themes == {"groen": 500_00}

    await GrantService(session).answer(world.actors["resident"], partly, accept=False)
    second = await RoundService(session).open_round(
        admin, world.pot_id, plan(await ready_initiatives(session, world, 1), amount=700_00)
    )
    report = await reports.report(admin, world.pot_id)
    adds_up(report)
    by_round = {line.money.round_id: line.money for line in report.rounds}
    assert (by_round[round_id].granted_cents, by_round[round_id].released_cents) == (600_00, 400_00)
    assert (by_round[second.id].reserved_cents, by_round[second.id].held_cents) == (700_00, 700_00)
    assert report.left_cents == 10_000_00 - 600_00 - 700_00
    assert await ledger_problems(session) == []


async def test_a_grant_outside_rounds_has_its_own_row(session: AsyncSession, world: World) -> None:
    admin = world.actors["municipality_admin"]
    [initiative_id] = await new_initiatives(session, world, 1)
    pots = PotService(session)
    await pots.reserve(admin, world.pot_id, initiative_id, 300_00)
    await pots.grant(admin, world.pot_id, initiative_id, 500_00)  # 300 reserved + 200 from the budget
    report = await PotReportService(session).report(admin, world.pot_id)
    adds_up(report)
    [line] = report.rounds
    assert line.money.round_id is None
    assert (line.money.reserved_cents, line.money.granted_cents, line.money.held_cents) == (500_00, 500_00, 0)


@pytest.mark.parametrize("who", ["other_municipality_admin", "broker", "resident", "advisor"])
async def test_only_the_pots_municipality_reads_its_report(
    session: AsyncSession, world: World, who: str
) -> None:
    reports = PotReportService(session)
    with pytest.raises(NotAllowed):
        await reports.report(world.actors[who], world.pot_id)
    if who == "other_municipality_admin":
        assert await reports.pots(world.actors[who]) == []  # its own list holds none of Utrecht's pots
        assert [n.name for n in await reports.neighbourhoods(world.actors[who])] == ["Bovenveen"]
    else:
        with pytest.raises(NotAllowed):
            await reports.pots(world.actors[who])
    with pytest.raises(NotFound):
        await reports.report(world.actors["platform_admin"], world.pot_id + 99)


async def test_the_municipality_lists_its_pots_with_their_balances(
    session: AsyncSession, world: World
) -> None:
    [listing] = await PotReportService(session).pots(world.actors["municipality_admin"])
    assert (listing.pot.id, listing.neighbourhood.name, listing.municipality.name) == (
        world.pot_id,
        "Zuilen",
        "Utrecht",
    )
    assert listing.summary.available_cents == 10_000_00
    assert len(await PotReportService(session).pots(world.actors["platform_admin"])) == 1


GUIDE = GuideInput(
    max_per_initiative_cents=400_00,
    criteria="Voor iedereen in de buurt.\r\n\r\nNiet voor winst.",
    next_round_on=date(2026, 5, 1),
    payment_text="Wij betalen vooraf.",
)


async def test_the_municipality_writes_how_its_pot_works(session: AsyncSession, world: World) -> None:
    guides = PotGuideService(session)
    with pytest.raises(NotAllowed):
        await guides.set_guide(world.actors["other_municipality_admin"], world.pot_id, GUIDE)
    pot = await guides.set_guide(world.actors["municipality_admin"], world.pot_id, GUIDE)
    assert (pot.max_per_initiative_cents, pot.next_round_on) == (400_00, date(2026, 5, 1))
    assert paragraphs(pot.criteria) == ["Voor iedereen in de buurt.", "Niet voor winst."]
    for bad, field in [
        (GuideInput(0, "", None, ""), "max_per_initiative_cents"),
        (GuideInput(None, "x" * 5001, None, ""), "criteria"),
        (GuideInput(None, "", None, "x" * 5001), "payment_text"),
    ]:
        with pytest.raises(InvalidInput) as refused:
            await guides.set_guide(world.actors["municipality_admin"], world.pot_id, bad)
        assert refused.value.field == field
    assert (await guides.guide(world.pot_id)).max_per_initiative_cents == 400_00  # nothing half-written


async def test_a_plan_above_the_pots_maximum_is_not_sent_in(session: AsyncSession, world: World) -> None:
    await PotGuideService(session).set_guide(world.actors["municipality_admin"], world.pot_id, GUIDE)
    [initiative_id] = await new_initiatives(session, world, 1)  # asks € 500
    with pytest.raises(AboveMaximum) as refused:
        await InitiativeService(session).act(world.actors["resident"], initiative_id, Action.SUBMIT)
    assert (refused.value.field, refused.value.params["max_cents"]) == ("cost_lines", 400_00)
    initiative = await session.get(Initiative, initiative_id)
    assert initiative is not None
    await session.refresh(initiative)
    assert initiative.state == State.DRAFT
    await PotGuideService(session).set_guide(
        world.actors["municipality_admin"],
        world.pot_id,
        GuideInput(500_00, GUIDE.criteria, None, GUIDE.payment_text),
    )
    submitted = await InitiativeService(session).act(world.actors["resident"], initiative_id, Action.SUBMIT)
    assert submitted.state == State.SUBMITTED  # exactly the maximum is allowed


async def test_the_pot_a_plan_asks_from_is_the_one_running(session: AsyncSession, world: World) -> None:
    admin = world.actors["municipality_admin"]
    later = await PotService(session).create_pot(
        admin,
        neighbourhood_id=world.zuilen_id,
        name="Buurtbudget 2027",
        period_start=date(2027, 1, 1),
        period_end=date(2027, 12, 31),
    )
    assert (await pot_for(session, world.zuilen_id, date(2026, 6, 1))).id == world.pot_id  # type: ignore[union-attr]
    assert (await pot_for(session, world.zuilen_id, date(2026, 12, 31))).id == world.pot_id  # type: ignore[union-attr]
    assert (await pot_for(session, world.zuilen_id, date(2025, 6, 1))).id == world.pot_id  # type: ignore[union-attr]
    assert (await pot_for(session, world.zuilen_id, date(2027, 2, 1))).id == later.id  # type: ignore[union-attr]
    assert await pot_for(session, world.zuilen_id, date(2028, 1, 1)) is None
    assert await pot_for(session, world.ondiep_id, date(2026, 6, 1)) is None
