"""The curated lexicon (stop words, compound parts, themes and finer concepts), read from lexicon.toml."""

import tomllib
from pathlib import Path
from types import MappingProxyType
from typing import Any

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as handle:
        return tomllib.load(handle)


_DATA = _load(LEXICON_FILE)


def _groups(kind: str) -> dict[str, tuple[str, ...]]:
    return {code: tuple(group["words"]) for code, group in _DATA.get(kind, {}).items()}


STOP_WORDS: frozenset[str] = frozenset(_DATA["stop_words"].split())
# Words residents write around what they mean: a query asks for them only when it asks for nothing else.
FILLER_WORDS: frozenset[str] = frozenset(_DATA["filler_words"].split())
# Words a compound may be built from (Dutch allows buurt+moestuin, speel+tuin, kinder+boerderij ...).
COMPOUND_PARTS: frozenset[str] = frozenset(_DATA["compound_parts"].split())
# Themes residents and volunteers choose from: code -> words and phrases (Dutch and English).
THEMES: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(_groups("themes"))
# Every synonym group the analyser knows: the themes and the finer concepts of neighbourhood activities.
CONCEPTS: MappingProxyType[str, tuple[str, ...]] = MappingProxyType({**THEMES, **_groups("concepts")})
# Dutch labels of the groups, for reasons ("Ook over samen koken").
CONCEPT_LABELS_NL: MappingProxyType[str, str] = MappingProxyType(
    {code: group["label"] for kind in ("themes", "concepts") for code, group in _DATA.get(kind, {}).items()}
)


def _related(pairs: list[list[str]]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for one, other in pairs:
        found.setdefault(one, set()).add(other)
        found.setdefault(other, set()).add(one)
    return {code: frozenset(codes) for code, codes in found.items()}


# Skill codes close enough to stand in for each other (both ways); other skills are not related.
RELATED_SKILLS: MappingProxyType[str, frozenset[str]] = MappingProxyType(
    _related(_DATA.get("related_skills", {}).get("pairs", []))
)
