"""MES in float64 with numpy for large elections; every decision is certified against rounding error.

A run whose decision is too close to call in floating point (an exact tie, or a project exactly
affordable) returns ``None`` and the caller redoes that run with the exact engine, so results equal
the exact rule. Ties between projects whose supporters have not paid yet are settled exactly here.
"""

import math
from collections.abc import Mapping
from fractions import Fraction
from functools import partial
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from buurtbudget.jury.allocation.model import Election
from buurtbudget.jury.allocation.rules.mes_exact import MesRun
from buurtbudget.jury.allocation.rules.mes_index import supporter_index
from buurtbudget.jury.allocation.rules.mes_open import OpenCheck

EPS = 2.0**-52
SAFETY = 16.0  # margin on top of the rounding-error bounds below

FloatArray = npt.NDArray[np.float64]


class _AmbiguousError(Exception):
    """Floating point cannot decide this run; it must be redone exactly."""


class _Priced(NamedTuple):
    """A project priced this round: index, price per unit (and its error), payment, supporters' budgets."""

    i: int
    rho: float
    err_rho: float
    q: float
    b: FloatArray
    poor: int  # supporters with less than q
    round_q: float  # the part of q's error bound that is rounding, not inherited budget error


class VectorEqualShares:
    """Runs MES over one float budget per voter; supporters are index arrays per project."""

    def __init__(self, election: Election, rank: Mapping[str, int]) -> None:
        self.n = len(election.ballots)
        self.ids, self.members = supporter_index(election)
        self.size = [len(voters) for voters in self.members]
        self.exact_cost = [election.by_id[pid].cost for pid in self.ids]
        self.cost = [float(c) for c in self.exact_cost]
        self.rank = [rank[pid] for pid in self.ids]
        self.check: OpenCheck | None = None

    def stop_when_open(self, budget: Fraction) -> None:
        """From now on, runs without ``explain`` may stop once their outcome is certainly within ``budget``
        and not exhaustive (see mes_open); such runs come back with ``complete=False``."""
        self.check = OpenCheck(budget, self.exact_cost)

    def run(self, per_voter: Fraction, *, explain: bool = False) -> MesRun | None:
        """Run MES at ``per_voter``; ``None`` when a decision needs exact arithmetic."""
        try:
            return self._run(per_voter, explain=explain)
        except _AmbiguousError:
            return None

    def _fresh(self, i: int, selected: list[int]) -> bool:
        """No supporter of project i has paid for a project selected so far (rarely asked)."""
        if not selected:
            return True
        mark = np.zeros(self.n, dtype=np.bool_)
        mark[self.members[i]] = True
        return not any(bool(mark[self.members[w]].any()) for w in selected)

    def _price(  # noqa: PLR0917
        self,
        i: int,
        b: FloatArray,
        err: float,
        selected: list[int],
        per_voter: Fraction,
        start: float,
    ) -> tuple[float, float, int, float] | None:
        """(payment, error bound, poor supporters, rounding part of the bound) for project i, or None when
        they cannot pay its cost.

        ``b`` holds the budgets of its supporters. ``err`` bounds the summed absolute error of all float
        budgets, so it also bounds the error of any sum over supporters; the payment then errs by at most
        twice that over the rich supporters. ``start`` is a lower bound of the payment (its value earlier
        in the run) to start Newton from.
        """
        m, cost = self.size[i], self.cost[i]
        total = float(b.sum())
        err_total = self._err_total(i, total, err)
        if total + err_total < cost:
            return None
        if total - err_total < cost:
            if not self._fresh(i, selected):
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
            # Newton's step q + (cost - sum of min(b, q)) / rich, which is (cost - poor budgets) / rich
            q = q + (cost - float(np.minimum(b, q).sum())) / (m - poor) if poor else cost / m
        rounding = SAFETY * EPS * q
        err_q = 2 * err_total / (m - poor) + rounding
        return q, err_q, poor, 2 * (err_total - SAFETY * err) / (m - poor) + rounding

    def _err_total(self, i: int, total: float, err: float) -> float:
        """Bound of the error of the float sum ``total`` of project i's supporters' budgets.

        The rounding of a sum of m terms is bounded by ``(m + 2) * EPS`` times their magnitude, whatever
        the order of summation. (No BLAS dot products: OpenBLAS threads stall on a busy machine.)
        """
        return SAFETY * (err + EPS * (self.size[i] + 2) * (total + self.cost[i]))

    def _unaffordable(self, i: int, budget: FloatArray, err: float) -> bool:
        """Certainly, project i's supporters cannot pay its cost any more."""
        total = float(budget[self.members[i]].sum())
        return total + self._err_total(i, total, err) < self.cost[i]

    def _run(self, per_voter: Fraction, *, explain: bool) -> MesRun:
        beta = float(per_voter)
        budget = np.full(self.n, beta)
        err = self.n * EPS * beta
        bound = [1.0 / m * (1 - 4 * EPS) for m in self.size]
        start = [0.0] * len(self.size)
        alive = list(range(len(self.ids)))
        selected: list[int] = []
        check, spent, dropped = self.check if not explain else None, 0, None
        if check is not None:
            check.start_run()
        while alive:
            alive.sort(key=bound.__getitem__)
            best_high = math.inf
            priced: list[_Priced] = []
            keep: list[int] = []
            for at, i in enumerate(alive):
                if bound[i] > best_high:  # so are all after it: alive is sorted by bound
                    keep.extend(alive[at:])
                    break
                b = budget[self.members[i]]
                price = self._price(i, b, err, selected, per_voter, start[i])
                if price is None:
                    if check is not None:
                        dropped = check.cost[i] if dropped is None else min(dropped, check.cost[i])
                    continue
                keep.append(i)
                q, err_q, poor, round_q = price
                rho, err_rho = q / self.cost[i], err_q / self.cost[i] * (1 + 4 * EPS)
                bound[i] = rho - err_rho
                start[i] = q - 2 * err_q
                priced.append(_Priced(i, rho, err_rho, q, b, poor, round_q))
                best_high = min(best_high, rho + err_rho)
            if not priced:
                break
            winner, q, err_q, round_q = self._winner(priced, best_high, selected)
            keep.remove(winner.i)
            alive = keep
            poor = winner.poor if q == winner.q else int(np.count_nonzero(winner.b < q))
            err += self._pay(winner.i, budget, winner.b, (q, err_q, poor, round_q), beta)
            selected.append(winner.i)
            if check is not None:
                spent += check.cost[winner.i]
            if check is not None and check.due(len(selected)):
                proved, alive, dropped = check.prove(
                    spent, alive, dropped, partial(self._unaffordable, budget=budget, err=err), len(selected)
                )
                if proved:
                    return MesRun(tuple(self.ids[i] for i in selected), {}, per_voter, complete=False)
        chosen = set(selected)
        leftover = {
            self.ids[i]: Fraction(float(budget[self.members[i]].sum())).limit_denominator(100)
            for i in range(len(self.ids))
            if explain and i not in chosen
        }
        return MesRun(tuple(self.ids[i] for i in selected), leftover, per_voter)

    def _pay(
        self,
        winner: int,
        budget: FloatArray,
        b: FloatArray,
        price: tuple[float, float, int, float],
        beta: float,
    ) -> float:
        """Charge the winner's supporters (``b``: their budgets) its price (payment, its error bound, how
        many pay less, the rounding part of that bound); returns the growth of the error bound of all
        budgets, summed over voters.

        Why it grows by so little: the payment's error inherited from the budgets is a shift that moves
        the poor supporters' errors onto the rich ones (the poor end at exactly 0 either way), so the sum
        does not grow by it. What is new: each rich supporter pays the payment's rounding error
        (``rich * round_q``); each supporter near the rich/poor threshold may be on the other side of it
        (``2 * err_q`` each); and each subtraction rounds (``EPS * beta`` each). The payment's error bound
        assumes at least half the rich supporters are clear of the margin.
        """
        q, err_q, poor, round_q = price
        rich = len(b) - poor
        clear = int(np.count_nonzero(b > q + err_q))
        if 2 * clear < rich:
            raise _AmbiguousError
        near = int(np.count_nonzero(b >= q - err_q)) - clear
        left = b - q
        budget[self.members[winner]] = np.maximum(left, 0.0, out=left)
        return SAFETY * self.size[winner] * EPS * beta + 2 * near * err_q + rich * round_q

    def _winner(
        self, priced: list[_Priced], best_high: float, selected: list[int]
    ) -> tuple[_Priced, float, float, float]:
        """The project with the lowest price per unit of utility, its payment and the payment's error bound;
        exact when the call is close."""
        contenders = [entry for entry in priced if entry.rho - entry.err_rho <= best_high]
        if len(contenders) == 1:
            entry = contenders[0]
            return entry, entry.q, entry.err_rho * self.cost[entry.i], entry.round_q
        exact: list[tuple[Fraction, int, _Priced]] = []
        for entry in contenders:
            if not self._fresh(entry.i, selected):
                raise _AmbiguousError
            exact.append((Fraction(1, self.size[entry.i]), self.rank[entry.i], entry))
        _, _, entry = min(exact, key=lambda item: (item[0], item[1]))
        i = entry.i
        q = self.cost[i] / self.size[i]  # fresh supporters all hold the same budget: one division rounds
        return entry, q, EPS * q, EPS * q
