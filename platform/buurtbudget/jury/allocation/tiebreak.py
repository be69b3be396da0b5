"""Tie-breaks: a total order on projects, recorded with every result so anyone can redo it."""

import hashlib
from collections.abc import Callable
from enum import StrEnum
from fractions import Fraction

from buurtbudget.jury.allocation.errors import UnknownRuleError
from buurtbudget.jury.allocation.model import Election, Project

SortKey = tuple[Fraction | str, ...]


class TieBreak(StrEnum):
    """How projects that are equal under a rule are ordered; the project id as text settles the rest."""

    LEXICOGRAPHIC = "lexicographic"
    MIN_COST = "min-cost"
    MAX_SUPPORT = "max-support"
    LOT = "lot"

    @classmethod
    def parse(cls, value: "str | TieBreak") -> "TieBreak":
        """The tie-break named ``value``, or UnknownRuleError."""
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(t.value for t in cls)
            raise UnknownRuleError(f"unknown tie-break {value!r} (choose from {names})") from None


def lot_ticket(seed: int, project_id: str) -> str:
    """The lot drawn for a project: hex SHA-256 of ``"<seed>:<project id>"``; the lowest ticket wins."""
    return hashlib.sha256(f"{seed}:{project_id}".encode()).hexdigest()


def tie_break_key(
    election: Election, tie_break: TieBreak, seed: int | None = None
) -> Callable[[Project], SortKey]:
    """A sort key putting the project that wins a tie first (a total order, ending on the id as text)."""
    if tie_break is TieBreak.LEXICOGRAPHIC:
        return lambda p: (p.id,)
    if tie_break is TieBreak.MIN_COST:
        return lambda p: (p.cost, p.id)
    if tie_break is TieBreak.MAX_SUPPORT:
        support = election.support
        return lambda p: (-support[p.id], p.id)
    if seed is None:
        raise UnknownRuleError("the lot tie-break needs a seed")
    drawn = seed
    return lambda p: (lot_ticket(drawn, p.id), p.id)


def tie_break_order(election: Election, tie_break: TieBreak, seed: int | None = None) -> dict[str, int]:
    """Rank of every project under the tie-break (0 wins every tie)."""
    key = tie_break_key(election, tie_break, seed)
    return {p.id: rank for rank, p in enumerate(sorted(election.projects, key=key))}
