"""Ballots as pure data: approval, score and cumulative, their limits, recusal, and the tally's input.

A ballot is a mapping from initiative id to a mark: 1 for an approval, 0..N for a score, points
for a cumulative ballot. Validation refuses anything outside the round's rules with an error
naming the field; a recused juror's silence on an initiative counts as abstaining.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from buurtbudget.errors import InvalidInput
from buurtbudget.jury.allocation import Ballot, Election, Project
from buurtbudget.jury.errors import BallotOverLimit, NotOnBallot, RecusedFromInitiative


class BallotKind(StrEnum):
    APPROVAL = "approval"
    SCORE = "score"
    CUMULATIVE = "cumulative"


# Pabulib's name for each ballot kind (its support of a project sums the points of score ballots).
PABULIB_VOTE_TYPES = {
    BallotKind.APPROVAL: "approval",
    BallotKind.SCORE: "scoring",
    BallotKind.CUMULATIVE: "cumulative",
}


@dataclass(frozen=True, slots=True)
class BallotRules:
    """What a ballot of a round may hold."""

    kind: BallotKind
    max_approvals: int | None = None  # approval: at most this many initiatives
    max_total_cents: int | None = None  # approval: the approved initiatives cost at most this together
    max_score: int = 10  # score: each mark is 0..max_score
    points: int = 10  # cumulative: the marks add up to at most this


def validate(
    rules: BallotRules,
    marks: Mapping[int, int],
    *,
    costs: Mapping[int, int],
    recused: frozenset[int] = frozenset(),
) -> dict[int, int]:
    """The ballot without zero marks, or an error naming the first mark the rules refuse."""
    for initiative_id, mark in marks.items():
        field = f"marks.{initiative_id}"
        if initiative_id not in costs:
            raise NotOnBallot("this initiative is not on the ballot of this round", field=field)
        if initiative_id in recused and mark:
            raise RecusedFromInitiative("you have a conflict of interest with this initiative", field=field)
        if isinstance(mark, bool) or not isinstance(mark, int) or mark < 0:
            raise InvalidInput("a mark is a whole number of at least 0", field=field)
        if rules.kind is BallotKind.APPROVAL and mark > 1:
            raise InvalidInput("an approval is 1 (yes) or 0 (no)", field=field)
        if rules.kind is BallotKind.SCORE and mark > rules.max_score:
            raise BallotOverLimit(
                "this score is higher than the highest score", field=field, limit=rules.max_score
            )
    kept = {initiative_id: mark for initiative_id, mark in marks.items() if mark}
    _check_totals(rules, kept, costs)
    return kept


def _check_totals(rules: BallotRules, kept: Mapping[int, int], costs: Mapping[int, int]) -> None:
    if rules.kind is BallotKind.APPROVAL:
        if rules.max_approvals is not None and len(kept) > rules.max_approvals:
            raise BallotOverLimit(
                "you chose more initiatives than allowed", field="marks", limit=rules.max_approvals
            )
        total = sum(costs[initiative_id] for initiative_id in kept)
        if rules.max_total_cents is not None and total > rules.max_total_cents:
            raise BallotOverLimit(
                "the initiatives you chose cost more than allowed together",
                field="marks",
                limit=rules.max_total_cents,
            )
    if rules.kind is BallotKind.CUMULATIVE and sum(kept.values()) > rules.points:
        raise BallotOverLimit("you gave out more points than you have", field="marks", limit=rules.points)


def to_election(
    budget_cents: int,
    costs: Mapping[int, int],
    ballots: Sequence[Mapping[int, int]],
    kind: BallotKind,
    categories: Mapping[int, frozenset[str]] | None = None,
) -> Election:
    """The tally's input: initiatives as projects (ids as text, costs in cents), one ballot per juror."""
    projects = tuple(
        Project(
            id=str(initiative_id),
            cost=Fraction(cost),
            categories=(categories or {}).get(initiative_id, frozenset()),
        )
        for initiative_id, cost in sorted(costs.items())
    )
    papers = tuple(
        Ballot(
            approved=frozenset(str(i) for i, mark in ballot.items() if mark),
            points=None
            if kind is BallotKind.APPROVAL
            else {str(i): Fraction(m) for i, m in ballot.items() if m},
        )
        for ballot in ballots
    )
    return Election(
        budget=Fraction(budget_cents),
        projects=projects,
        ballots=papers,
        vote_type=PABULIB_VOTE_TYPES[kind],
    )
