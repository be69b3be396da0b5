"""Our allocation rules give the same winners as pabutools, the research reference implementation.

Compared: greedy (greedy_utilitarian_welfare, Cost_Sat), mes (method_of_equal_shares, Cost_Sat) and
mes-add1 (the same with voter_budget_increment=1), lexicographic tie-break, on every approval election
in ../shared/data/pabulib/ and its nl/ folder and on 200 random seeded instances; knapsack by its
objective (max_additive_utilitarian_welfare with Cardinality_Sat: total approvals).

pabutools' add-one completion reruns MES once per unit of budget per voter and needs minutes to hours
on the larger elections, so in this suite mes-add1 is compared on the elections of at most QUICK_ADD1
projects x voters and on the random instances; the larger elections are not compared here.
"""

import os
import random
from fractions import Fraction
from functools import cache
from pathlib import Path

import pytest
from pabutools.election import (
    ApprovalBallot,
    ApprovalProfile,
    Cardinality_Sat,
    Cost_Sat,
    Instance,
    parse_pabulib,
)
from pabutools.election import Project as RefProject
from pabutools.rules import (
    greedy_utilitarian_welfare,
    max_additive_utilitarian_welfare,
    method_of_equal_shares,
)

from buurtbudget.jury.allocation import Ballot, Election, Project, allocate, equal_shares, read_pabulib

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pabulib"
FILES = sorted(DATA.glob("*.pb")) + sorted(DATA.glob("nl/*.pb"))
QUICK_ADD1 = 5_000  # projects x voters up to which pabutools' add-one takes seconds, not minutes
RANDOM_INSTANCES = 200


def _approval(path: Path) -> bool:
    with path.open(encoding="utf-8-sig") as handle:
        for line in handle:
            if line.lower().startswith("vote_type;"):
                return line.split(";")[1].strip() in ("approval", "choose-1")
    return False


def _size(path: Path) -> int:
    election = _ours(path)
    return len(election.projects) * len(election.ballots)


@cache
def _ours(path: Path) -> Election:
    return read_pabulib(path)


@cache
def _reference(path: Path) -> tuple[Instance, ApprovalProfile]:
    instance, profile = parse_pabulib(str(path))
    return instance, profile


def _elections() -> list[Path]:
    if not DATA.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Pabulib data missing at {DATA}")
        return []
    return [path for path in FILES if _approval(path)]


ELECTIONS = _elections()


def _reference_winners(instance: Instance, profile: ApprovalProfile, rule: str) -> list[str]:
    if rule == "greedy":
        outcome = greedy_utilitarian_welfare(instance, profile, sat_class=Cost_Sat)
    elif rule == "mes":
        outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat)
    else:
        outcome = method_of_equal_shares(instance, profile, sat_class=Cost_Sat, voter_budget_increment=1)
    return sorted(p.name for p in outcome)


def _cases() -> list[object]:
    return [
        pytest.param(path, rule, id=f"{path.stem}-{rule}")
        for path in ELECTIONS
        for rule in ("greedy", "mes", "mes-add1")
        if rule != "mes-add1" or _size(path) <= QUICK_ADD1
    ]


def test_the_comparison_covers_the_elections() -> None:
    assert len(ELECTIONS) >= 50 or not DATA.is_dir()


@pytest.mark.parametrize(("path", "rule"), _cases())
def test_winners_equal_pabutools_on_pabulib(path: Path, rule: str) -> None:
    ours = allocate(_ours(path), rule, "lexicographic")
    assert sorted(ours.selected) == _reference_winners(*_reference(path), rule)


@pytest.mark.parametrize("path", ELECTIONS, ids=[p.stem for p in ELECTIONS])
def test_knapsack_objective_equals_pabutools_on_pabulib(path: Path) -> None:
    election = _ours(path)
    ours = allocate(election, "knapsack")
    instance, profile = _reference(path)
    best = max_additive_utilitarian_welfare(instance, profile, sat_class=Cardinality_Sat)
    reference = sum(sum(1 for b in profile if p in b) for p in best)
    assert sum(election.approvals[pid] for pid in ours.selected) == reference
    assert ours.total_cost <= election.budget


def random_election(seed: int) -> Election:
    """A small election with many ties: few distinct costs, few voters, small budgets."""
    rng = random.Random(seed)
    ids = [str(rng.randrange(1, 40)) for _ in range(rng.randint(2, 9))]
    ids = list(dict.fromkeys(ids))
    projects = tuple(Project(pid, Fraction(rng.choice([0, 1, 2, 3, 5, 8, 10, 20]))) for pid in ids)
    ballots = tuple(
        Ballot(frozenset(rng.sample(ids, rng.randint(0, len(ids)))), voter_id=str(v))
        for v in range(rng.randint(1, 12))
    )
    budget = Fraction(rng.randint(1, 40))
    return Election(budget=budget, projects=projects, ballots=ballots)


def as_reference(election: Election) -> tuple[Instance, ApprovalProfile]:
    projects = {p.id: RefProject(p.id, int(p.cost)) for p in election.projects}
    instance = Instance(projects.values(), budget_limit=int(election.budget))
    profile = ApprovalProfile([ApprovalBallot(projects[pid] for pid in b.approved) for b in election.ballots])
    return instance, profile


@pytest.mark.parametrize("seed", range(RANDOM_INSTANCES))
def test_winners_equal_pabutools_on_random_instances(seed: int) -> None:
    election = random_election(seed)
    instance, profile = as_reference(election)
    for rule in ("greedy", "mes", "mes-add1"):
        ours = allocate(election, rule)
        assert sorted(ours.selected) == _reference_winners(instance, profile, rule), rule
    best = max_additive_utilitarian_welfare(instance, profile, sat_class=Cardinality_Sat)
    ours = allocate(election, "knapsack")
    assert sum(election.approvals[p] for p in ours.selected) == sum(
        sum(1 for b in profile if p in b) for p in best
    )


@pytest.mark.parametrize("seed", range(0, RANDOM_INSTANCES, 4))
def test_vector_engine_equals_exact_engine(seed: int) -> None:
    pytest.importorskip("numpy")
    election = random_election(seed)
    for add_one in (False, True):
        exact = equal_shares(election, add_one=add_one, engine="exact")
        vector = equal_shares(election, add_one=add_one, engine="vector")
        assert vector.selected == exact.selected
