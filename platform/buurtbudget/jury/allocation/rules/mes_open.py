"""Proof, midway through an MES run, that its outcome will be within the budget and not exhaustive."""

import math
from collections.abc import Callable, Sequence
from fractions import Fraction


class OpenCheck:
    """The budget in whole units of the costs' common denominator, and when to try the proof in a run.

    Add-one completion only needs to know whether each run's outcome is over the budget or exhaustive.
    Budgets only shrink during a run, so a project its supporters cannot pay now is never selected
    later, and everything still to be selected costs at most the projects they might still pay. With
    ``spent`` the cost selected so far, ``open`` the costs of the projects not (yet) shown unaffordable
    and ``u`` the cost of one shown unaffordable: if ``spent + sum(open) + u <= budget``, the outcome is
    within the budget and ``u`` still fits beside it, so the run can stop and completion moves on.

    The proof costs a pass over the supporters of the projects still in play, so it is tried at the step
    where it succeeded in the previous run (budgets per voter only grow from run to run), then at
    doubling distances; the very first run tries it at steps 1, 2, 4, 8 ...
    """

    def __init__(self, budget: Fraction, costs: Sequence[Fraction]) -> None:
        self.scale = math.lcm(budget.denominator, *(c.denominator for c in costs))
        self.cost = [int(c * self.scale) for c in costs]
        self.limit = math.floor(budget * self.scale)
        self.hint = 1
        self.next = self.gap = 1

    def start_run(self) -> None:
        """Reset the schedule for a new run."""
        self.next, self.gap = self.hint, 1

    def due(self, step: int) -> bool:
        """Whether to try the proof after ``step`` selections."""
        return step >= self.next

    def prove(
        self,
        spent: int,
        alive: list[int],
        dropped: int | None,
        unaffordable: Callable[[int], bool],
        step: int,
    ) -> tuple[bool, list[int], int | None]:
        """Try the proof; returns (proved, projects still alive, cheapest cost shown unaffordable).

        ``spent`` is the scaled cost selected so far, ``dropped`` the cheapest scaled cost of a project
        shown unaffordable earlier in the run, ``unaffordable(i)`` a certified test of project ``i`` now.
        """
        cost = self.cost
        order = sorted(alive, key=cost.__getitem__, reverse=True)
        unchecked = sum(cost[i] for i in alive)
        kept = 0  # cost of the projects checked and possibly affordable
        removed: set[int] = set()
        proved = False
        for at, i in enumerate(order):
            if dropped is not None and spent + kept + unchecked + dropped <= self.limit:
                proved = True
                break
            cheapest = cost[order[-1]] if dropped is None else min(dropped, cost[order[-1]])
            if spent + kept + cheapest > self.limit:
                break  # even if every project left were unaffordable, nothing would fit beside the rest
            unchecked -= cost[i]
            if unaffordable(i):
                removed.add(i)
                dropped = cost[i] if dropped is None else min(dropped, cost[i])
            else:
                kept += cost[i]
            if at == len(order) - 1:
                proved = dropped is not None and spent + kept + dropped <= self.limit
        if proved:
            self.hint = step
        else:
            self.next, self.gap = step + self.gap, self.gap * 2
        return proved, [i for i in alive if i not in removed], dropped
