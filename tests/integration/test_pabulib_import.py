"""Real Pabulib elections import as closed rounds; what we cannot take is refused and nothing stored."""

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import World
from pabutools.election import Cost_Sat
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import greedy_utilitarian_welfare
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cli import main
from buurtbudget.audit.models import AuditEntry
from buurtbudget.audit.service import verify_chain
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.errors import InvalidInput, NotAllowed
from buurtbudget.initiatives.lifecycle import State
from buurtbudget.initiatives.models import Initiative, TimelineEvent
from buurtbudget.jury.allocation import PabulibError, allocate, parse_pabulib, read_pabulib
from buurtbudget.jury.export import load_closed_round, pabulib_text
from buurtbudget.jury.models import CastBallot, Round
from buurtbudget.jury.pabulib_import import PabulibImport
from buurtbudget.people.models import Person
from buurtbudget.pots.errors import InsufficientFunds
from buurtbudget.pots.service import PotService

NL = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib" / "nl"
DIAMANTBUURT = NL / "Netherlands_Amsterdam_522.pb"  # approval, € 100,000, 16 projects with categories
SLOTERDIJK = NL / "Netherlands_Amsterdam_643.pb"  # choose-1, € 5,720, 3 projects, 66 votes
TABLES = (Round, Initiative, Person, CastBallot, AuditEntry, TimelineEvent)


async def counts(session: AsyncSession) -> dict[str, int]:
    session.expire_all()
    return {
        table.__name__: await session.scalar(select(func.count()).select_from(table)) or 0 for table in TABLES
    }


async def fund(session: AsyncSession, world: World, cents: int) -> None:
    await PotService(session).fund(world.actors["municipality_admin"], world.pot_id, cents)


async def test_a_pabulib_file_becomes_a_closed_round_tallied_with_the_chosen_rule(
    session: AsyncSession, world: World
) -> None:
    await fund(session, world, 100_000_00)
    election = read_pabulib(DIAMANTBUURT)
    imported = await PabulibImport(session).import_file(
        world.actors["municipality_admin"], world.pot_id, DIAMANTBUURT, rule="mes"
    )

    round_ = await session.get(Round, imported.round_id)
    assert round_ is not None
    assert (round_.state, round_.mode, round_.amount_cents, round_.rule, round_.tie_break) == (
        "closed",
        "open",
        100_000_00,
        "mes",
        "lexicographic",
    )
    assert round_.max_total_cents == 100_000_00  # the file's max_sum_cost, in cents
    assert round_.name == "Buurtbudget Diamantbuurt"
    assert imported.ballots == len(election.ballots)
    # The same selection as the rule gives on the file itself, in initiative ids.
    expected = allocate(election, "mes", "lexicographic").selected
    assert sorted(imported.result["selected"]) == sorted(  # type: ignore[call-overload]
        str(imported.initiative_ids[p]) for p in expected
    )

    initiatives = {
        i.id: i
        for i in (
            await session.scalars(
                select(Initiative).where(Initiative.id.in_(imported.initiative_ids.values()))
            )
        )
    }
    first = initiatives[imported.initiative_ids["41514"]]
    assert first.title == "Een groener en gezelliger Plein Robijn!"
    assert [(line.amount_cents, line.essential) for line in first.cost_lines] == [(30_000_00, True)]
    assert first.themes == ["straten groen en pleinen"]
    chosen = {imported.initiative_ids[p] for p in expected}
    assert {i: initiatives[i].state for i in initiatives} == {
        i: State.GRANTED if i in chosen else State.DECLINED for i in initiatives
    }
    # Owned by one pseudonymous resident of the pot's neighbourhood; every vote is its own ballot.
    owners = {initiator.person_id for i in initiatives.values() for initiator in i.initiators}
    [owner] = [await session.get(Person, person_id) for person_id in owners]
    assert owner is not None
    assert owner.email.endswith("@pabulib.invalid")
    assert owner.roles == []  # a resident by verification, not by a role
    assert {(v.neighbourhood_id, v.method) for v in owner.verifications} == {(world.zuilen_id, "approval")}
    assert await session.scalar(
        select(func.count()).select_from(CastBallot).where(CastBallot.round_id == imported.round_id)
    ) == len(election.ballots)

    summary = (await PotService(session).summaries([world.pot_id]))[world.pot_id]
    spent = sum(line.amount_cents for i in chosen for line in initiatives[i].cost_lines)
    assert (summary.granted_cents, summary.reserved_cents) == (spent, 0)
    assert (await verify_chain(session)).ok

    # Its export gives the research reference the same greedy winners as the original file.
    text = pabulib_text(await load_closed_round(session, imported.round_id))
    instance, profile = parse_pabulib_from_string(text)
    ours = {str(imported.initiative_ids[p]) for p in allocate(election, "greedy").selected}
    assert {p.name for p in greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)} == ours


async def test_a_choose_one_file_keeps_one_mark_per_ballot(session: AsyncSession, world: World) -> None:
    imported = await PabulibImport(session).import_file(
        world.actors["municipality_admin"], world.pot_id, SLOTERDIJK
    )
    round_ = await session.get(Round, imported.round_id)
    assert round_ is not None
    assert (round_.ballot_kind, round_.max_approvals, round_.rule) == ("approval", 1, "greedy")
    # The file's own rule: the most chosen project (€ 5,000) fits; the others (€ 2,000) no longer do.
    assert imported.result["selected"] == [str(imported.initiative_ids["44251"])]
    assert allocate(read_pabulib(SLOTERDIJK), "greedy").selected == ("44251",)


def malformed(tmp_path: Path) -> tuple[Path, int]:
    """The Diamantbuurt file with a vote for a project that does not exist; returns the file and that line."""
    lines = DIAMANTBUURT.read_text(encoding="utf-8-sig").splitlines()
    at = next(n for n, line in enumerate(lines) if line.startswith("VOTES")) + 5
    voter, _ = lines[at].split(";", 1)
    lines[at] = f"{voter};41514,99999"
    path = tmp_path / "kapot.pb"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, at + 1


async def test_a_malformed_file_names_section_and_line_and_stores_nothing(
    session: AsyncSession, world: World, tmp_path: Path
) -> None:
    await fund(session, world, 100_000_00)
    path, line = malformed(tmp_path)
    before = await counts(session)
    with pytest.raises(PabulibError) as caught:
        await PabulibImport(session).import_file(world.actors["municipality_admin"], world.pot_id, path)
    assert (caught.value.section, caught.value.line) == ("votes", line)
    assert "99999" in caught.value.message
    assert await counts(session) == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("cost", "41514;30000;", "41514;300.001;"), "projects.41514.cost"),
        (("cost", "41514;30000;", "41514;0;"), "projects.41514.cost"),
        (("budget", "budget;100000", "budget;0.005"), "budget"),
        (("vote_type", "vote_type;approval", "vote_type;ordinal"), "vote_type"),
    ],
    ids=["fraction-of-a-cent", "free-project", "budget-below-a-cent", "ordinal-votes"],
)
async def test_values_the_platform_cannot_hold_are_refused_by_field_and_nothing_is_stored(
    session: AsyncSession, world: World, change: tuple[str, str, str], field: str
) -> None:
    await fund(session, world, 100_000_00)
    _name, old, new = change
    text = DIAMANTBUURT.read_text(encoding="utf-8-sig")
    assert old in text
    before = await counts(session)
    with pytest.raises(InvalidInput) as caught:
        await PabulibImport(session).import_election(
            world.actors["municipality_admin"], world.pot_id, parse_pabulib(text.replace(old, new, 1))
        )
    assert caught.value.field == field
    assert await counts(session) == before


async def test_a_pot_that_holds_too_little_or_a_non_administrator_stores_nothing(
    session: AsyncSession, world: World
) -> None:
    before = await counts(session)
    with pytest.raises(InsufficientFunds):  # € 100,000 from a pot of € 10,000
        await PabulibImport(session).import_file(
            world.actors["municipality_admin"], world.pot_id, DIAMANTBUURT
        )
    for who in ("resident", "broker", "other_municipality_admin"):
        with pytest.raises(NotAllowed):
            await PabulibImport(session).import_file(world.actors[who], world.pot_id, SLOTERDIJK)
    with pytest.raises(InvalidInput) as caught:
        await PabulibImport(session).import_file(world.actors["municipality_admin"], 999_999, SLOTERDIJK)
    assert caught.value.field == "pot_id"
    assert await counts(session) == before


def stored(database_url: str) -> dict[str, int]:
    async def run() -> dict[str, int]:
        engine = create_engine(database_url)
        async with create_session_factory(engine)() as session:
            found = await counts(session)
        await engine.dispose()
        return found

    return asyncio.run(run())


def test_the_command_line_imports_a_file_and_refuses_a_malformed_one(
    world: World, database_url: str, tmp_path: Path
) -> None:
    env = {"BUURTBUDGET_DATABASE_URL": database_url}
    path, line = malformed(tmp_path)
    before = stored(database_url)
    refused = CliRunner().invoke(main, ["round", "import", str(path), "--pot", str(world.pot_id)], env=env)
    assert refused.exit_code == 2
    assert f"line {line} (section VOTES)" in refused.output
    assert "nothing was stored" in refused.output
    assert stored(database_url) == before

    poor = CliRunner().invoke(
        main, ["round", "import", str(DIAMANTBUURT), "--pot", str(world.pot_id)], env=env
    )
    assert poor.exit_code == 2
    assert "amount_cents" in poor.output
    assert stored(database_url) == before

    done = CliRunner().invoke(
        main, ["round", "import", str(SLOTERDIJK), "--pot", str(world.pot_id), "--rule", "mes-add1"], env=env
    )
    assert done.exit_code == 0, done.output
    printed = json.loads(done.output)
    assert (printed["rule"], printed["tie_break"], printed["budget"], printed["ballots"]) == (
        "mes-add1",
        "lexicographic",
        5_720_00,
        66,
    )
    assert set(printed["initiatives"]) == {"44250", "44251", "44252"}
    assert stored(database_url)["Round"] == before["Round"] + 1
