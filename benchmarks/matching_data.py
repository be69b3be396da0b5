"""Benchmark data: real Dutch initiatives from Pabulib files, and generators built from their vocabulary."""

import csv
import io
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import time
from pathlib import Path

from matching.catalogue import SKILLS
from matching.lexicon import THEMES
from matching.text import content_words
from matching.types import Area, InitiativeDoc, VolunteerNeed, VolunteerProfile, WeeklySlot

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "pabulib" / "nl"


@dataclass(frozen=True, slots=True)
class Project:
    """One real initiative from a Pabulib file."""

    id: str
    title: str
    category: str
    district: str
    municipality: str
    year: int | None
    cost_cents: int
    selected: bool


def _section(text: str, name: str) -> list[dict[str, str]]:
    lines = text.splitlines()
    start = lines.index(name) + 1
    end = next((i for i in range(start, len(lines)) if lines[i] in {"META", "PROJECTS", "VOTES"}), len(lines))
    return list(csv.DictReader(io.StringIO("\n".join(lines[start:end])), delimiter=";"))


def load_projects(folder: Path = DEFAULT_DATA) -> list[Project]:
    """All projects of the .pb files in a folder (read at run time; nothing is copied into code)."""
    projects: list[Project] = []
    for path in sorted(folder.glob("*.pb")):
        text = path.read_text(encoding="utf-8")
        meta = {row["key"]: row["value"] for row in _section(text, "META")}
        district = meta.get("district") or meta.get("unit", "?")
        year = meta.get("date_begin", "")[:4]
        for row in _section(text, "PROJECTS"):
            projects.append(
                Project(
                    f"{path.stem}:{row['project_id']}",
                    row["name"].strip(),
                    (row.get("category") or "").strip(),
                    district,
                    meta.get("unit", "?"),
                    int(year) if year.isdigit() else None,
                    int(float(row.get("cost") or 0)) * 100,
                    row.get("selected", "0") == "1",
                )
            )
    return [p for p in projects if p.title]


def to_doc(project: Project) -> InitiativeDoc:
    """A real project as an initiative document."""
    return InitiativeDoc(
        project.id,
        project.title,
        Area(project.district, project.municipality),
        themes=(project.category,) if project.category else (),
        status="granted" if project.selected else "submitted",
        year=project.year,
    )


# -- query variants ---------------------------------------------------------------------------------

_KEYS = "qwertyuiopasdfghjklzxcvbnm"


def typo(word: str, rng: random.Random) -> str:
    """One keyboard-style edit: drop, double, swap or replace a letter (not the first)."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + rng.choice(_KEYS) + word[i + 1 :]


def typo_query(title: str, rng: random.Random) -> str:
    """The title's content words with typos in one or two of the longer words."""
    words = content_words(title)
    long = [i for i, w in enumerate(words) if len(w) >= 5]
    for i in rng.sample(long, min(len(long), rng.choice((1, 2)))):
        words[i] = typo(words[i], rng)
    return " ".join(words)


_SYNONYMS = {m: members for members in THEMES.values() for m in members if " " not in m}


def synonym_query(title: str, rng: random.Random) -> str:
    """The title with words replaced by another member of their synonym group (when there is one)."""
    words = content_words(title)
    swapped = False
    for i, word in enumerate(words):
        group = [m for m in _SYNONYMS.get(word, ()) if m != word and " " not in m]
        if group:
            words[i] = rng.choice(group)
            swapped = True
    if not swapped and len(words) > 1:
        words.pop(rng.randrange(len(words)))
    return " ".join(words)


def reworded_query(title: str, rng: random.Random) -> str:
    """The title's content words shuffled, one dropped when there are more than two."""
    words = content_words(title)
    rng.shuffle(words)
    if len(words) > 2:
        words.pop()
    return " ".join(words)


# -- generators for the speed benchmark -----------------------------------------------------------


class Generator:
    """Synthetic but realistic volunteers and initiatives drawn from the real vocabulary."""

    def __init__(self, projects: list[Project], seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.titles = [p.title for p in projects]
        self.words = sorted({w for p in projects for w in content_words(p.title) if len(w) > 2})
        self.categories = sorted({p.category for p in projects if p.category})
        self.municipalities = [f"Gemeente{m:02d}" for m in range(40)]
        self.neighbourhoods = [(f"Buurt{n:03d}", self.municipalities[n % 40]) for n in range(600)]
        self.skills = [e.code for e in SKILLS]
        self.skill_words = [s for e in SKILLS for s in (e.code, *e.synonyms[:2])]
        self.themes = list(THEMES)
        self.costs = [
            "huur zaal",
            "materiaal",
            "koffie en thee",
            "flyers",
            "planten",
            "gereedschap",
            "boodschappen",
            "vergoeding docent",
            "geluid",
            "springkussen",
            "verzekering",
            "aarde",
        ]

    def area(self) -> Area:
        """A random neighbourhood, with coordinates one time in three."""
        name, municipality = self.rng.choice(self.neighbourhoods)
        if self.rng.random() < 1 / 3:
            return Area(name, municipality, 52.0 + self.rng.random(), 4.5 + self.rng.random())
        return Area(name, municipality)

    def title(self) -> str:
        """A real title with one or two words swapped for other real words."""
        words = self.rng.choice(self.titles).split()
        for _ in range(self.rng.choice((1, 2))):
            words[self.rng.randrange(len(words))] = self.rng.choice(self.words)
        return " ".join(words)

    def initiatives(self, n: int, prefix: str = "i", start: int = 0) -> Iterator[InitiativeDoc]:
        """n initiatives with title, short story, themes and cost lines."""
        rng = self.rng
        for i in range(start, start + n):
            yield InitiativeDoc(
                f"{prefix}{i}",
                self.title(),
                self.area(),
                story=rng.choice(self.titles),
                themes=(rng.choice(self.categories),),
                cost_lines=tuple(rng.sample(self.costs, 2)),
                status=rng.choice(("granted", "submitted", "draft")),
                year=rng.randrange(2019, 2026),
            )

    def slots(self) -> tuple[WeeklySlot, ...]:
        """One to three weekly slots."""
        out = []
        for _ in range(self.rng.randint(1, 3)):
            start = self.rng.randrange(8, 21)
            end = time(min(23, start + self.rng.randint(1, 4)))
            out.append(WeeklySlot(self.rng.randrange(7), time(start), end))
        return tuple(out)

    def volunteers(self, n: int, prefix: str = "v", start: int = 0) -> Iterator[VolunteerProfile]:
        """n volunteer profiles."""
        rng = self.rng
        for i in range(start, start + n):
            yield VolunteerProfile(
                f"{prefix}{i}",
                self.area(),
                tuple(rng.sample(self.skill_words, rng.randint(1, 4))),
                tuple(rng.sample(self.themes, rng.randint(0, 2))),
                self.slots(),
                commitments=rng.randint(0, 3),
                max_commitments=3,
            )

    def need(self) -> VolunteerNeed:
        """A random need: one or two skills, a theme, a weekly slot."""
        return VolunteerNeed(
            "need",
            self.area(),
            tuple(self.rng.sample(self.skills, self.rng.randint(1, 2))),
            (self.rng.choice(self.themes),),
            self.slots()[:1],
        )
