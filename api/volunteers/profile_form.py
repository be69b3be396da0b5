"""Reading the volunteer profile form (no JavaScript needed) into the service's input."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_
from buurtbudget.volunteers.models import VolunteerProfile
from buurtbudget.volunteers.rules import DatedInput, ProfileInput, WeeklyInput

DATE_ROWS = 3
Get = Callable[[str], str]
GetAll = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class ReadForm:
    """The input, and where each submitted slot came from (so errors land on the right field)."""

    profile: ProfileInput | None
    errors: dict[str, str]
    weekly_rows: list[int]
    dated_rows: list[int]


def read(get: Get, getall: GetAll) -> ReadForm:
    errors: dict[str, str] = {}
    neighbourhood = get("neighbourhood_id").strip()
    if not (neighbourhood.isascii() and neighbourhood.isdigit()) or len(neighbourhood) > 9:
        errors["neighbourhood_id"] = N_("Choose your neighbourhood.")
    skills = [s for s in getall("skills") if s.strip()][:20]
    skills += [part.strip() for part in get("other_skills").split(",") if part.strip()][:20]
    weekly, weekly_rows = [], []
    for weekday in range(7):
        start, end = get(f"weekly.{weekday}.start").strip(), get(f"weekly.{weekday}.end").strip()
        if start or end:
            weekly.append(WeeklyInput(weekday, start, end))
            weekly_rows.append(weekday)
    dated, dated_rows = [], []
    for row in range(DATE_ROWS):
        day, start, end = (get(f"dated.{row}.{part}").strip() for part in ("day", "start", "end"))
        if not (day or start or end):
            continue
        try:
            parsed = date.fromisoformat(day)
        except ValueError:
            errors[f"dated.{row}.day"] = N_("Fill in a date, like 2026-12-31.")
            continue
        dated.append(DatedInput(parsed, start, end))
        dated_rows.append(row)
    most = get("max_commitments").strip() or "3"
    if not (most.isascii() and most.isdigit()) or len(most) > 3:
        errors["max_commitments"] = N_("you can take 1 to 10 commitments at a time")
    if errors:
        return ReadForm(None, errors, weekly_rows, dated_rows)
    return ReadForm(
        ProfileInput(
            neighbourhood_id=int(neighbourhood),
            skills=skills,
            themes=[t for t in getall("themes") if t.strip()][:8],
            weekly=weekly,
            dated=dated,
            max_commitments=int(most),
            consent=get("consent") == "ja",
        ),
        {},
        weekly_rows,
        dated_rows,
    )


def field_of(error: InvalidInput, form: ReadForm) -> str:
    """The form field an error of the service belongs to."""
    parts = error.field.split(".")
    if parts[0] == "skills":
        return "other_skills" if error.code == "unknown_skill" else "skills"
    if parts[0] == "themes":
        return "themes"
    if parts[0] in ("weekly", "dated") and len(parts) == 3 and parts[1].isdigit():
        rows = form.weekly_rows if parts[0] == "weekly" else form.dated_rows
        index = int(parts[1])
        if index < len(rows):
            return f"{parts[0]}.{rows[index]}.{parts[2]}"
    return error.field


def values_of(profile: VolunteerProfile) -> dict[str, object]:
    """A stored profile as the form's values."""
    values: dict[str, object] = {
        "neighbourhood_id": str(profile.neighbourhood_id),
        "skills": list(profile.skills),
        "themes": list(profile.themes),
        "max_commitments": str(profile.max_commitments),
        "consent": "ja" if profile.consent else "",
    }
    for slot in profile.weekly:
        values[f"weekly.{slot['weekday']}.start"] = slot["start"]
        values[f"weekly.{slot['weekday']}.end"] = slot["end"]
    for row, slot in enumerate(profile.dated[:DATE_ROWS]):
        values[f"dated.{row}.day"] = slot["day"]
        values[f"dated.{row}.start"] = slot["start"]
        values[f"dated.{row}.end"] = slot["end"]
    return values
