"""Ballots: each type's limits, recusal and unknown initiatives are refused by field; tallies use them."""

import pytest

from buurtbudget.errors import InvalidInput
from buurtbudget.jury.allocation import allocate
from buurtbudget.jury.ballots import BallotKind, BallotRules, to_election, validate
from buurtbudget.jury.errors import BallotOverLimit, NotOnBallot, RecusedFromInitiative

COSTS = {1: 3_000_00, 2: 2_000_00, 3: 1_500_00, 4: 800_00}
APPROVAL = BallotRules(BallotKind.APPROVAL, max_approvals=3, max_total_cents=5_000_00)
SCORE = BallotRules(BallotKind.SCORE, max_score=5)
CUMULATIVE = BallotRules(BallotKind.CUMULATIVE, points=10)


@pytest.mark.parametrize(
    ("rules", "marks", "kept"),
    [
        (APPROVAL, {1: 1, 2: 1, 3: 0}, {1: 1, 2: 1}),
        (APPROVAL, {}, {}),
        (SCORE, {1: 5, 2: 0, 4: 3}, {1: 5, 4: 3}),
        (CUMULATIVE, {1: 7, 3: 3}, {1: 7, 3: 3}),
    ],
)
def test_valid_ballots_are_kept_without_zero_marks(
    rules: BallotRules, marks: dict[int, int], kept: dict[int, int]
) -> None:
    assert validate(rules, marks, costs=COSTS) == kept


@pytest.mark.parametrize(
    ("rules", "marks", "error", "field"),
    [
        (APPROVAL, {9: 1}, NotOnBallot, "marks.9"),
        (APPROVAL, {1: 2}, InvalidInput, "marks.1"),
        (APPROVAL, {1: -1}, InvalidInput, "marks.1"),
        (APPROVAL, {1: 1, 2: 1, 3: 1, 4: 1}, BallotOverLimit, "marks"),  # four approvals, three allowed
        (APPROVAL, {1: 1, 2: 1, 4: 1}, BallotOverLimit, "marks"),  # € 5.800 chosen, € 5.000 allowed
        (SCORE, {1: 6}, BallotOverLimit, "marks.1"),
        (CUMULATIVE, {1: 6, 2: 5}, BallotOverLimit, "marks"),
        (SCORE, {1: True}, InvalidInput, "marks.1"),
    ],
)
def test_ballots_outside_the_rules_are_refused_by_field(
    rules: BallotRules, marks: dict[int, int], error: type[InvalidInput], field: str
) -> None:
    with pytest.raises(error) as caught:
        validate(rules, marks, costs=COSTS)
    assert caught.value.field == field


def test_a_recused_juror_cannot_mark_that_initiative_but_may_abstain() -> None:
    with pytest.raises(RecusedFromInitiative) as caught:
        validate(APPROVAL, {2: 1}, costs=COSTS, recused=frozenset({2}))
    assert caught.value.field == "marks.2"
    assert validate(APPROVAL, {1: 1, 2: 0}, costs=COSTS, recused=frozenset({2})) == {1: 1}


def test_the_tally_is_a_pure_function_of_ballots_and_rule() -> None:
    ballots = [{1: 1, 2: 1}, {2: 1, 3: 1}, {2: 1, 4: 1}, {3: 1}]
    election = to_election(4_000_00, COSTS, ballots, BallotKind.APPROVAL)
    outcome = allocate(election, "greedy")
    assert (
        outcome.selected
        == allocate(
            to_election(4_000_00, COSTS, list(reversed(ballots)), BallotKind.APPROVAL), "greedy"
        ).selected
    )
    assert sorted(outcome.selected) == ["2", "3"]  # 3 votes and 2 votes; then nothing else fits in € 500
    assert outcome.total_cost == 3_500_00


def test_point_ballots_become_points_in_the_tally() -> None:
    election = to_election(5_000_00, COSTS, [{1: 7, 3: 3}, {3: 10}], BallotKind.CUMULATIVE)
    assert election.support["3"] == 13
    assert election.support["1"] == 7


def test_score_and_point_ballots_count_their_points_as_support() -> None:
    ballots = [{1: 9, 2: 1}, {1: 3}]
    for kind in (BallotKind.SCORE, BallotKind.CUMULATIVE):
        assert dict(to_election(4_000_00, COSTS, ballots, kind).support) == {"1": 12, "2": 1, "3": 0, "4": 0}
    approvals = to_election(4_000_00, COSTS, ballots, BallotKind.APPROVAL)
    assert dict(approvals.support) == {"1": 2, "2": 1, "3": 0, "4": 0}
