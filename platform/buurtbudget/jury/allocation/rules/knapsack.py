"""The exact maximum of total support within the budget (branch and bound, exact arithmetic)."""

from fractions import Fraction
from types import MappingProxyType

from buurtbudget.jury.allocation.model import Election, Project
from buurtbudget.jury.allocation.result import Explanation, Outcome, Reason
from buurtbudget.jury.allocation.tiebreak import TieBreak, tie_break_key

Item = tuple[Fraction, Fraction]  # (support, cost) of a supported project


def max_support(items: list[Item], capacity: Fraction) -> Fraction:
    """Largest total support of a subset of ``items`` whose cost fits in ``capacity``."""
    free = sum((support for support, cost in items if cost == 0), Fraction(0))
    order = sorted((i for i in items if 0 < i[1] <= capacity), key=lambda i: i[0] / i[1], reverse=True)
    best = Fraction(0)

    def bound(start: int, room: Fraction) -> Fraction:
        total = Fraction(0)
        for support, cost in order[start:]:
            if cost <= room:
                room -= cost
                total += support
            else:
                return total + support * room / cost
        return total

    def search(start: int, room: Fraction, gained: Fraction) -> None:
        nonlocal best
        best = max(best, gained)
        if start == len(order) or gained + bound(start, room) <= best:
            return
        support, cost = order[start]
        if cost <= room:
            search(start + 1, room - cost, gained + support)
        search(start + 1, room, gained)

    search(0, capacity, Fraction(0))
    return free + best


def knapsack(
    election: Election, tie_break: TieBreak = TieBreak.LEXICOGRAPHIC, seed: int | None = None
) -> Outcome:
    """Select a set with the most total support that fits; among such sets the tie-break's favourites.

    Projects are considered in tie-break order and kept whenever an optimal set with them still
    exists, so the result is also exhaustive (a project that fits without lowering the support is taken).
    """
    support = election.support
    key = tie_break_key(election, tie_break, seed)
    useful = [p for p in election.projects if support[p.id] > 0]
    target = max_support([(support[p.id], p.cost) for p in useful], election.budget)
    chosen: list[Project] = []
    room, gained = election.budget, Fraction(0)
    undecided = {p.id for p in useful}
    why: dict[str, Explanation] = {}
    for project in sorted(election.projects, key=key):
        undecided.discard(project.id)
        rest = [(support[p.id], p.cost) for p in useful if p.id in undecided]
        fits = project.cost <= room
        if fits and gained + support[project.id] + max_support(rest, room - project.cost) == target:
            chosen.append(project)
            room -= project.cost
            gained += support[project.id]
            why[project.id] = Explanation(Reason.SELECTED)
        elif not fits:
            why[project.id] = Explanation(Reason.DID_NOT_FIT, remaining=room)
        else:
            why[project.id] = Explanation(Reason.NOT_OPTIMAL)
    return Outcome(
        rule="knapsack",
        tie_break=tie_break.value,
        budget=election.budget,
        selected=tuple(p.id for p in chosen),
        total_cost=election.budget - room,
        explanations=MappingProxyType(why),
        seed=seed if tie_break is TieBreak.LOT else None,
    )
