"""The Method of Equal Shares with cost utilities in exact arithmetic (voters grouped by ballot)."""

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from buurtbudget.jury.allocation.model import Election


@dataclass(frozen=True, slots=True)
class MesRun:
    """One run of MES at a given budget per voter: selections in order and what supporters had left."""

    selected: tuple[str, ...]
    leftover: Mapping[str, Fraction]  # filled only when asked to explain
    per_voter: Fraction = Fraction(0)
    payments: Mapping[str, Mapping[frozenset[str], Fraction]] | None = None  # exact engine, explain only
    complete: bool = True  # False: stopped early, its outcome certainly within the budget and not exhaustive


def mes_candidates(election: Election) -> list[str]:
    """Projects MES can select under cost utilities: a positive cost and at least one supporter."""
    approvals = election.approvals
    return [p.id for p in election.projects if p.cost > 0 and approvals[p.id] > 0]


class ExactEqualShares:
    """Runs MES exactly; identical ballots share one budget, so their voters are one weighted group."""

    def __init__(self, election: Election, rank: Mapping[str, int]) -> None:
        groups = Counter(b.approved for b in election.ballots)
        self.weights = list(groups.values())
        self.ballots = list(groups)
        self.rank = rank
        self.candidates = mes_candidates(election)
        self.cost = {pid: election.by_id[pid].cost for pid in self.candidates}
        self.supporters = {pid: election.approvals[pid] for pid in self.candidates}
        self.members: dict[str, list[int]] = {pid: [] for pid in self.candidates}
        for index, ballot in enumerate(groups):
            for pid in ballot:
                if pid in self.members:
                    self.members[pid].append(index)

    def _price(self, pid: str, budget: list[Fraction]) -> Fraction:
        """Smallest payment q with sum over supporters of min(budget, q) equal to the cost."""
        cost, weights = self.cost[pid], self.weights
        paid, left = Fraction(0), self.supporters[pid]
        for group in sorted(self.members[pid], key=budget.__getitem__):
            if cost - paid <= budget[group] * left:
                return (cost - paid) / left
            paid += weights[group] * budget[group]
            left -= weights[group]
        raise AssertionError("price asked for an unaffordable project")  # pragma: no cover

    def _available(self, pid: str, budget: list[Fraction]) -> Fraction:
        weights = self.weights
        return sum((weights[g] * budget[g] for g in self.members[pid]), Fraction(0))

    def run(self, per_voter: Fraction, *, explain: bool = False) -> MesRun:
        """Run MES with ``per_voter`` as every voter's starting budget."""
        budget = [per_voter] * len(self.weights)
        bound = {pid: Fraction(1, self.supporters[pid]) for pid in self.candidates}
        alive = list(self.candidates)
        selected: list[str] = []
        payments: dict[str, dict[frozenset[str], Fraction]] = {}
        while alive:
            alive.sort(key=bound.__getitem__)
            best: Fraction | None = None
            tied: list[str] = []
            keep: list[str] = []
            for pid in alive:
                if best is not None and bound[pid] > best:
                    keep.append(pid)
                    continue
                if self._available(pid, budget) < self.cost[pid]:
                    continue
                keep.append(pid)
                rho = self._price(pid, budget) / self.cost[pid]
                bound[pid] = rho
                if best is None or rho < best:
                    best, tied = rho, [pid]
                elif rho == best:
                    tied.append(pid)
            if best is None:
                break
            winner = min(tied, key=self.rank.__getitem__)
            keep.remove(winner)
            alive = keep
            price = best * self.cost[winner]
            paid = payments[winner] = {}
            for group in self.members[winner]:
                paid[self.ballots[group]] = min(budget[group], price)
                budget[group] = budget[group] - price if budget[group] > price else Fraction(0)
            selected.append(winner)
        chosen = set(selected)
        leftover = {
            pid: self._available(pid, budget) for pid in self.candidates if explain and pid not in chosen
        }
        return MesRun(tuple(selected), leftover, per_voter, payments if explain else None)
