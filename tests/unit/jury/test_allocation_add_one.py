"""Add-one completion: runs stopped once their outcome is certainly open give the linear loop's result."""

import random
from fractions import Fraction

import pytest

from buurtbudget.jury.allocation import Ballot, Election, Project, equal_shares
from buurtbudget.jury.allocation.rules import mes_open
from buurtbudget.jury.allocation.rules.mes_open import OpenCheck

pytest.importorskip("numpy")


def medium_election(seed: int) -> Election:
    """Up to 25 projects of skewed popularity and up to 300 voters: add-one takes many passes."""
    rng = random.Random(seed)
    ids = [str(i) for i in range(rng.randint(3, 25))]
    popularity = [rng.random() ** 2 for _ in ids]
    costs = [Fraction(rng.choice([rng.randint(1, 60), rng.randint(50, 400), 100])) for _ in ids]
    ballots = tuple(
        Ballot(frozenset(p for p, w in zip(ids, popularity, strict=True) if rng.random() < w))
        for _ in range(rng.randint(20, 300))
    )
    budget = Fraction(rng.randint(1, int(sum(costs)) + 1), rng.choice([1, 1, 2, 7]))
    return Election(budget=budget, projects=tuple(map(Project, ids, costs)), ballots=ballots)


def test_early_stops_keep_the_linear_loops_outcome(monkeypatch: pytest.MonkeyPatch) -> None:
    proved = 0
    prove = OpenCheck.prove

    def counting(self: OpenCheck, *args: object, **kwargs: object) -> tuple[bool, list[int], int | None]:
        nonlocal proved
        result = prove(self, *args, **kwargs)  # type: ignore[arg-type]
        proved += result[0]
        return result

    monkeypatch.setattr(mes_open.OpenCheck, "prove", counting)
    for seed in range(40):
        election = medium_election(seed)
        exact = equal_shares(election, add_one=True, engine="exact")  # every pass run to the end
        vector = equal_shares(election, add_one=True, engine="vector")
        assert vector.selected == exact.selected, seed
    assert proved > 100  # the early stop was exercised


COSTS = [Fraction(c) for c in (50, 30, 20, 10)]


@pytest.mark.parametrize(
    ("spent", "alive", "dropped", "unaffordable", "limit", "proved", "left"),
    [
        # 40 spent + 30 + 20 possibly still selected + 10 shown unaffordable earlier = 100
        (40, [1, 2], 10, set(), 100, True, [1, 2]),
        (40, [1, 2], 10, set(), 99, False, [1, 2]),
        # nothing shown unaffordable yet: the sweep finds the 50 unaffordable; 40 + 30 + 20 + 10 + 50 fits
        (40, [0, 1, 2, 3], None, {0}, 150, True, [1, 2, 3]),
        (40, [0, 1, 2, 3], None, {0}, 149, False, [1, 2, 3]),
        # nothing unaffordable at all: no project is sure to stay out, so no proof
        (0, [0, 1, 2, 3], None, set(), 1000, False, [0, 1, 2, 3]),
        # 95 spent: even the cheapest left (10) cannot fit, the sweep gives up at once
        (95, [0, 3], None, {0, 3}, 100, False, [0, 3]),
    ],
)
def test_the_proof_counts_what_may_still_be_selected(
    spent: int,
    alive: list[int],
    dropped: int | None,
    unaffordable: set[int],
    limit: int,
    proved: bool,
    left: list[int],
) -> None:
    check = OpenCheck(Fraction(limit), COSTS)
    result = check.prove(spent, alive, dropped, unaffordable.__contains__, step=3)
    assert result[0] is proved
    assert result[1] == left


def test_the_proof_works_in_units_of_the_common_denominator() -> None:
    check = OpenCheck(Fraction(7, 2), [Fraction(1, 3), Fraction(5, 4)])
    assert check.scale == 12
    assert check.cost == [4, 15]
    assert check.limit == 42
