"""The tally: the published result as a pure function of the counted ballots and the published rule.

The rule's inputs are published with the round: the budget, the ballot kind, the allocation rule,
the tie-break and its seed, and the minimum support. An initiative below the minimum support is
left out before the rule runs (it is never granted, not even leftover money); the ballots are the
counted ones (a recused juror's marks never count), and how many jurors were recused from each
initiative is published beside its reason.
"""

from collections.abc import Mapping
from dataclasses import replace
from fractions import Fraction

from buurtbudget.jury.allocation import TieBreak, allocate
from buurtbudget.jury.allocation.min_support import with_min_support
from buurtbudget.jury.allocation.result import Outcome, money_json
from buurtbudget.jury.allocation.tiebreak import tie_break_key
from buurtbudget.jury.ballots import BallotKind, to_election
from buurtbudget.jury.models import Round
from buurtbudget.jury.partial import partial_grants
from buurtbudget.jury.result import Explained, RoundResult

PARTLY_GRANTED = "partly-granted"  # the explanation of an initiative that got its essential lines
BELOW_MIN_SUPPORT = "below-min-support"  # less support than the round's minimum: never granted


def tally(
    round_: Round,
    costs: dict[int, int],
    ballots: list[dict[int, int]],
    optional: dict[int, int] | None = None,
    recused: Mapping[int, int] | None = None,
) -> RoundResult:
    """The published result: a pure function of the counted ballots and the round's published rule.

    Besides the selection it holds each initiative's support, its number of votes, what it was granted
    (in full, or partly: its essential lines) and why, so the result page can say "did not fit in the
    remaining € 3.200", "lost a tie to ..." or "less support than the minimum".
    """
    full = to_election(round_.amount_cents, costs, ballots, BallotKind(round_.ballot_kind))
    support = full.support
    minimum = round_.min_support
    election = with_min_support(full, minimum)
    enough = {int(p.id): costs[int(p.id)] for p in election.projects}
    seed = int(round_.seed, 16)
    explanations: dict[str, Explained] = {}
    selected: tuple[str, ...] = ()
    partial: dict[str, int] = {}
    budget = Fraction(round_.amount_cents)
    outcome = Outcome(round_.rule, round_.tie_break, budget, (), Fraction(0), seed=seed)
    if enough:
        outcome = allocate(election, round_.rule, round_.tie_break, seed=seed)
        selected = outcome.selected
        partial = partial_grants(
            election,
            set(selected),
            {str(i): cents for i, cents in (optional or {}).items() if i in enough},
            tie_break_key(election, TieBreak(round_.tie_break), seed),
        )
        explanations = {
            project_id: Explained(
                reason=explanation.reason.value,
                remaining=None if explanation.remaining is None else money_json(explanation.remaining),
                winner=explanation.winner,
                theme=explanation.theme,
            )
            for project_id, explanation in sorted(outcome.explanations.items())
        }
    for initiative_id in costs:
        if initiative_id not in enough:
            explanations[str(initiative_id)] = Explained(reason=BELOW_MIN_SUPPORT, minimum=minimum)
    for project_id, cents in partial.items():
        explanations[project_id] = replace(explanations[project_id], reason=PARTLY_GRANTED, granted=cents)
    for initiative_id, count in (recused or {}).items():
        if str(initiative_id) in explanations and count:
            explanations[str(initiative_id)] = replace(explanations[str(initiative_id)], recused=count)
    granted = {project_id: costs[int(project_id)] for project_id in selected} | partial
    return RoundResult(
        rule=outcome.rule,
        tie_break=outcome.tie_break,
        budget=money_json(outcome.budget),
        selected=tuple(selected),
        total_cost=money_json(outcome.total_cost),
        seed=outcome.seed,
        ballots=len(ballots),
        min_support=minimum,
        support={project_id: money_json(value) for project_id, value in sorted(support.items())},
        votes={
            str(initiative_id): sum(1 for ballot in ballots if ballot.get(initiative_id))
            for initiative_id in sorted(costs)
        },
        granted=dict(sorted(granted.items())),
        partial=dict(sorted(partial.items())),
        explanations=dict(sorted(explanations.items())),
    )
