"""MES in float64 with numpy for large elections; every decision is certified against rounding error.

A run whose decision is too close to call in floating point (an exact tie, or a project exactly
affordable) returns ``None`` and the caller redoes that run with the exact engine, so results equal
the exact rule. Ties between projects whose supporters have not paid yet are settled exactly here.
"""

import math
from collections.abc import Mapping
from fractions import Fraction
from itertools import chain

import numpy as np
import numpy.typing as npt

from buurtbudget.jury.allocation.model import Election
from buurtbudget.jury.allocation.rules.mes_exact import MesRun, mes_candidates

EPS = 2.0**-52
SAFETY = 16.0  # margin on top of the rounding-error bounds below

FloatArray = npt.NDArray[np.float64]


class _AmbiguousError(Exception):
    """Floating point cannot decide this run; it must be redone exactly."""


class VectorEqualShares:
    """Runs MES over one float budget per voter; supporters are index arrays per project."""

    def __init__(self, election: Election, rank: Mapping[str, int]) -> None:
        self.n = len(election.ballots)
        self.ids = mes_candidates(election)
        position = dict.fromkeys(election.by_id, -1) | {pid: i for i, pid in enumerate(self.ids)}
        approved = [ballot.approved for ballot in election.ballots]
        lengths = np.fromiter(map(len, approved), dtype=np.intp, count=self.n)
        flat = np.fromiter(
            map(position.__getitem__, chain.from_iterable(approved)), dtype=np.intp, count=int(lengths.sum())
        )
        voters = np.repeat(np.arange(self.n, dtype=np.intp), lengths)
        keep = flat >= 0
        flat, voters = flat[keep], voters[keep]
        order = np.argsort(flat, kind="stable")
        bounds = np.searchsorted(flat[order], np.arange(len(self.ids) + 1))
        grouped = voters[order]
        self.members = [grouped[bounds[i] : bounds[i + 1]] for i in range(len(self.ids))]
        self.size = [len(voters) for voters in self.members]
        self.exact_cost = [election.by_id[pid].cost for pid in self.ids]
        self.cost = [float(c) for c in self.exact_cost]
        self.rank = [rank[pid] for pid in self.ids]

    def run(self, per_voter: Fraction, *, explain: bool = False) -> MesRun | None:
        """Run MES at ``per_voter``; ``None`` when a decision needs exact arithmetic."""
        try:
            return self._run(per_voter, explain=explain)
        except _AmbiguousError:
            return None

    def _fresh(self, i: int, touched: npt.NDArray[np.bool_]) -> bool:
        return not bool(touched[self.members[i]].any())

    def _price(  # noqa: PLR0917
        self,
        i: int,
        budget: FloatArray,
        err: float,
        touched: npt.NDArray[np.bool_],
        per_voter: Fraction,
        start: float,
    ) -> tuple[float, float] | None:
        """(payment, error bound) for project i, or None when its supporters cannot pay its cost.

        ``err`` bounds the summed absolute error of all float budgets, so it also bounds the error of
        any sum over supporters; the payment then errs by at most twice that over the rich supporters.
        ``start`` is a lower bound of the payment (its value earlier in the run) to start Newton from.
        """
        b = budget[self.members[i]]
        m, cost = self.size[i], self.cost[i]
        total = float(b.sum())
        err_total = SAFETY * (err + EPS * (math.log2(m) + 2) * (total + cost))
        if total + err_total < cost:
            return None
        if total - err_total < cost:
            if not self._fresh(i, touched):
                raise _AmbiguousError
            if m * per_voter < self.exact_cost[i]:
                return None
        q = max(cost / m, start)
        poor = 0 if q == cost / m else -1
        while True:
            below = b < q
            count = int(np.count_nonzero(below))
            if count == poor:
                break
            if count == m:
                raise _AmbiguousError
            poor = count
            q = (cost - float(b[below].sum())) / (m - poor) if poor else cost / m
        err_q = 2 * err_total / (m - poor) + SAFETY * EPS * q
        return q, err_q

    def _check_rich(self, i: int, budget: FloatArray, q: float, err_q: float) -> None:
        """The payment's error bound assumes at least half the rich supporters are clear of the margin."""
        b = budget[self.members[i]]
        rich = self.size[i] - int(np.count_nonzero(b < q))
        if 2 * int(np.count_nonzero(b > q + err_q)) < rich:
            raise _AmbiguousError

    def _run(self, per_voter: Fraction, *, explain: bool) -> MesRun:
        beta = float(per_voter)
        budget = np.full(self.n, beta)
        touched = np.zeros(self.n, dtype=np.bool_)
        err = self.n * EPS * beta
        bound = [1.0 / m * (1 - 4 * EPS) for m in self.size]
        start = [0.0] * len(self.size)
        alive = list(range(len(self.ids)))
        selected: list[int] = []
        while alive:
            alive.sort(key=bound.__getitem__)
            best_high = math.inf
            priced: list[tuple[int, float, float, float]] = []
            keep: list[int] = []
            for i in alive:
                if bound[i] > best_high:
                    keep.append(i)
                    continue
                price = self._price(i, budget, err, touched, per_voter, start[i])
                if price is None:
                    continue
                keep.append(i)
                q, err_q = price
                rho, err_rho = q / self.cost[i], err_q / self.cost[i] * (1 + 4 * EPS)
                bound[i] = rho - err_rho
                start[i] = q - 2 * err_q
                priced.append((i, rho, err_rho, q))
                best_high = min(best_high, rho + err_rho)
            if not priced:
                break
            winner, q, err_q = self._winner(priced, best_high, touched, per_voter)
            self._check_rich(winner, budget, q, err_q)
            keep.remove(winner)
            alive = keep
            members = self.members[winner]
            paying = budget[members]
            near = int(np.count_nonzero(np.abs(paying - q) <= err_q))
            budget[members] = np.maximum(paying - q, 0.0)
            touched[members] = True
            err += SAFETY * len(members) * EPS * beta + 2 * near * err_q
            selected.append(winner)
        chosen = set(selected)
        leftover = {
            self.ids[i]: Fraction(float(budget[self.members[i]].sum())).limit_denominator(100)
            for i in range(len(self.ids))
            if explain and i not in chosen
        }
        return MesRun(tuple(self.ids[i] for i in selected), leftover, per_voter)

    def _winner(
        self,
        priced: list[tuple[int, float, float, float]],
        best_high: float,
        touched: npt.NDArray[np.bool_],
        per_voter: Fraction,
    ) -> tuple[int, float, float]:
        """The project with the lowest price per unit of utility; exact when the call is close."""
        contenders = [entry for entry in priced if entry[1] - entry[2] <= best_high]
        if len(contenders) == 1:
            i, _, err, q = contenders[0]
            return i, q, err * self.cost[i]
        exact: list[tuple[Fraction, int, int]] = []
        for i, _, _, _ in contenders:
            if not self._fresh(i, touched):
                raise _AmbiguousError
            exact.append((Fraction(1, self.size[i]), self.rank[i], i))
        _, _, i = min(exact)
        return i, self.cost[i] / self.size[i], EPS * self.cost[i] / self.size[i]
