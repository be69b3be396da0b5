"""The Method of Equal Shares (cost utilities) and its add-one completion, with explanations."""

import importlib.util
from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Literal, Protocol

from buurtbudget.jury.allocation.model import Election
from buurtbudget.jury.allocation.result import Explanation, Outcome, Reason
from buurtbudget.jury.allocation.rules.mes_exact import ExactEqualShares, MesRun, mes_candidates
from buurtbudget.jury.allocation.tiebreak import TieBreak, tie_break_order

Engine = Literal["auto", "exact", "vector"]
VECTOR_MIN_BALLOTS = 1000  # below this the exact engine is fast enough and needs no numpy


class _Runner(Protocol):
    def run(self, per_voter: Fraction, *, explain: bool = False) -> MesRun | None: ...

    def stop_when_open(self, budget: Fraction) -> None: ...


class _Engine:
    """Runs MES at any budget per voter: the fast engine when it can decide, else the exact one."""

    def __init__(self, election: Election, rank: Mapping[str, int], engine: Engine) -> None:
        self.election, self.rank = election, rank
        self._exact: ExactEqualShares | None = None
        self.fast: _Runner | None = None
        use_vector = engine == "vector" or (
            engine == "auto"
            and len(election.ballots) >= VECTOR_MIN_BALLOTS
            and importlib.util.find_spec("numpy") is not None
        )
        if use_vector:
            from buurtbudget.jury.allocation.rules.mes_vector import VectorEqualShares  # noqa: PLC0415

            self.fast = VectorEqualShares(election, rank)
        self.exact_runs = 0

    def run(self, per_voter: Fraction, *, explain: bool = False) -> MesRun:
        if self.fast is not None:
            result = self.fast.run(per_voter, explain=explain)
            if result is not None:
                return result
        self.exact_runs += 1
        if self._exact is None:  # built on first need: grouping large elections takes a while
            self._exact = ExactEqualShares(self.election, self.rank)
        return self._exact.run(per_voter, explain=explain)


def _total(election: Election, ids: Iterable[str]) -> Fraction:
    return sum((election.by_id[pid].cost for pid in ids), Fraction(0))


def _exhaustive(election: Election, selected: tuple[str, ...], candidates: list[str]) -> bool:
    """No project MES could select (positive cost, some support) still fits beside the selection."""
    left = election.budget - _total(election, selected)
    chosen = set(selected)
    return all(pid in chosen or election.by_id[pid].cost > left for pid in candidates)


def equal_shares(
    election: Election,
    tie_break: TieBreak = TieBreak.LEXICOGRAPHIC,
    seed: int | None = None,
    *,
    add_one: bool = False,
    increment: Fraction = Fraction(1),
    engine: Engine = "auto",
) -> Outcome:
    """MES with cost utilities; with ``add_one`` every voter's share grows by ``increment`` per pass
    until the outcome would exceed the budget (the last feasible outcome is kept) or is exhaustive."""
    rank = tie_break_order(election, tie_break, seed)
    runner = _Engine(election, rank, engine)
    voters = len(election.ballots)
    run = MesRun((), {})
    if voters:
        per_voter = election.budget / voters
        if add_one:
            per_voter = _complete(election, runner, per_voter, increment)
        run = runner.run(per_voter, explain=True)
    return _outcome(election, run, "mes-add1" if add_one else "mes", tie_break, seed)


def _complete(election: Election, runner: _Engine, per_voter: Fraction, increment: Fraction) -> Fraction:
    """The budget per voter whose outcome add-one completion keeps (the outcomes themselves are redone)."""
    candidates = mes_candidates(election)
    previous = per_voter
    if runner.fast is not None:
        runner.fast.stop_when_open(election.budget)
    while True:
        run = runner.run(per_voter)
        if run.complete:  # else it stopped early, its outcome certainly within budget and not exhaustive
            if _total(election, run.selected) > election.budget:
                return previous
            if _exhaustive(election, run.selected, candidates):
                return per_voter
        previous, per_voter = per_voter, per_voter + increment


def _outcome(election: Election, run: MesRun, rule: str, tie_break: TieBreak, seed: int | None) -> Outcome:
    why: dict[str, Explanation] = {}
    chosen = set(run.selected)
    approvals = election.approvals
    for project in election.projects:
        if project.id in chosen:
            why[project.id] = Explanation(Reason.SELECTED)
        elif approvals[project.id] == 0 or project.cost == 0:
            why[project.id] = Explanation(Reason.NO_SUPPORT)
        else:
            why[project.id] = Explanation(Reason.SUPPORTERS_SHORT, remaining=run.leftover.get(project.id))
    return Outcome(
        rule=rule,
        tie_break=tie_break.value,
        budget=election.budget,
        selected=run.selected,
        total_cost=_total(election, run.selected),
        explanations=MappingProxyType(why),
        seed=seed if tie_break is TieBreak.LOT else None,
    )
