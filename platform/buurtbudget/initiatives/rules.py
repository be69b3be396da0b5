"""Pure checks on an initiative's content: what a draft may hold and what submitting needs."""

from dataclasses import dataclass
from datetime import datetime

from buurtbudget.errors import InvalidInput
from buurtbudget.initiatives.errors import IncompleteInitiative

MAX_AMOUNT_CENTS = 100_000_000_00  # € 100 million: anything above is a typing error
MAX_COST_LINES = 50
MAX_THEMES = 8


@dataclass(frozen=True, slots=True)
class CostLineInput:
    description: str
    amount_cents: int
    essential: bool = True


@dataclass(frozen=True, slots=True)
class VolunteerNeedInput:
    skill: str
    hours: int


@dataclass(frozen=True, slots=True)
class SpaceNeedInput:
    description: str
    capacity: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class DraftContent:
    """Everything a resident writes in a draft; `None` in an update means 'leave as it is'."""

    title: str | None = None
    summary: str | None = None
    themes: list[str] | None = None
    cost_lines: list[CostLineInput] | None = None
    volunteer_needs: list[VolunteerNeedInput] | None = None
    space_needs: list[SpaceNeedInput] | None = None


def normalise_themes(themes: list[str]) -> list[str]:
    """Lower-case, trimmed, unique, in the order given."""
    seen: dict[str, None] = {}
    for theme in themes:
        cleaned = " ".join(theme.split()).lower()
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


def validate(content: DraftContent) -> None:
    """Raise InvalidInput naming the first field that a draft cannot hold."""
    _validate_text(content)
    _validate_cost_lines(content.cost_lines or [])
    _validate_needs(content.volunteer_needs or [], content.space_needs or [])


def _validate_text(content: DraftContent) -> None:
    if content.title is not None and not 3 <= len(content.title.strip()) <= 150:
        raise InvalidInput("the title needs 3 to 150 characters", field="title")
    if content.summary is not None and len(content.summary) > 5000:
        raise InvalidInput("the story can be at most 5000 characters", field="summary")
    if content.themes is not None:
        if len(normalise_themes(content.themes)) > MAX_THEMES:
            raise InvalidInput("choose at most 8 themes", field="themes")
        if any(len(theme) > 80 for theme in content.themes):
            raise InvalidInput("a theme can be at most 80 characters", field="themes")


def _validate_cost_lines(cost_lines: list[CostLineInput]) -> None:
    if len(cost_lines) > MAX_COST_LINES:
        raise InvalidInput("a budget has at most 50 lines", field="cost_lines")
    for index, line in enumerate(cost_lines):
        where = f"cost_lines.{index}"
        if not line.description.strip() or len(line.description) > 200:
            raise InvalidInput("describe each cost in 1 to 200 characters", field=f"{where}.description")
        if isinstance(line.amount_cents, bool) or not 0 < line.amount_cents <= MAX_AMOUNT_CENTS:
            raise InvalidInput(
                "each cost is more than € 0 and at most € 100 million", field=f"{where}.amount_cents"
            )


def _validate_needs(volunteer_needs: list[VolunteerNeedInput], space_needs: list[SpaceNeedInput]) -> None:
    for index, need in enumerate(volunteer_needs):
        if not need.skill.strip() or len(need.skill) > 80:
            raise InvalidInput("name the skill in 1 to 80 characters", field=f"volunteer_needs.{index}.skill")
        if not 0 < need.hours <= 1000:
            raise InvalidInput("hours are between 1 and 1000", field=f"volunteer_needs.{index}.hours")
    for index, space in enumerate(space_needs):
        where = f"space_needs.{index}"
        if not space.description.strip() or len(space.description) > 200:
            raise InvalidInput("describe the space in 1 to 200 characters", field=f"{where}.description")
        if not 0 < space.capacity <= 10_000:
            raise InvalidInput("the number of people is between 1 and 10000", field=f"{where}.capacity")
        if space.starts_at.tzinfo is None or space.ends_at.tzinfo is None:
            raise InvalidInput("give times with a time zone", field=f"{where}.starts_at")
        if space.ends_at <= space.starts_at:
            raise InvalidInput("the end is before the start", field=f"{where}.ends_at")


def check_complete(title: str, summary: str, cost_line_count: int) -> None:
    """Submitting needs a title, a story and at least one cost line."""
    missing = [
        name
        for name, present in (
            ("title", bool(title.strip())),
            ("summary", bool(summary.strip())),
            ("cost_lines", cost_line_count > 0),
        )
        if not present
    ]
    if missing:
        raise IncompleteInitiative("the initiative is not complete yet", missing=missing)
