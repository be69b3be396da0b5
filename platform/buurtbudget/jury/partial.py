"""Partial grants: after the rule has chosen, what no longer fits in full may get its essential part."""

from collections.abc import Callable, Mapping, Set
from fractions import Fraction

from buurtbudget.jury.allocation.model import Election, Project
from buurtbudget.jury.allocation.tiebreak import SortKey


def partial_grants(
    election: Election,
    selected: Set[str],
    optional_cents: Mapping[str, int],
    tie_break_key: Callable[[Project], SortKey],
) -> dict[str, int]:
    """Essential parts granted from what the rule left over, in cents, best supported first.

    Only an initiative that marked some lines optional, has support, and no longer fits in full gets one;
    it gets exactly its essential lines (cost minus optional), when those fit in what is left.
    """
    remaining = election.budget - sum((p.cost for p in election.projects if p.id in selected), Fraction(0))
    support = election.support
    candidates = sorted(
        (
            p
            for p in election.projects
            if p.id not in selected and optional_cents.get(p.id, 0) > 0 and support[p.id] > 0
        ),
        key=lambda p: (-support[p.id], *tie_break_key(p)),
    )
    granted: dict[str, int] = {}
    for project in candidates:
        essential = project.cost - optional_cents[project.id]
        if project.cost > remaining and 0 < essential <= remaining:
            granted[project.id] = int(essential)
            remaining -= essential
    return granted
