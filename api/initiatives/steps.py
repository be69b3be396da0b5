"""The steps of the start-an-initiative form, in order, each with its page title (message ids)."""

from dataclasses import dataclass

from buurtbudget.i18n import N_
from buurtbudget.initiatives import themes


@dataclass(frozen=True, slots=True)
class Step:
    slug: str
    title: str


STEPS = (
    Step("plan", N_("Your plan")),
    Step("themas", N_("Themes")),
    Step("begroting", N_("Budget")),
    Step("hulp", N_("Help needed")),
    Step("mede-initiatiefnemers", N_("Co-initiators")),
    Step("controleren", N_("Check and send in")),
)
BY_SLUG = {step.slug: step for step in STEPS}
# Themes are stored in Dutch (the data's language); the label follows the visitor's language.
THEMES = themes.THEMES
# What a missing part of the plan is called, and the step where it is filled in.
MISSING = {
    "title": (N_("Give your plan a title."), "plan"),
    "summary": (N_("Tell the story of your plan."), "plan"),
    "cost_lines": (N_("Add at least one cost to the budget."), "begroting"),
}


def after(slug: str) -> Step:
    """The step that follows `slug` (the last step follows itself)."""
    index = next(i for i, step in enumerate(STEPS) if step.slug == slug)
    return STEPS[min(index + 1, len(STEPS) - 1)]


def number(slug: str) -> int:
    return next(i for i, step in enumerate(STEPS) if step.slug == slug) + 1
