"""Reading the step form's fields into draft content, with an error per field (pure, no I/O)."""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Generic, TypeVar

from api.schemas import FIRST_DAY, LAST_DAY
from buurtbudget.i18n import N_
from buurtbudget.initiatives.rules import CostLineInput, SpaceNeedInput, VolunteerNeedInput
from buurtbudget.workdays import AMSTERDAM

# At most a billion euros (ten digits), in digits 0-9: more could not be stored as cents.
AMOUNT = re.compile(r"^(?:€\s*)?([0-9]{1,3}(?:[.\s][0-9]{3}){1,3}|[0-9]{1,10})(?:[,.]([0-9]{1,2}))?$")
AMOUNT_ERROR = N_("Fill in an amount in euros, like 250 or 12,50.")
DESCRIPTION_ERROR = N_("Say what this cost is for.")
SKILL_ERROR = N_("Say what kind of help you need.")
HOURS_ERROR = N_("Fill in a whole number of hours, like 4.")
NUMBER_ERROR = N_("Fill in a whole number, like 30.")
DATE_ERROR = N_("Fill in a date and a start and end time.")

Getter = Callable[[str], str]
T = TypeVar("T")


@dataclass
class Parsed(Generic[T]):
    """Rows read from a form: the values, the form row each came from, and errors by field name."""

    items: list[T] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


def parse_amount(text: str) -> int | None:
    """Euros as typed (`1.250,50`, `1250.5`, `€ 12`) into cents, never through a float; None if unreadable."""
    cleaned = text.strip().replace("\xa0", " ")
    found = AMOUNT.match(cleaned)
    if not found:
        return None
    whole = int(re.sub(r"[.\s]", "", found.group(1)))
    fraction = (found.group(2) or "0").ljust(2, "0")
    return whole * 100 + int(fraction)


def _whole_number(text: str) -> int | None:
    text = text.strip()  # digits 0-9 only: `isdigit` alone accepts "²", which `int` cannot read
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def row_count(value: str, *, minimum: int, maximum: int = 50) -> int:
    number = _whole_number(value)
    return max(minimum, min(number if number is not None else minimum, maximum))


def cost_lines(get: Getter, rows: int) -> Parsed[CostLineInput]:
    """Cost rows `cost_lines.N.description`, `.amount` and `.optional`; blank rows are skipped.

    A line is essential unless ticked as optional: only optional lines may be left out of a partial grant.
    """
    parsed: Parsed[CostLineInput] = Parsed()
    for row in range(rows):
        description = get(f"cost_lines.{row}.description").strip()
        amount_text = get(f"cost_lines.{row}.amount").strip()
        if not description and not amount_text:
            continue
        cents = parse_amount(amount_text)
        if not description:
            parsed.errors[f"cost_lines.{row}.description"] = DESCRIPTION_ERROR
        if cents is None:
            parsed.errors[f"cost_lines.{row}.amount"] = AMOUNT_ERROR
        if description and cents is not None:
            optional = bool(get(f"cost_lines.{row}.optional"))
            parsed.items.append(
                CostLineInput(description=description, amount_cents=cents, essential=not optional)
            )
            parsed.rows.append(row)
    return parsed


def running_total(get: Getter, rows: int) -> int:
    """The sum of every readable amount, for the total shown while typing."""
    return sum(parse_amount(get(f"cost_lines.{row}.amount")) or 0 for row in range(rows))


def unreadable_amounts(get: Getter, rows: int) -> int:
    """How many typed amounts cannot be read (checked while typing, before saving)."""
    typed = (get(f"cost_lines.{row}.amount").strip() for row in range(rows))
    return sum(1 for text in typed if text and parse_amount(text) is None)


def volunteer_needs(get: Getter, rows: int) -> Parsed[VolunteerNeedInput]:
    parsed: Parsed[VolunteerNeedInput] = Parsed()
    for row in range(rows):
        skill = get(f"volunteer_needs.{row}.skill").strip()
        hours_text = get(f"volunteer_needs.{row}.hours").strip()
        if not skill and not hours_text:
            continue
        hours = _whole_number(hours_text)
        if not skill:
            parsed.errors[f"volunteer_needs.{row}.skill"] = SKILL_ERROR
        if hours is None:
            parsed.errors[f"volunteer_needs.{row}.hours"] = HOURS_ERROR
        if skill and hours is not None:
            parsed.items.append(VolunteerNeedInput(skill=skill, hours=hours))
            parsed.rows.append(row)
    return parsed


def space_need(get: Getter) -> Parsed[SpaceNeedInput]:
    """One optional space: what, for how many people, on which day from when to when (Amsterdam time)."""
    parsed: Parsed[SpaceNeedInput] = Parsed()
    names = ("space.description", "space.capacity", "space.date", "space.start", "space.end")
    values = {name: get(name).strip() for name in names}
    if not any(values.values()):
        return parsed
    capacity = _whole_number(values["space.capacity"])
    if not values["space.description"]:
        parsed.errors["space.description"] = N_("Say what kind of space you need.")
    if capacity is None:
        parsed.errors["space.capacity"] = NUMBER_ERROR
    try:
        day = date.fromisoformat(values["space.date"])
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(day)  # a moment far outside the years the platform plans for
        starts_at = datetime.combine(day, time.fromisoformat(values["space.start"]), AMSTERDAM)
        ends_at = datetime.combine(day, time.fromisoformat(values["space.end"]), AMSTERDAM)
    except ValueError:
        parsed.errors["space.date"] = DATE_ERROR
        return parsed
    if not parsed.errors and capacity is not None:
        parsed.items.append(
            SpaceNeedInput(
                description=values["space.description"],
                capacity=capacity,
                starts_at=starts_at,
                ends_at=ends_at,
            )
        )
        parsed.rows.append(0)
    return parsed


def themes(chosen: Sequence[str], other: str) -> list[str]:
    """The ticked themes plus any typed ones (separated by commas)."""
    return [*chosen, *(part for part in other.split(",") if part.strip())]


SERVICE_FIELDS = {
    "amount_cents": "amount",
    "starts_at": "date",
    "ends_at": "date",
}


def form_field(service_field: str, rows: Mapping[str, Sequence[int]]) -> str:
    """The form field for a field the service named: `cost_lines.0.amount_cents` → row 3's amount."""
    parts = service_field.split(".")
    if len(parts) == 3 and parts[1].isdigit():
        collection, index, name = parts[0], int(parts[1]), SERVICE_FIELDS.get(parts[2], parts[2])
        if collection == "space_needs":
            return f"space.{name}"
        form_rows = rows.get(collection, ())
        row = form_rows[index] if index < len(form_rows) else index
        return f"{collection}.{row}.{name}"
    return service_field
