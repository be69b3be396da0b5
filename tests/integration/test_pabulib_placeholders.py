"""A Pabulib cost of at most € 1 stands in for a cost the source did not give: such projects are left out
of the imported round (never granted € 1,00); every other project keeps its real cost and the outcome
for them is what the rule gives on the file without the placeholders."""

from pathlib import Path

import pytest
from conftest import World
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.models import AuditEntry
from buurtbudget.errors import InvalidInput
from buurtbudget.initiatives.models import CostLine, Initiative
from buurtbudget.jury.allocation import Ballot, Election, allocate, parse_pabulib, read_pabulib
from buurtbudget.jury.models import RoundInitiative
from buurtbudget.jury.pabulib_import import PabulibImport, is_placeholder_cost
from buurtbudget.pots.service import PotService

NL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib" / "nl"
RIJNBUURT_WEST = NL / "Netherlands_Amsterdam_588.pb"  # 42190 and 42195: "no cost specified", set to 1


@pytest.mark.parametrize(("cents", "placeholder"), [(1, True), (100, True), (101, False), (14_000_00, False)])
def test_a_cost_of_at_most_one_euro_is_a_placeholder(cents: int, placeholder: bool) -> None:
    assert is_placeholder_cost(cents) is placeholder


def _without(election: Election, left_out: set[str]) -> Election:
    return Election(
        budget=election.budget,
        projects=tuple(p for p in election.projects if p.id not in left_out),
        ballots=tuple(
            Ballot(approved=b.approved - left_out, points=b.points, voter_id=b.voter_id, ranking=b.ranking)
            for b in election.ballots
        ),
        vote_type=election.vote_type,
        meta=election.meta,
    )


async def test_amsterdams_placeholder_projects_are_left_out_and_the_rest_keep_their_real_costs(
    session: AsyncSession, world: World
) -> None:
    await PotService(session).fund(world.actors["municipality_admin"], world.pot_id, 100_000_00)
    election = read_pabulib(RIJNBUURT_WEST)
    imported = await PabulibImport(session).import_file(
        world.actors["municipality_admin"], world.pot_id, RIJNBUURT_WEST
    )
    assert imported.left_out == ("42190", "42195")
    assert set(imported.initiative_ids) == {p.id for p in election.projects} - {"42190", "42195"}
    assert imported.ballots == 212  # every voter still counts, also one who chose only those two
    amounts = (
        await session.scalars(
            select(CostLine.amount_cents)
            .join(Initiative, Initiative.id == CostLine.initiative_id)
            .where(Initiative.id.in_(imported.initiative_ids.values()))
        )
    ).all()
    assert min(amounts) > 100  # nothing at € 1,00
    on_ballot = (
        await session.scalars(
            select(RoundInitiative.cost_cents).where(RoundInitiative.round_id == imported.round_id)
        )
    ).all()
    assert len(on_ballot) == 13
    assert min(on_ballot) > 100
    titles = set(await session.scalars(select(Initiative.title)))
    assert "Bewonerscommissie opzetten" not in titles
    # The rest is decided as the rule decides on the file without the placeholders.
    expected = allocate(_without(election, {"42190", "42195"}), "greedy").selected
    assert sorted(imported.result["selected"]) == sorted(  # type: ignore[call-overload]
        str(imported.initiative_ids[p]) for p in expected
    )
    entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "round.imported"))
    assert entry is not None
    assert entry.data["left_out_placeholder_costs"] == ["42190", "42195"]


async def test_a_file_of_only_placeholder_costs_is_refused(session: AsyncSession, world: World) -> None:
    text = "META\nkey;value\nbudget;10\nPROJECTS\nproject_id;cost\na;1\nb;1\nVOTES\nvoter_id;vote\n1;a\n"
    with pytest.raises(InvalidInput) as refused:
        await PabulibImport(session).import_election(
            world.actors["municipality_admin"], world.pot_id, parse_pabulib(text)
        )
    assert refused.value.field == "projects"
