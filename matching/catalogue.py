"""Catalogues of skills, themes and facilities: free text (with typos, Dutch or English) to codes."""

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from matching.errors import UnknownFacility, UnknownSkill, UnknownTheme
from matching.lexicon import CONCEPT_LABELS_NL, THEMES
from matching.text import Analyser, content_words, default_analyser, words

_MIN_RATIO = 80.0


@dataclass(frozen=True, slots=True)
class Entry:
    """A catalogue item: code, Dutch label, family (related items share one) and synonyms."""

    code: str
    label: str
    family: str
    synonyms: tuple[str, ...] = ()


class Catalogue:
    """Resolves what people type to catalogue codes; unknown input raises the catalogue's error."""

    def __init__(
        self,
        entries: Iterable[Entry],
        error: type[UnknownSkill | UnknownTheme | UnknownFacility],
        field: str,
        analyser: Analyser | None = None,
    ) -> None:
        self._analyser = analyser or default_analyser()
        self._error = error
        self._field = field
        self.entries: dict[str, Entry] = {}
        self._keys: dict[str, str] = {}
        for entry in entries:
            self.entries[entry.code] = entry
            for text in (entry.code, entry.label, *entry.synonyms):
                for key in self._key_forms(text):
                    self._keys.setdefault(key, entry.code)
        self._choices = sorted(self._keys)
        self._resolved: dict[str, str] = {}

    def _key_forms(self, text: str) -> set[str]:
        tokens = content_words(text) or words(text)
        plain = " ".join(tokens)
        stemmed = " ".join(self._analyser.token(t).stem for t in tokens)
        return {plain, stemmed} - {""}

    def family(self, code: str) -> str:
        """The family of a code."""
        return self.entries[code].family

    def label(self, code: str) -> str:
        """The Dutch label of a code."""
        return self.entries[code].label

    def resolve(self, text: str) -> str:
        """The code for a text: exact, stemmed, then typo-tolerant; raises when unknown or ambiguous."""
        found = self._resolved.get(text)
        if found is None:
            found = self._resolve(text)
            if len(self._resolved) < 100_000:
                self._resolved[text] = found
        return found

    def _resolve(self, text: str) -> str:
        if text in self.entries:
            return text
        for key in self._key_forms(text):
            if key in self._keys:
                return self._keys[key]
        plain = " ".join(content_words(text))
        if plain:
            best = process.extractOne(plain, self._choices, scorer=fuzz.ratio, score_cutoff=_MIN_RATIO)
            if best is not None:
                return self._keys[best[0]]
            per_word = {self._resolve_word(w) for w in plain.split()} - {None}
            if len(per_word) == 1:
                return next(c for c in per_word if c is not None)
        raise self._error(self._field, text, self.suggest(text))

    def _resolve_word(self, word: str) -> str | None:
        for key in self._key_forms(word):
            if key in self._keys:
                return self._keys[key]
        return None

    def resolve_all(self, texts: Iterable[str]) -> tuple[str, ...]:
        """Distinct codes for several texts, in order of first appearance."""
        return tuple(dict.fromkeys(self.resolve(t) for t in texts))

    def suggest(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """Close catalogue codes for a text that did not resolve."""
        plain = " ".join(words(text))
        if not plain:
            return ()
        hits = process.extract(plain, self._choices, scorer=fuzz.WRatio, limit=limit * 4)
        return tuple(dict.fromkeys(self._keys[h[0]] for h in hits if h[1] >= 50))[:limit]


def _e(code: str, family: str, *synonyms: str) -> Entry:
    return Entry(code, code.replace("_", " "), family, synonyms)


SKILLS: tuple[Entry, ...] = (
    _e(
        "koken",
        "eten",
        "kok",
        "kookles",
        "kooklessen",
        "maaltijden",
        "maaltijd koken",
        "cooking",
        "cook",
        "chef",
    ),
    _e("bakken", "eten", "taarten bakken", "brood bakken", "baking", "baker"),
    _e(
        "tuinieren",
        "groen",
        "tuin",
        "moestuin",
        "planten",
        "plantenbakken",
        "snoeien",
        "gardening",
        "gardener",
    ),
    _e("groenonderhoud", "groen", "onkruid wieden", "bomen", "perken", "green maintenance"),
    _e("klussen", "techniek", "klusjes", "timmeren", "repareren", "reparatie", "handyman", "diy", "odd jobs"),
    _e("fietsreparatie", "techniek", "fietsen repareren", "fietsenmaker", "bike repair", "bicycle repair"),
    _e("elektra", "techniek", "elektricien", "elektriciteit", "electrician"),
    _e(
        "computerhulp",
        "digitaal",
        "computer",
        "digitale hulp",
        "laptop",
        "ict",
        "computer help",
        "it support",
    ),
    _e("website", "digitaal", "webdesign", "websites maken", "social media", "web design"),
    _e("fotografie", "media", "foto", "fotograaf", "photography", "photographer", "video", "filmen"),
    _e("muziek", "cultuur", "muzikant", "zingen", "gitaar", "piano", "music", "musician", "singing"),
    _e("dans", "cultuur", "dansen", "dansles", "dance", "dancing"),
    _e(
        "knutselen", "cultuur", "creatief", "schilderen", "tekenen", "handwerken", "crafts", "painting", "art"
    ),
    _e("theater", "cultuur", "toneel", "acteren", "drama", "acting"),
    _e(
        "taalles",
        "onderwijs",
        "taalmaatje",
        "taalcoach",
        "nederlands leren",
        "language tutor",
        "dutch lessons",
    ),
    _e("huiswerkbegeleiding", "onderwijs", "huiswerk", "bijles", "tutoring", "homework help"),
    _e("vertalen", "onderwijs", "tolken", "tolk", "vertaler", "translation", "translating", "interpreter"),
    _e(
        "kinderbegeleiding",
        "zorg",
        "oppassen",
        "kinderen begeleiden",
        "kinderopvang",
        "childcare",
        "babysitting",
    ),
    _e("ouderenbezoek", "zorg", "ouderen bezoeken", "maatje", "gezelschap", "visiting elderly", "buddy"),
    _e("ehbo", "zorg", "eerste hulp", "bhv", "first aid"),
    _e("vervoer", "logistiek", "rijden", "chauffeur", "auto", "driver", "driving", "transport"),
    _e("sjouwen", "logistiek", "tillen", "opbouwen", "afbreken", "verhuizen", "heavy lifting", "set up"),
    _e("organiseren", "organisatie", "evenementen", "coordinatie", "plannen", "organising", "event planning"),
    _e(
        "financien",
        "organisatie",
        "penningmeester",
        "boekhouding",
        "administratie",
        "bookkeeping",
        "treasurer",
    ),
    _e("communicatie", "organisatie", "flyeren", "flyers", "promotie", "pr", "nieuwsbrief", "communication"),
    _e("schrijven", "organisatie", "teksten", "subsidieaanvraag", "verslag", "writing", "copywriting"),
    _e("sportbegeleiding", "sport", "trainer", "sportcoach", "voetbaltrainer", "coach", "sports coach"),
    _e(
        "schoonmaken",
        "schoon",
        "opruimen",
        "zwerfafval prikken",
        "afval prikken",
        "cleaning",
        "litter picking",
    ),
    _e("geluid_en_licht", "cultuur", "geluidstechniek", "licht", "techniek", "sound engineer", "lighting"),
    _e("gastvrouw", "organisatie", "gastheer", "ontvangst", "koffie schenken", "bar", "host", "hosting"),
)

FACILITIES: tuple[Entry, ...] = (
    _e("keuken", "eten", "kitchen", "kookgelegenheid"),
    _e("beamer", "media", "projector", "scherm", "screen"),
    _e("tuin", "buiten", "garden", "buitenruimte", "terras", "outdoor space"),
    _e("wifi", "media", "internet", "wi-fi"),
    _e("geluidsinstallatie", "media", "geluid", "speakers", "sound system", "microfoon"),
    _e("piano", "cultuur", "vleugel"),
    _e("podium", "cultuur", "stage", "toneel"),
    _e("parkeren", "buiten", "parkeerplaats", "parking"),
    _e("koffie", "eten", "koffiezetapparaat", "coffee", "thee"),
    _e("kinderhoek", "kinderen", "speelhoek", "play corner"),
    _e("opslag", "buiten", "berging", "storage"),
)


def _themes() -> tuple[Entry, ...]:
    return tuple(Entry(code, CONCEPT_LABELS_NL[code], code, members) for code, members in THEMES.items())


class Catalogues:
    """The three catalogues the engine uses; the platform may pass its own entries."""

    def __init__(
        self,
        skills: Iterable[Entry] = SKILLS,
        facilities: Iterable[Entry] = FACILITIES,
        themes: Iterable[Entry] | None = None,
        analyser: Analyser | None = None,
    ) -> None:
        a = analyser or default_analyser()
        self.skills = Catalogue(skills, UnknownSkill, "skills", a)
        self.facilities = Catalogue(facilities, UnknownFacility, "facilities", a)
        self.themes = Catalogue(themes if themes is not None else _themes(), UnknownTheme, "themes", a)


_DEFAULT: Catalogues | None = None


def default_catalogues() -> Catalogues:
    """The built-in catalogues (built once per process)."""
    global _DEFAULT  # noqa: PLW0603 - a lazily built process-wide cache
    if _DEFAULT is None:
        _DEFAULT = Catalogues()
    return _DEFAULT
