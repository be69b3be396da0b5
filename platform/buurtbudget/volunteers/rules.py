"""Pure checks on a volunteer profile: catalogue skills and themes, and times that can exist."""

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

from buurtbudget.volunteers.errors import InvalidAvailability, InvalidQuery, UnknownSkill, UnknownTheme
from matching import Catalogues, DatedSlot, WeeklySlot
from matching.errors import InvalidAvailability as EngineInvalidAvailability
from matching.errors import UnknownSkill as EngineUnknownSkill
from matching.errors import UnknownTheme as EngineUnknownTheme

MAX_SKILLS = 20
MAX_THEMES = 8
MAX_WEEKLY = 21
MAX_DATED = 31
MAX_DAYS_AHEAD = 366
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True, slots=True)
class WeeklyInput:
    weekday: int
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class DatedInput:
    day: date
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class ProfileInput:
    """What a volunteer fills in; skills and themes as typed (Dutch or English, typos allowed)."""

    neighbourhood_id: int
    skills: list[str]
    themes: list[str] = field(default_factory=list)
    weekly: list[WeeklyInput] = field(default_factory=list)
    dated: list[DatedInput] = field(default_factory=list)
    max_commitments: int = 3
    consent: bool = False


@dataclass(frozen=True, slots=True)
class CleanProfile:
    """A profile as stored: catalogue codes, and slots as plain JSON-ready dicts."""

    skills: list[str]
    themes: list[str]
    weekly: list[dict[str, Any]]
    dated: list[dict[str, Any]]


def _time(text: str, where: str, *, is_end: bool) -> time:
    found = _TIME.match(text.strip())
    hours, minutes = (int(found.group(1)), int(found.group(2))) if found else (-1, -1)
    if not found or not 0 <= minutes <= 59 or not 0 <= hours <= 24 or (hours == 24 and minutes):
        raise InvalidAvailability("a time runs from 00:00 to 24:00, like 19:30", field=where, value=text)
    if hours == 24:
        if not is_end:
            raise InvalidAvailability("a time slot cannot start at 24:00", field=where, value=text)
        return time(0, 0)  # the engine's midnight at the end of the day
    return time(hours, minutes)


def _span(start_text: str, end_text: str, where: str) -> tuple[time, time]:
    start = _time(start_text, f"{where}.start", is_end=False)
    end = _time(end_text, f"{where}.end", is_end=True)
    end_minutes = 24 * 60 if end == time(0, 0) else end.hour * 60 + end.minute
    if end_minutes <= start.hour * 60 + start.minute:
        raise InvalidAvailability("the end time must be after the start time", field=f"{where}.end")
    return start, end


def _label(value: time, *, is_end: bool) -> str:
    return "24:00" if is_end and value == time(0, 0) else value.strftime("%H:%M")


def clean_weekly(slots: list[WeeklyInput]) -> list[dict[str, Any]]:
    if len(slots) > MAX_WEEKLY:
        raise InvalidAvailability("give at most 21 weekly time slots", field="weekly")
    cleaned = []
    for index, slot in enumerate(slots):
        where = f"weekly.{index}"
        if not 0 <= slot.weekday <= 6:
            raise InvalidAvailability("choose a day from Monday to Sunday", field=f"{where}.weekday")
        start, end = _span(slot.start, slot.end, where)
        try:
            WeeklySlot(slot.weekday, start, end)
        except EngineInvalidAvailability:
            raise InvalidAvailability(
                "a time slot must last at least a quarter of an hour", field=f"{where}.end"
            ) from None
        cleaned.append(
            {"weekday": slot.weekday, "start": _label(start, is_end=False), "end": _label(end, is_end=True)}
        )
    return cleaned


def clean_dated(slots: list[DatedInput], today: date) -> list[dict[str, Any]]:
    if len(slots) > MAX_DATED:
        raise InvalidAvailability("give at most 31 dates", field="dated")
    cleaned = []
    for index, slot in enumerate(slots):
        where = f"dated.{index}"
        if slot.day < today:
            raise InvalidAvailability("this date has passed: choose today or later", field=f"{where}.day")
        if slot.day > today + timedelta(days=MAX_DAYS_AHEAD):
            raise InvalidAvailability("choose a date within a year from now", field=f"{where}.day")
        start, end = _span(slot.start, slot.end, where)
        try:
            DatedSlot(slot.day, start, end)
        except EngineInvalidAvailability:
            raise InvalidAvailability(
                "a time slot must last at least a quarter of an hour", field=f"{where}.end"
            ) from None
        cleaned.append(
            {
                "day": slot.day.isoformat(),
                "start": _label(start, is_end=False),
                "end": _label(end, is_end=True),
            }
        )
    return cleaned


def resolve_skills(catalogues: Catalogues, texts: list[str], field_name: str = "skills") -> list[str]:
    """Catalogue codes for what was typed; the first unknown one is named in the error."""
    if not [t for t in texts if t.strip()]:
        raise InvalidQuery("choose at least one skill", field=field_name)
    if len(texts) > MAX_SKILLS:
        raise InvalidQuery("choose at most 20 skills", field=field_name)
    codes: dict[str, None] = {}
    for index, text in enumerate(t for t in texts if t.strip()):
        try:
            codes.setdefault(catalogues.skills.resolve(text.strip()[:80]), None)
        except EngineUnknownSkill as error:
            raise UnknownSkill(
                "we do not know the skill '{skill}': choose one from the list",
                field=f"{field_name}.{index}",
                skill=text.strip()[:80],
                suggestions=list(error.suggestions),
            ) from None
    return list(codes)


def resolve_themes(catalogues: Catalogues, texts: list[str]) -> list[str]:
    if len(texts) > MAX_THEMES:
        raise InvalidQuery("choose at most 8 themes", field="themes")
    codes: dict[str, None] = {}
    for index, text in enumerate(t for t in texts if t.strip()):
        try:
            codes.setdefault(catalogues.themes.resolve(text.strip()[:80]), None)
        except EngineUnknownTheme as error:
            raise UnknownTheme(
                "we do not know the theme '{theme}': choose one from the list",
                field=f"themes.{index}",
                theme=text.strip()[:80],
                suggestions=list(error.suggestions),
            ) from None
    return list(codes)


def clean(profile: ProfileInput, catalogues: Catalogues, today: date) -> CleanProfile:
    """The profile as stored, or the first specific error (nothing is stored then)."""
    return CleanProfile(
        skills=resolve_skills(catalogues, profile.skills),
        themes=resolve_themes(catalogues, profile.themes),
        weekly=clean_weekly(profile.weekly),
        dated=clean_dated(profile.dated, today),
    )


def weekly_slots(stored: list[dict[str, Any]]) -> tuple[WeeklySlot, ...]:
    """Stored weekly slots as the engine's."""
    return tuple(
        WeeklySlot(int(s["weekday"]), _time(s["start"], "", is_end=False), _time(s["end"], "", is_end=True))
        for s in stored
    )


def dated_slots(stored: list[dict[str, Any]]) -> tuple[DatedSlot, ...]:
    """Stored dated slots as the engine's."""
    return tuple(
        DatedSlot(
            date.fromisoformat(s["day"]),
            _time(s["start"], "", is_end=False),
            _time(s["end"], "", is_end=True),
        )
        for s in stored
    )
