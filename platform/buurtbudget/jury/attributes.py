"""The attributes a jury pool is stratified by, configured per municipality (pure: no I/O).

Each attribute has a key (what quotas name, e.g. `gender`), a label, and the values a volunteer may
choose (e.g. `vrouw`). A municipality that configured nothing uses `DEFAULT_ATTRIBUTES`. Labels are
English message ids for the defaults and the municipality's own words otherwise (shown as written).
Volunteers may leave any attribute empty ("I would rather not say"); a value that is not configured,
or an attribute that is not, is refused, so quotas and the pool always speak the same words.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from buurtbudget.errors import InvalidInput
from buurtbudget.i18n import N_
from buurtbudget.jury.sortition import Quota

KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
MAX_ATTRIBUTES = 8
MAX_VALUES = 20


@dataclass(frozen=True, slots=True)
class Choice:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class JuryAttribute:
    key: str
    label: str
    choices: tuple[Choice, ...]

    def allows(self, value: str) -> bool:
        return any(choice.key == value for choice in self.choices)

    def label_of(self, value: str) -> str:
        return next((choice.label for choice in self.choices if choice.key == value), value)


DEFAULT_ATTRIBUTES: tuple[JuryAttribute, ...] = (
    JuryAttribute(
        "age_band",
        N_("Age"),
        (
            Choice("16-25", N_("16 to 25 years")),
            Choice("26-40", N_("26 to 40 years")),
            Choice("41-65", N_("41 to 65 years")),
            Choice("65+", N_("older than 65")),
        ),
    ),
    JuryAttribute(
        "gender",
        N_("Gender"),
        (Choice("vrouw", N_("woman")), Choice("man", N_("man")), Choice("anders", N_("other"))),
    ),
)


def parse_attributes(stored: Sequence[Mapping[str, Any]] | None) -> tuple[JuryAttribute, ...]:
    """The attributes stored with a municipality (JSON), checked; None or empty: the defaults."""
    if not stored:
        return DEFAULT_ATTRIBUTES
    if len(stored) > MAX_ATTRIBUTES:
        raise InvalidInput("at most 8 attributes", field="attributes")
    attributes: list[JuryAttribute] = []
    for item in stored:
        key = str(item.get("key", "")).strip()
        label = str(item.get("label", "")).strip()
        raw = item.get("choices")
        if not KEY.match(key) or any(a.key == key for a in attributes):
            raise InvalidInput(
                "an attribute needs a short unique key of lowercase letters, digits, - or _",
                field="attributes",
                key=key,
            )
        if not 1 <= len(label) <= 80:
            raise InvalidInput(
                "an attribute needs a label of 1 to 80 characters", field="attributes", key=key
            )
        if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_VALUES:
            raise InvalidInput("an attribute needs 2 to 20 values", field="attributes", key=key)
        choices: list[Choice] = []
        for entry in raw:
            value = str(entry.get("key", "") if isinstance(entry, Mapping) else "").strip()
            text = str(entry.get("label", "") if isinstance(entry, Mapping) else "").strip() or value
            if not 1 <= len(value) <= 40 or any(c.key == value for c in choices) or len(text) > 80:
                raise InvalidInput(
                    "each value needs a unique key of 1 to 40 characters", field="attributes", key=key
                )
            choices.append(Choice(value, text))
        attributes.append(JuryAttribute(key, label, tuple(choices)))
    return tuple(attributes)


def stored_form(attributes: Sequence[JuryAttribute]) -> list[dict[str, Any]]:
    """The JSON kept with the municipality."""
    return [
        {"key": a.key, "label": a.label, "choices": [{"key": c.key, "label": c.label} for c in a.choices]}
        for a in attributes
    ]


def check_volunteer(attributes: Sequence[JuryAttribute], given: Mapping[str, str]) -> dict[str, str]:
    """The volunteer's answers without empty ones; an unknown attribute or value is refused by its field."""
    known = {a.key: a for a in attributes}
    answers: dict[str, str] = {}
    for key, value in given.items():
        attribute = known.get(key)
        if attribute is None:
            raise InvalidInput("this attribute is not asked in this municipality", field=f"attributes.{key}")
        if not value:
            continue
        if not attribute.allows(value):
            raise InvalidInput("choose one of the values offered", field=f"attributes.{key}")
        answers[key] = value
    return answers


def check_quotas(attributes: Sequence[JuryAttribute], quotas: Sequence[Quota]) -> None:
    """Quotas may only name configured attributes and values."""
    known = {a.key: a for a in attributes}
    for quota in quotas:
        attribute = known.get(quota.category)
        if attribute is None or not attribute.allows(quota.value):
            raise InvalidInput(
                "a quota names an attribute or value the municipality does not ask",
                field="quotas",
                category=quota.category,
                value=quota.value,
            )
