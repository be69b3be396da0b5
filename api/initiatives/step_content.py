"""What each step of the form changes in the draft, read from the posted fields."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from api.initiatives import form_input
from api.pages.form_errors import check_one_line
from buurtbudget.initiatives.rules import DraftContent

ROWS_FIELD = "rows"
MIN_COST_ROWS = 3
MIN_HELP_ROWS = 2
CONTENT_STEPS = frozenset({"plan", "themas", "begroting", "hulp"})


@dataclass
class StepInput:
    """The change a step asks for, its field errors, and which form row each list item came from."""

    content: DraftContent
    errors: dict[str, str] = field(default_factory=dict)
    rows: dict[str, list[int]] = field(default_factory=dict)


def read(slug: str, get: Callable[[str], str], getall: Callable[[str], Sequence[str]]) -> StepInput:
    """The draft content a step's form holds; steps without content give an empty change."""
    if slug == "plan":
        errors: dict[str, str] = {}
        check_one_line({"title": get("title")}, errors)
        return StepInput(DraftContent(title=get("title"), summary=get("summary")), errors)
    if slug == "themas":
        return StepInput(DraftContent(themes=form_input.themes(getall("themes"), get("other_themes"))))
    if slug == "begroting":
        lines = form_input.cost_lines(get, form_input.row_count(get(ROWS_FIELD), minimum=MIN_COST_ROWS))
        return StepInput(DraftContent(cost_lines=lines.items), lines.errors, {"cost_lines": lines.rows})
    if slug == "hulp":
        rows = form_input.row_count(get(ROWS_FIELD), minimum=MIN_HELP_ROWS)
        needs = form_input.volunteer_needs(get, rows)
        space = form_input.space_need(get)
        return StepInput(
            DraftContent(volunteer_needs=needs.items, space_needs=space.items),
            needs.errors | space.errors,
            {"volunteer_needs": needs.rows},
        )
    return StepInput(DraftContent())
