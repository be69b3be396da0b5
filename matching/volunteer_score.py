"""How well one volunteer fits one need: the reference scoring and its reasons."""

from dataclasses import dataclass

from matching.availability import Availability, best_moment, overlap_cells
from matching.catalogue import Catalogues
from matching.errors import EmptyQuery
from matching.geo import Origin, nearness
from matching.lexicon import RELATED_SKILLS
from matching.reasons import reason
from matching.types import Area, Geography, Match, Reason, VolunteerNeed, VolunteerProfile

SKILLS_WEIGHT = 0.45
AVAILABILITY_WEIGHT = 0.20
DISTANCE_WEIGHT = 0.20
THEMES_WEIGHT = 0.10
LOAD_WEIGHT = 0.05
RELATED_SKILL = 0.5
MAX_NEED_SKILLS = 20


@dataclass(frozen=True, slots=True)
class CompiledNeed:
    """A need with resolved codes, time cells, origin and normalised weights."""

    need: VolunteerNeed
    skills: tuple[str, ...]
    asked: tuple[str, ...]
    related: tuple[frozenset[str], ...]
    themes: frozenset[str]
    availability: Availability
    wanted_cells: int
    origin: Origin
    weights: tuple[float, float, float, float, float]


@dataclass(frozen=True, slots=True)
class CompiledVolunteer:
    """A volunteer with resolved codes and time cells."""

    id: str
    area: Area
    skills: frozenset[str]
    themes: frozenset[str]
    availability: Availability
    commitments: int
    max_commitments: int
    active: bool

    @property
    def eligible(self) -> bool:
        """Active and not fully booked."""
        return self.active and self.commitments < self.max_commitments

    @property
    def load(self) -> float:
        """1 when free of commitments, towards 0 when nearly fully booked."""
        return 1.0 - self.commitments / self.max_commitments


def compile_volunteer(profile: VolunteerProfile, catalogues: Catalogues) -> CompiledVolunteer:
    """Resolve a profile's skills and themes (UnknownSkill / UnknownTheme) and its time."""
    return CompiledVolunteer(
        profile.id,
        profile.area,
        frozenset(catalogues.skills.resolve_all(profile.skills)),
        frozenset(catalogues.themes.resolve_all(profile.themes)),
        Availability.of(profile.weekly, profile.dated),
        profile.commitments,
        profile.max_commitments,
        profile.active,
    )


def compile_need(need: VolunteerNeed, catalogues: Catalogues, geography: Geography) -> CompiledNeed:
    """Resolve a need's skills and themes and prepare its weights."""
    if not need.skills:
        raise EmptyQuery("skills", "name at least one skill the initiative needs")
    if len(need.skills) > MAX_NEED_SKILLS:
        raise EmptyQuery("skills", f"at most {MAX_NEED_SKILLS} skills per need")
    pairs: dict[str, str] = {}
    for text in need.skills:
        pairs.setdefault(catalogues.skills.resolve(text), text)
    skills = tuple(pairs)
    # only skills close enough to stand in (lexicon.toml), never the whole family: who translates does
    # not count towards homework help
    related = tuple(
        frozenset(
            code
            for code in RELATED_SKILLS.get(skill, frozenset())
            if code in catalogues.skills.entries
            and catalogues.skills.family(code) == catalogues.skills.family(skill)
        )
        for skill in skills
    )
    themes = frozenset(catalogues.themes.resolve_all(need.themes))
    availability = Availability.of(need.weekly, need.dated)
    wanted = round(need.hours * 4) if need.hours is not None else availability.cells
    raw = (
        SKILLS_WEIGHT,
        AVAILABILITY_WEIGHT if availability.cells else 0.0,
        DISTANCE_WEIGHT,
        THEMES_WEIGHT if themes else 0.0,
        LOAD_WEIGHT,
    )
    total = sum(raw)
    weights = (raw[0] / total, raw[1] / total, raw[2] / total, raw[3] / total, raw[4] / total)
    origin = Origin.of(need.area, geography)
    return CompiledNeed(
        need, skills, tuple(pairs.values()), related, themes, availability, max(wanted, 1), origin, weights
    )


@dataclass(frozen=True, slots=True)
class Parts:
    """The component scores of one volunteer for one need."""

    skills: float
    availability: float
    distance: float
    themes: float
    load: float
    score: float


def score_parts(need: CompiledNeed, vol: CompiledVolunteer) -> Parts | None:
    """Component scores, or None when the volunteer drops out (declined, booked, inactive, no skill)."""
    if not vol.eligible or vol.id in need.need.declined_by:
        return None
    skill_sum = 0.0
    for skill, related in zip(need.skills, need.related, strict=True):
        if skill in vol.skills:
            skill_sum += 1.0
        elif related & vol.skills:
            skill_sum += RELATED_SKILL
    if skill_sum == 0.0:
        return None
    skills = skill_sum / len(need.skills)
    availability = 0.0
    if need.availability.cells:
        availability = min(1.0, overlap_cells(need.availability, vol.availability) / need.wanted_cells)
    distance = nearness(need.origin, vol.area)[0]
    themes = len(need.themes & vol.themes) / len(need.themes) if need.themes else 0.0
    load = vol.load
    ws, wa, wd, wt, wl = need.weights
    score = ws * skills + wa * availability + wd * distance + wt * themes + wl * load
    return Parts(skills, availability, distance, themes, load, score)


def explain(need: CompiledNeed, vol: CompiledVolunteer, catalogues: Catalogues, score: float) -> Match:
    """The match with its reasons (skills, time, place, themes, load)."""
    reasons: list[Reason] = []
    for skill, asked, related in zip(need.skills, need.asked, need.related, strict=True):
        if skill in vol.skills:
            reasons.append(reason("can_do", skill=catalogues.skills.label(skill), asked=asked))
        else:
            for other in sorted(related & vol.skills)[:1]:
                reasons.append(reason("related_skill", skill=catalogues.skills.label(other), asked=asked))
    if need.availability.cells:
        cells = overlap_cells(need.availability, vol.availability)
        if cells:
            code, params = best_moment(need.availability, vol.availability)
            reasons.append(reason(code, **params, hours=cells / 4))
    _, code, km = nearness(need.origin, vol.area)
    if code == "same_municipality":
        reasons.append(reason(code, municipality=vol.area.municipality))
    elif code:
        reasons.append(reason(code, neighbourhood=vol.area.neighbourhood))
    if km is not None:
        reasons.append(reason("distance_km", km=round(km, 1)))
    for theme in sorted(need.themes & vol.themes):
        reasons.append(reason("shared_theme", theme=catalogues.themes.label(theme)))
    if vol.commitments < vol.max_commitments / 2:
        reasons.append(reason("has_time", commitments=vol.commitments, max_commitments=vol.max_commitments))
    return Match(vol.id, min(1.0, max(0.0, score)), tuple(reasons))
