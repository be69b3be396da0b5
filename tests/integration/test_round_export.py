"""Round exports: anyone redoes a closed round from its Pabulib file; the CSV says who got what and why."""

import asyncio
import csv
import io
import json
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from click.testing import CliRunner
from conftest import Inbox, World, sign_in
from pabutools.election import Cost_Sat
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares
from sqlalchemy.ext.asyncio import AsyncSession
from test_api_roles import ROLES
from test_jury_rounds import residents

from api.cli import main
from api.jury.result_view import PARTLY_REASON, REASONS
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.errors import Conflict
from buurtbudget.formatting import money
from buurtbudget.i18n import gettext
from buurtbudget.initiatives.lifecycle import Action
from buurtbudget.initiatives.rules import CostLineInput, DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.jury.allocation import Rule, TieBreak, read_pabulib
from buurtbudget.jury.ballots import BallotKind, BallotRules
from buurtbudget.jury.export import load_closed_round, pabulib_text
from buurtbudget.jury.rounds import RoundPlan, RoundService
from buurtbudget.settings import Settings

NOW = datetime.now(UTC)
T = TypeVar("T")


async def ready(
    session: AsyncSession,
    world: World,
    budgets: list[list[CostLineInput]],
    themes: list[list[str]] | None = None,
) -> list[int]:
    """Initiatives with these cost lines (and themes), taken to 'ready for the jury'."""
    service = InitiativeService(session)
    ids = []
    for number, lines in enumerate(budgets):
        initiative = await service.create_draft(
            world.actors["resident"],
            world.zuilen_id,
            DraftContent(
                title=f"Plan {number + 1}; met een puntkomma",
                summary="Een plan voor de buurt.",
                themes=(themes or [[]] * len(budgets))[number],
                cost_lines=lines,
            ),
        )
        await service.act(world.actors["resident"], initiative.id, Action.SUBMIT)
        await service.act(world.actors["broker"], initiative.id, Action.START_REVIEW)
        await service.act(world.actors["broker"], initiative.id, Action.MARK_READY)
        ids.append(initiative.id)
    return ids


def open_plan(ids: list[int], amount: int, rule: Rule, kind: BallotKind = BallotKind.APPROVAL) -> RoundPlan:
    return RoundPlan(
        name="Open ronde",
        mode="open",
        amount_cents=amount,
        initiative_ids=ids,
        rules=BallotRules(kind, points=10),
        rule=rule,
        tie_break=TieBreak.LEXICOGRAPHIC,
        voting_opens_at=NOW - timedelta(hours=1),
        voting_closes_at=NOW + timedelta(days=7),
    )


async def vote_and_close(
    session: AsyncSession, world: World, round_id: int, ballots: list[dict[int, int]]
) -> dict[str, object]:
    service = RoundService(session)
    for voter, marks in zip(await residents(session, world, len(ballots)), ballots, strict=True):
        await service.cast_ballot(voter, round_id, marks)
    return await service.close_round(
        world.actors["municipality_admin"], round_id, reason="Alle juryleden hebben gestemd"
    )


def allocate_cli(path: Path, rule: str) -> dict[str, Any]:
    run = CliRunner().invoke(main, ["allocate", str(path), "--rule", rule])
    assert run.exit_code == 0, run.output
    found: dict[str, Any] = json.loads(run.output)
    return found


def pabutools_winners(text: str, rule: str) -> list[str]:
    instance, profile = parse_pabulib_from_string(text)
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    else:
        increment = 1 if rule == "mes-add1" else None
        outcome = method_of_equal_shares(
            instance, profile, sat_class=Cost_Sat, voter_budget_increment=increment
        )
    return sorted(p.name for p in outcome)


@pytest.mark.parametrize("rule", ["greedy", "mes", "mes-add1"])
async def test_pabutools_and_allocate_redo_the_published_selection_from_the_export(
    session: AsyncSession, world: World, rule: str, tmp_path: Path
) -> None:
    chooser = random.Random(f"export-{rule}")
    costs = [chooser.choice([150, 200, 300, 350, 500, 800]) for _ in range(7)]
    ids = await ready(
        session,
        world,
        [[CostLineInput("Materiaal", cents)] for cents in costs],
        [["groen"], ["spelen", "groen"]] * 3 + [[]],
    )
    round_ = await RoundService(session).open_round(
        world.actors["municipality_admin"], world.pot_id, open_plan(ids, 1_200, Rule(rule))
    )
    ballots = [dict.fromkeys(chooser.sample(ids, chooser.randint(1, 4)), 1) for _ in range(24)]
    result = await vote_and_close(session, world, round_.id, ballots)

    text = pabulib_text(await load_closed_round(session, round_.id))
    published = sorted(str(i) for i in result["selected"])  # type: ignore[attr-defined]
    assert pabutools_winners(text, rule) == published
    path = tmp_path / "ronde.pb"
    path.write_text(text, encoding="utf-8")
    redone = allocate_cli(path, rule)
    assert sorted(redone["selected"]) == published
    assert (redone["budget"], redone["total_cost"], redone["tie_break"]) == (
        1_200,
        result["total_cost"],
        "lexicographic",
    )
    # The file says what it is: amounts in cents, the rule, the tie-break and the round's seed.
    election = read_pabulib(path)
    assert election.meta["vote_type"] == "approval"
    assert (election.meta["rule"], election.meta["tie_break"], election.meta["seed"]) == (
        rule,
        "lexicographic",
        round_.seed,
    )
    assert "euro cents" in election.meta["comment"]
    assert {p.id: int(p.cost) for p in election.projects} == {
        str(i): c for i, c in zip(ids, costs, strict=True)
    }
    assert election.by_id[str(ids[1])].categories == {"groen", "spelen"}
    assert election.by_id[str(ids[0])].name == "Plan 1; met een puntkomma"
    # Anonymous: voters are numbered at export, and the ballots are the ones cast.
    assert [b.voter_id for b in election.ballots] == [str(n) for n in range(1, 25)]
    assert sorted(sorted(b.approved) for b in election.ballots) == sorted(
        sorted(str(i) for i in marks) for marks in ballots
    )
    assert "@" not in text


async def test_a_cumulative_round_exports_its_points(session: AsyncSession, world: World) -> None:
    ids = await ready(session, world, [[CostLineInput("Materiaal", c)] for c in (400, 300, 500)])
    round_ = await RoundService(session).open_round(
        world.actors["municipality_admin"],
        world.pot_id,
        open_plan(ids, 800, Rule.GREEDY, BallotKind.CUMULATIVE),
    )
    ballots = [{ids[0]: 7, ids[2]: 3}, {ids[1]: 10}, {ids[0]: 2, ids[1]: 4, ids[2]: 4}]
    result = await vote_and_close(session, world, round_.id, ballots)
    text = pabulib_text(await load_closed_round(session, round_.id))

    instance, profile = parse_pabulib_from_string(text)
    assert instance.meta["vote_type"] == "cumulative"
    assert instance.meta["max_sum_points"] == "10"
    assert sorted(sorted((p.name, int(points)) for p, points in b.items()) for b in profile) == sorted(
        sorted((str(i), points) for i, points in marks.items()) for marks in ballots
    )
    from buurtbudget.jury.allocation import allocate, parse_pabulib

    redone = allocate(parse_pabulib(text), "greedy", "lexicographic")
    assert sorted(redone.selected) == sorted(str(i) for i in result["selected"])  # type: ignore[attr-defined]


async def test_the_ballots_are_secret_until_the_round_is_closed(session: AsyncSession, world: World) -> None:
    ids = await ready(session, world, [[CostLineInput("Materiaal", 500)]])
    round_ = await RoundService(session).open_round(
        world.actors["municipality_admin"], world.pot_id, open_plan(ids, 500, Rule.GREEDY)
    )
    with pytest.raises(Conflict) as caught:
        await load_closed_round(session, round_.id)
    assert caught.value.message == "the ballots are secret until the round is closed"


def run(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def go() -> T:
        engine = create_engine(settings.database_url)
        try:
            async with create_session_factory(engine)() as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(go())


def csv_round(settings: Settings, world: World, *, close: bool = True) -> tuple[int, list[int]]:
    """A closed greedy round of € 10: A (€ 6) granted, B (€ 5, € 1.50 optional) partly, C (€ 4.50) not."""

    async def work(session: AsyncSession) -> tuple[int, list[int]]:
        ids = await ready(
            session,
            world,
            [
                [CostLineInput("Tent", 600)],
                [CostLineInput("Zaal", 350), CostLineInput("Koffie", 150, essential=False)],
                [CostLineInput("Verf", 450)],
            ],
        )
        round_ = await RoundService(session).open_round(
            world.actors["municipality_admin"], world.pot_id, open_plan(ids, 1_000, Rule.GREEDY)
        )
        if close:
            a, b, c = ids
            await vote_and_close(session, world, round_.id, [{a: 1, b: 1, c: 1}, {a: 1, b: 1}, {a: 1}])
        return round_.id, ids

    return run(settings, work)


def test_the_csv_says_per_initiative_what_it_got_and_why(
    client: Any, inbox: Inbox, settings: Settings, world: World
) -> None:
    round_id, (a, b, c) = csv_round(settings, world)
    response = client.get(f"/api/v1/rounds/{round_id}/export.csv")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="buurtbudget-ronde-{round_id}.csv"' in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [
        (
            r["initiative_id"],
            r["cost_cents"],
            r["support"],
            r["votes"],
            r["outcome"],
            r["reason"],
            r["granted_cents"],
        )
        for r in rows
    ] == [
        (str(a), "600", "3", "3", "granted", "selected", "600"),
        (str(b), "500", "2", "2", "partly", "partly-granted", "350"),
        (str(c), "450", "1", "1", "not", "did-not-fit", "0"),
    ]
    assert rows[1]["title"] == "Plan 2; met een puntkomma"
    # Worded as the result page words it, in Dutch unless the visitor reads English.
    assert rows[1]["explanation"] == gettext(PARTLY_REASON, "nl").format(
        granted=money(350, "nl"), asked=money(500, "nl")
    )
    assert rows[2]["explanation"] == gettext(REASONS["did-not-fit"], "nl").format(remaining=money(400, "nl"))
    english = client.get(f"/api/v1/rounds/{round_id}/export.csv", headers={"Accept-Language": "en"})
    assert list(csv.DictReader(io.StringIO(english.text)))[2]["explanation"] == REASONS["did-not-fit"].format(
        remaining=money(400, "en")
    )

    pabulib = client.get(f"/api/v1/rounds/{round_id}/export.pb")
    assert pabulib.status_code == 200
    assert pabulib.headers["content-type"].startswith("text/plain")
    assert f'filename="buurtbudget-ronde-{round_id}.pb"' in pabulib.headers["content-disposition"]
    assert "budget;1000\n" in pabulib.text


def test_every_role_downloads_a_closed_round_and_nobody_an_open_one(
    client: Any, inbox: Inbox, settings: Settings, world: World
) -> None:
    closed, _ = csv_round(settings, world)
    still_open, _ = csv_round(settings, world, close=False)
    for role in ROLES:
        client.cookies.clear()
        if role != "anonymous":
            sign_in(client, inbox, world.emails[role])
        for kind in ("pb", "csv"):
            assert client.get(f"/api/v1/rounds/{closed}/export.{kind}").status_code == 200, (role, kind)
            refused = client.get(f"/api/v1/rounds/{still_open}/export.{kind}")
            assert refused.status_code == 409, (role, kind)
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.json()["code"] == "conflict"
    assert "geheim" in client.get(f"/api/v1/rounds/{still_open}/export.pb").json()["detail"]
    missing = client.get("/api/v1/rounds/999999/export.csv")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
