"""Greedy, MES and knapsack on small hand-made elections: winners, tie-breaks and explanations."""

from fractions import Fraction

import pytest

from buurtbudget.jury.allocation import Ballot, Election, Project, Reason, Rule, TieBreak, allocate
from buurtbudget.jury.allocation.errors import UnknownRuleError
from buurtbudget.jury.allocation.rules.greedy import greedy
from buurtbudget.jury.allocation.tiebreak import lot_ticket, tie_break_order


def election(budget: int, costs: dict[str, int], votes: list[str], **categories: str) -> Election:
    """Votes are strings of project ids, one character each ('' is an empty ballot)."""
    projects = tuple(
        Project(pid, Fraction(cost), categories=frozenset(filter(None, [categories.get(pid, "")])))
        for pid, cost in costs.items()
    )
    ballots = tuple(Ballot(frozenset(vote)) for vote in votes)
    return Election(budget=Fraction(budget), projects=projects, ballots=ballots)


@pytest.mark.parametrize(
    ("rule", "budget", "costs", "votes", "selected"),
    [
        ("greedy", 10, {"a": 6, "b": 5, "c": 4}, ["ab", "ab", "ac"], {"a", "c"}),
        ("greedy", 10, {"a": 11, "b": 5, "c": 4}, ["a", "a", "b"], {"b", "c"}),  # c has no votes, still fits
        ("knapsack", 10, {"a": 6, "b": 5, "c": 5}, ["a", "a", "a", "b", "b", "c", "c"], {"b", "c"}),
        ("greedy", 10, {"a": 6, "b": 5, "c": 5}, ["a", "a", "a", "b", "b", "c", "c"], {"a"}),
        # MES: the minority (1 of 3 voters) gets its share of the money
        ("mes", 30, {"a": 10, "b": 10, "c": 10, "x": 10}, ["abc", "abc", "x"], {"a", "b", "x"}),
        ("mes", 30, {"a": 20, "b": 20}, ["a", "b", "b"], {"b"}),
        ("mes-add1", 30, {"a": 20, "b": 20, "c": 8}, ["a", "bc", "b"], {"b", "c"}),
        ("mes", 30, {"a": 20, "b": 20, "c": 8}, ["a", "bc", "b"], {"b"}),
        ("mes", 0, {"a": 1}, ["a"], set()),
        ("mes-add1", 10, {"a": 5}, [], set()),
    ],
)
def test_rule_selects(
    rule: str, budget: int, costs: dict[str, int], votes: list[str], selected: set[str]
) -> None:
    outcome = allocate(election(budget, costs, votes), rule)
    assert set(outcome.selected) == selected
    assert outcome.total_cost <= budget
    assert outcome.rule == rule


@pytest.mark.parametrize(
    ("tie_break", "seed", "winner"),
    [
        ("lexicographic", None, "a"),
        ("min-cost", None, "b"),
        ("max-support", None, "a"),
    ],
)
def test_tie_breaks_decide_between_equal_projects(tie_break: str, seed: int | None, winner: str) -> None:
    # a and b tie on approvals; only one fits
    e = election(8, {"a": 6, "b": 5, "c": 9}, ["ab", "ab", "c"])
    outcome = allocate(e, "greedy", tie_break, seed)
    assert outcome.selected == (winner,)
    assert outcome.tie_break == tie_break
    loser = "b" if winner == "a" else "a"
    assert outcome.explanations[loser].reason is Reason.LOST_TIE
    assert outcome.explanations[loser].winner == winner


def test_lot_is_reproducible_from_the_seed() -> None:
    e = election(8, {"a": 6, "b": 5}, ["ab"])
    tickets = {pid: lot_ticket(7, pid) for pid in "ab"}
    expected = min(tickets, key=tickets.__getitem__)
    outcome = allocate(e, "greedy", "lot", 7)
    assert outcome.selected == (expected,)
    assert outcome.as_json()["seed"] == 7
    assert tie_break_order(e, TieBreak.LOT, 7)[expected] == 0


def test_lot_without_seed_is_refused() -> None:
    with pytest.raises(UnknownRuleError, match="seed"):
        allocate(election(8, {"a": 6}, ["a"]), "greedy", "lot")


def test_unknown_rule_is_refused() -> None:
    with pytest.raises(UnknownRuleError, match="choose from greedy"):
        Rule.parse("borda")


def test_greedy_explains_what_did_not_fit() -> None:
    outcome = greedy(election(10, {"a": 7, "b": 5}, ["a", "a", "b"]))
    explanation = outcome.explanations["b"]
    assert explanation.reason is Reason.DID_NOT_FIT
    assert explanation.remaining == 3
    assert str(explanation) == "did not fit in the remaining budget 3"


def test_theme_budgets_cap_a_category_and_the_leftover_is_filled() -> None:
    e = election(
        30, {"a": 8, "b": 8, "c": 3, "d": 10}, ["abd", "abd", "ab", "c"], a="green", b="green", d="play"
    )
    capped = greedy(e, theme_budgets={"green": Fraction(10)}, fill_leftover=False)
    assert set(capped.selected) == {"a", "c", "d"}
    assert capped.explanations["b"].reason is Reason.THEME_BUDGET
    assert capped.explanations["b"].theme == "green"
    assert capped.explanations["b"].remaining == 2
    filled = greedy(e, theme_budgets={"green": Fraction(10)})
    assert set(filled.selected) == {"a", "b", "c", "d"}


def test_theme_budgets_only_with_greedy() -> None:
    with pytest.raises(UnknownRuleError):
        allocate(election(10, {"a": 1}, ["a"]), "mes", theme_budgets={"x": Fraction(1)})


def test_mes_explains_supporters_short() -> None:
    outcome = allocate(election(30, {"a": 20, "b": 20}, ["a", "b", "b"]), "mes")
    assert outcome.explanations["a"].reason is Reason.SUPPORTERS_SHORT
    assert outcome.explanations["a"].remaining == 10
    assert outcome.explanations["b"].reason is Reason.SELECTED


def test_outcome_json_shape() -> None:
    outcome = allocate(election(10, {"a": 6, "b": 5}, ["a", "a", "b"]), "greedy")
    assert outcome.as_json() == {
        "rule": "greedy",
        "tie_break": "lexicographic",
        "budget": 10,
        "selected": ["a"],
        "total_cost": 6,
    }


def test_knapsack_prefers_tie_break_favourites_among_optima() -> None:
    e = election(10, {"a": 5, "b": 5, "c": 5}, ["abc"])
    assert allocate(e, "knapsack").selected == ("a", "b")
    assert allocate(e, "knapsack", "lot", 3).total_cost == 10
