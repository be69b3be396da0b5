"""Partial grants: only what no longer fits in full, only its essential lines, best supported first."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from buurtbudget.jury.allocation import TieBreak, allocate
from buurtbudget.jury.allocation.model import Ballot, Election, Project
from buurtbudget.jury.allocation.tiebreak import tie_break_key
from buurtbudget.jury.partial import partial_grants


def election(budget: int, costs: dict[str, int], approvals: list[set[str]]) -> Election:
    return Election(
        budget=Fraction(budget),
        projects=tuple(Project(id=i, cost=Fraction(c)) for i, c in costs.items()),
        ballots=tuple(Ballot(approved=frozenset(a)) for a in approvals),
    )


def partial(e: Election, optional: dict[str, int]) -> dict[str, int]:
    outcome = allocate(e, "greedy", TieBreak.LEXICOGRAPHIC)
    return partial_grants(e, set(outcome.selected), optional, tie_break_key(e, TieBreak.LEXICOGRAPHIC))


def test_what_no_longer_fits_in_full_gets_its_essential_lines() -> None:
    # a (600) is chosen; b (700, of which 300 optional) does not fit in the remaining 400: its 400 does.
    e = election(1000, {"a": 600, "b": 700}, [{"a", "b"}, {"a", "b"}, {"a"}])
    assert partial(e, {"b": 300}) == {"b": 400}


def test_without_optional_lines_there_is_no_partial_grant() -> None:
    e = election(1000, {"a": 600, "b": 700}, [{"a", "b"}, {"a"}])
    assert partial(e, {}) == {}


def test_essential_lines_that_do_not_fit_either_get_nothing() -> None:
    e = election(1000, {"a": 600, "b": 700}, [{"a", "b"}, {"a"}])
    assert partial(e, {"b": 200}) == {}  # 500 essential > 400 left


def test_the_better_supported_initiative_gets_the_leftover_first() -> None:
    # 400 left after a; b and c each need 300 essential: only b (more support) gets it.
    e = election(1000, {"a": 600, "b": 500, "c": 500}, [{"a", "b", "c"}, {"a", "b"}, {"a"}])
    assert partial(e, {"b": 200, "c": 200}) == {"b": 300}


def test_an_initiative_nobody_supported_gets_nothing() -> None:
    e = election(1000, {"a": 600, "b": 700}, [{"a"}])
    assert partial(e, {"b": 600}) == {}


@given(
    costs=st.lists(st.integers(1, 900), min_size=1, max_size=6),
    shares=st.lists(st.integers(0, 100), min_size=6, max_size=6),
    approvals=st.lists(st.sets(st.integers(0, 5)), min_size=1, max_size=8),
    budget=st.integers(1, 2000),
)
def test_never_over_budget_and_never_more_than_the_essential_part(
    costs: list[int], shares: list[int], approvals: list[set[int]], budget: int
) -> None:
    ids = [str(n) for n in range(len(costs))]
    e = election(budget, dict(zip(ids, costs, strict=True)), [{str(a) for a in s} for s in approvals])
    optional = {i: cost * share // 100 for i, cost, share in zip(ids, costs, shares, strict=False)}
    outcome = allocate(e, "greedy", TieBreak.LEXICOGRAPHIC)
    granted = partial_grants(e, set(outcome.selected), optional, tie_break_key(e, TieBreak.LEXICOGRAPHIC))
    assert outcome.total_cost + sum(granted.values()) <= budget
    for project_id, cents in granted.items():
        assert project_id not in outcome.selected
        assert cents == dict(zip(ids, costs, strict=True))[project_id] - optional[project_id] > 0
