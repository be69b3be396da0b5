"""Pure allocation rules (greedy, MES, knapsack), tie-breaks and the Pabulib reader and writer."""

from collections.abc import Mapping
from enum import StrEnum
from fractions import Fraction

from buurtbudget.jury.allocation.errors import AllocationError, PabulibError, UnknownRuleError
from buurtbudget.jury.allocation.model import Ballot, Election, Project
from buurtbudget.jury.allocation.pabulib import parse_pabulib, read_pabulib, write_pabulib
from buurtbudget.jury.allocation.result import Explanation, Outcome, Reason
from buurtbudget.jury.allocation.rules.greedy import greedy
from buurtbudget.jury.allocation.rules.knapsack import knapsack
from buurtbudget.jury.allocation.rules.mes import equal_shares
from buurtbudget.jury.allocation.tiebreak import TieBreak


class Rule(StrEnum):
    """The allocation rules a round can use."""

    GREEDY = "greedy"
    MES = "mes"
    MES_ADD1 = "mes-add1"
    KNAPSACK = "knapsack"

    @classmethod
    def parse(cls, value: "str | Rule") -> "Rule":
        """The rule named ``value``, or UnknownRuleError."""
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(r.value for r in cls)
            raise UnknownRuleError(f"unknown rule {value!r} (choose from {names})") from None


def allocate(
    election: Election,
    rule: Rule | str,
    tie_break: TieBreak | str = TieBreak.LEXICOGRAPHIC,
    seed: int | None = None,
    theme_budgets: Mapping[str, Fraction] | None = None,
) -> Outcome:
    """Run ``rule`` on ``election``; the outcome records the rule, tie-break and seed used."""
    chosen, tie = Rule.parse(rule), TieBreak.parse(tie_break)
    if theme_budgets and chosen is not Rule.GREEDY:
        raise UnknownRuleError("theme budgets are only supported by the greedy rule")
    if chosen is Rule.GREEDY:
        return greedy(election, tie, seed, theme_budgets)
    if chosen is Rule.KNAPSACK:
        return knapsack(election, tie, seed)
    return equal_shares(election, tie, seed, add_one=chosen is Rule.MES_ADD1)


__all__ = [
    "AllocationError",
    "Ballot",
    "Election",
    "Explanation",
    "Outcome",
    "PabulibError",
    "Project",
    "Reason",
    "Rule",
    "TieBreak",
    "UnknownRuleError",
    "allocate",
    "equal_shares",
    "greedy",
    "knapsack",
    "parse_pabulib",
    "read_pabulib",
    "write_pabulib",
]
