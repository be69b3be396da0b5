"""Reasons of a match in the reader's language, with neighbourhood and municipality names filled in."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from buurtbudget.i18n import N_, gettext

TEXTS = {
    "can_do": N_("can do: {skill} (asked: {asked})"),
    "related_skill": N_("can do something related: {skill} (asked: {asked})"),
    "available": N_("free on {weekday} in the {part} ({hours} hours overlap)"),
    "available_on_date": N_("free on {date} ({hours} hours overlap)"),
    "same_neighbourhood": N_("lives in the same neighbourhood ({neighbourhood})"),
    "adjacent_neighbourhood": N_("lives in the neighbouring {neighbourhood}"),
    "same_municipality": N_("lives in the same municipality ({municipality})"),
    "distance_km": N_("{km} km away"),
    "shared_theme": N_("also cares about: {theme}"),
    "has_time": N_("has time ({commitments} of {max_commitments} commitments)"),
}
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
DAY_PARTS = {
    "morning": N_("morning"),
    "afternoon": N_("afternoon"),
    "evening": N_("evening"),
    "night": N_("night"),
}


@dataclass(frozen=True, slots=True)
class ShownReason:
    code: str
    params: dict[str, Any]
    text: str


def _number(value: Any, locale: str) -> str:
    text = f"{float(value):.1f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if locale == "nl" else text


def readable_params(params: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """Engine keys (`n12`, `m3`) replaced by the names people know."""
    shown = dict(params)
    for name in ("neighbourhood", "municipality"):
        if isinstance(shown.get(name), str):
            shown[name] = names.get(shown[name], shown[name])
    return shown


def explain(code: str, params: Mapping[str, Any], names: Mapping[str, str], locale: str) -> ShownReason:
    """One reason as a sentence part in `locale`."""
    shown = readable_params(params, names)
    fill = {str(k): v for k, v in shown.items()}
    if "weekday" in shown:
        fill["weekday"] = gettext(WEEKDAYS[int(shown["weekday"]) % 7], locale)
        fill["part"] = gettext(DAY_PARTS.get(str(shown.get("part", "")), DAY_PARTS["evening"]), locale)
    for number in ("hours", "km"):
        if number in shown:
            fill[number] = _number(shown[number], locale)
    template = TEXTS.get(code)
    if template is None:
        return ShownReason(code, shown, code)
    try:
        text = gettext(template, locale).format(**fill)
    except (KeyError, IndexError, ValueError):
        text = code
    return ShownReason(code, shown, text)


def place_names(neighbourhoods: Mapping[int, str], municipalities: Mapping[int, str]) -> dict[str, str]:
    """Engine keys to names, for `explain`."""
    names = {f"n{i}": name for i, name in neighbourhoods.items()}
    names |= {f"m{i}": name for i, name in municipalities.items()}
    return names
