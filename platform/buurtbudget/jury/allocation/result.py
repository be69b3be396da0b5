"""The outcome of a rule: what was selected, what it costs and why each other project was not."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType


class Reason(StrEnum):
    """Why a project ended where it did; pages translate the code and fill in the details."""

    SELECTED = "selected"
    DID_NOT_FIT = "did-not-fit"
    LOST_TIE = "lost-tie"
    THEME_BUDGET = "theme-budget-exhausted"
    SUPPORTERS_SHORT = "supporters-short"
    NO_SUPPORT = "no-support"
    NOT_OPTIMAL = "not-in-optimum"


@dataclass(frozen=True, slots=True)
class Explanation:
    """A reason code with its details: remaining budget, the project that won a tie, the theme."""

    reason: Reason
    remaining: Fraction | None = None
    winner: str | None = None
    theme: str | None = None

    def __str__(self) -> str:
        remaining = "" if self.remaining is None else _amount(self.remaining)
        templates = {
            Reason.SELECTED: "selected",
            Reason.DID_NOT_FIT: "did not fit in the remaining budget {remaining}",
            Reason.LOST_TIE: "lost a tie to {winner} by tie-break",
            Reason.THEME_BUDGET: "did not fit in the remaining theme budget {remaining} of {theme}",
            Reason.SUPPORTERS_SHORT: "its supporters had only {remaining} left of their equal shares",
            Reason.NO_SUPPORT: "no support",
            Reason.NOT_OPTIMAL: "not part of the selection with the most total support",
        }
        return templates[self.reason].format(remaining=remaining, winner=self.winner, theme=self.theme)


def _amount(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


@dataclass(frozen=True)
class Outcome:
    """The result of one rule on one election, with the rule and tie-break that produced it."""

    rule: str
    tie_break: str
    budget: Fraction
    selected: tuple[str, ...]
    total_cost: Fraction
    explanations: Mapping[str, Explanation] = field(default_factory=lambda: MappingProxyType({}))
    seed: int | None = None

    def as_json(self) -> dict[str, object]:
        """The published form: rule, tie_break, budget, selected project ids and total cost."""
        data: dict[str, object] = {
            "rule": self.rule,
            "tie_break": self.tie_break,
            "budget": money_json(self.budget),
            "selected": list(self.selected),
            "total_cost": money_json(self.total_cost),
        }
        if self.seed is not None:
            data["seed"] = self.seed
        return data


def money_json(value: Fraction) -> int | float:
    """An amount as a JSON number: exact when whole, else the nearest float."""
    return value.numerator if value.denominator == 1 else float(value)
