"""Properties of every rule on random elections: within budget, greedy exhaustive, MES budget-balanced."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from buurtbudget.jury.allocation import Ballot, Election, Project, allocate
from buurtbudget.jury.allocation.rules.mes_exact import ExactEqualShares
from buurtbudget.jury.allocation.tiebreak import TieBreak, tie_break_order

IDS = [str(i) for i in range(1, 9)]


@st.composite
def elections(draw: st.DrawFn) -> Election:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=7, unique=True))
    costs = draw(st.lists(st.integers(0, 30), min_size=len(ids), max_size=len(ids)))
    votes = draw(st.lists(st.sets(st.sampled_from(ids)), min_size=0, max_size=10))
    budget = draw(st.integers(0, 60))
    return Election(
        budget=Fraction(budget),
        projects=tuple(Project(pid, Fraction(cost)) for pid, cost in zip(ids, costs, strict=True)),
        ballots=tuple(Ballot(frozenset(v)) for v in votes),
    )


@settings(max_examples=150, deadline=None)
@given(
    elections(), st.sampled_from(["greedy", "mes", "mes-add1", "knapsack"]), st.sampled_from(list(TieBreak))
)
def test_never_over_budget(election: Election, rule: str, tie_break: TieBreak) -> None:
    outcome = allocate(election, rule, tie_break, seed=1)
    assert outcome.total_cost <= election.budget
    assert outcome.total_cost == sum(election.by_id[p].cost for p in outcome.selected)
    assert len(set(outcome.selected)) == len(outcome.selected)


@settings(max_examples=150, deadline=None)
@given(elections(), st.sampled_from(["greedy", "knapsack"]))
def test_greedy_and_knapsack_are_exhaustive(election: Election, rule: str) -> None:
    outcome = allocate(election, rule)
    left = election.budget - outcome.total_cost
    assert all(p.id in outcome.selected or p.cost > left for p in election.projects)


@settings(max_examples=150, deadline=None)
@given(elections())
def test_mes_is_budget_balanced_per_voter(election: Election) -> None:
    if not election.ballots:
        return
    share = election.budget / len(election.ballots)
    run = ExactEqualShares(election, tie_break_order(election, TieBreak.LEXICOGRAPHIC)).run(
        share, explain=True
    )
    assert run.payments is not None
    spent: dict[frozenset[str], Fraction] = {}
    weight: dict[frozenset[str], int] = {}
    for ballot in election.ballots:
        weight[ballot.approved] = weight.get(ballot.approved, 0) + 1
    for pid in run.selected:
        paid = run.payments[pid]
        assert all(pid in ballot for ballot in paid)  # only supporters pay
        assert sum(weight[b] * amount for b, amount in paid.items()) == election.by_id[pid].cost
        for ballot, amount in paid.items():
            spent[ballot] = spent.get(ballot, Fraction(0)) + amount
    assert all(total <= share for total in spent.values())  # nobody pays more than an equal share
