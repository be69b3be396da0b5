"""Greedy by total support, skipping what no longer fits, with optional theme budgets."""

from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType

from buurtbudget.jury.allocation.model import Election, Project
from buurtbudget.jury.allocation.result import Explanation, Outcome, Reason
from buurtbudget.jury.allocation.tiebreak import TieBreak, tie_break_key


def _blocking_theme(project: Project, theme_left: Mapping[str, Fraction]) -> tuple[str, Fraction] | None:
    for theme in sorted(project.categories):
        if theme in theme_left and theme_left[theme] < project.cost:
            return theme, theme_left[theme]
    return None


def greedy(
    election: Election,
    tie_break: TieBreak = TieBreak.LEXICOGRAPHIC,
    seed: int | None = None,
    theme_budgets: Mapping[str, Fraction] | None = None,
    *,
    fill_leftover: bool = True,
) -> Outcome:
    """Select by total support (most first); theme budgets cap each category, the leftover is then filled."""
    support = election.support
    key = tie_break_key(election, tie_break, seed)
    order = sorted(election.projects, key=lambda p: (-support[p.id], *key(p)))
    remaining = election.budget
    theme_left = dict(theme_budgets or {})
    selected: list[Project] = []
    before: dict[str, Fraction] = {}
    why: dict[str, Explanation] = {}

    def take(project: Project) -> None:
        nonlocal remaining
        before[project.id] = remaining
        remaining -= project.cost
        for theme in project.categories & theme_left.keys():
            theme_left[theme] -= project.cost
        selected.append(project)
        why[project.id] = Explanation(Reason.SELECTED)

    for project in order:
        blocked = _blocking_theme(project, theme_left)
        if project.cost > remaining:
            why[project.id] = Explanation(Reason.DID_NOT_FIT, remaining=remaining)
        elif blocked is not None:
            why[project.id] = Explanation(Reason.THEME_BUDGET, remaining=blocked[1], theme=blocked[0])
        else:
            take(project)
    if theme_left and fill_leftover:
        for project in order:
            if why[project.id].reason is Reason.THEME_BUDGET and project.cost <= remaining:
                take(project)
    for project in order:
        if why[project.id].reason is Reason.DID_NOT_FIT:
            why[project.id] = _tie_lost(project, selected, before, support) or why[project.id]
    return Outcome(
        rule="greedy",
        tie_break=tie_break.value,
        budget=election.budget,
        selected=tuple(p.id for p in selected),
        total_cost=sum((p.cost for p in selected), Fraction(0)),
        explanations=MappingProxyType(why),
        seed=seed if tie_break is TieBreak.LOT else None,
    )


def _tie_lost(
    project: Project,
    selected: list[Project],
    before: Mapping[str, Fraction],
    support: Mapping[str, Fraction],
) -> Explanation | None:
    """The tie this project lost: an equally supported winner, taken first, without which it would fit."""
    for winner in selected:
        if (
            support[winner.id] == support[project.id]
            and winner.cost > 0
            and project.cost <= before[winner.id]
        ):
            return Explanation(Reason.LOST_TIE, remaining=before[winner.id], winner=winner.id)
    return None
