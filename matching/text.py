"""Dutch-first text analysis: normalising, stop words, stemming, compounds and synonym concepts."""

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

import Stemmer

from matching.lexicon import COMPOUND_PARTS, CONCEPTS, FILLER_WORDS, STOP_WORDS, THEMES

CONCEPT_PREFIX = "~"
_TOKEN = re.compile(r"[a-z0-9]+")
_MIN_COMPOUND = 6
_MIN_PART = 3
_LINKERS = ("", "s", "e", "en")
_DIMINUTIVE_ENDINGS = ("je", "jes")
# A word of the Dutch frequency list (wordfreq's Zipf scale: 3 is once per million words) is a compound
# part when it is this frequent and this long; a word this frequent itself is only split into the
# curated parts (kinderen is not kind + eren).
PART_ZIPF = 3.0
PART_MIN_LENGTH = 4
WHOLE_WORD_ZIPF = 4.0
HEAD_MIN_PREFIX = 4


@cache
def zipf(word: str) -> float:
    """How frequent a Dutch word is (wordfreq's Zipf scale, 0 for unknown words)."""
    from wordfreq import zipf_frequency  # noqa: PLC0415  (its word lists load on first use)

    return float(zipf_frequency(word, "nl"))


@cache
def lemma(word: str) -> str:
    """The dictionary form of a Dutch word (simplemma), or the word itself."""
    import simplemma  # noqa: PLC0415  (its dictionary loads on first use)

    found = str(simplemma.lemmatize(word, lang="nl"))
    return word if "_" in found or not found.isalnum() else found


def normalise(text: str) -> str:
    """Lower-case, fold accents (é -> e, ĳ -> ij) and keep the text otherwise as it is."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    if folded.isascii():
        return folded
    return "".join(c for c in folded if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """All word tokens of the normalised text, stop words included."""
    return _TOKEN.findall(normalise(text))


def content_words(text: str) -> list[str]:
    """Word tokens without stop words and single letters."""
    return [w for w in words(text) if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """What the analyser knows about one word: its forms, compound parts and concepts."""

    surface: str
    stem: str
    forms: tuple[str, ...]
    parts: tuple[tuple[str, ...], ...]
    part_labels: tuple[str, ...]
    concepts: tuple[str, ...]
    whole_concepts: tuple[str, ...]
    part_concepts: tuple[tuple[str, ...], ...]
    terms: frozenset[str]
    curated: bool = True  # split on curated parts only: a query asks for each part


@dataclass(frozen=True, slots=True)
class Analysed:
    """A document text ready for indexing."""

    normalised: str
    tokens: tuple[str, ...]
    terms: frozenset[str]
    units: int


@dataclass(frozen=True, slots=True)
class QueryGroup:
    """One thing the query asks for, with the index terms that satisfy it and their weights."""

    label: str
    alternatives: tuple[tuple[str, float], ...]
    exact: frozenset[str]


CONCEPT_WEIGHT = 0.9
# a theme (groen, sport ...) is a broad family: a word of the same theme says less than a synonym
THEME_WEIGHT = 0.6


class Analyser:
    """Turns text into index terms and query groups; caches per word, so it is fast on repeats."""

    def __init__(self) -> None:
        self._nl = Stemmer.Stemmer("dutch")
        self._en = Stemmer.Stemmer("english")
        self._cache: dict[str, TokenInfo] = {}
        self._texts: dict[str, Analysed] = {}
        self._chunks: dict[str, tuple[TokenInfo, ...]] = {}
        self._parts = set(COMPOUND_PARTS) | {self._nl.stemWord(p) for p in COMPOUND_PARTS}
        self._single: dict[str, set[str]] = {}
        self._pairs: dict[tuple[str, str], set[str]] = {}
        for concept, members in CONCEPTS.items():
            for member in members:
                tokens = content_words(member) or words(member)
                if len(tokens) == 1:
                    for form in self._forms(tokens[0]):
                        self._single.setdefault(form, set()).add(concept)
                else:
                    key = (self._nl.stemWord(tokens[0]), self._nl.stemWord(tokens[-1]))
                    self._pairs.setdefault(key, set()).add(concept)
        self._pair_terms = {
            key: frozenset(CONCEPT_PREFIX + c for c in found) for key, found in self._pairs.items()
        }

    def _forms(self, word: str) -> tuple[str, ...]:
        nl = self._nl.stemWord(word)
        en = self._en.stemWord(word)
        if word.isdigit():
            return tuple(dict.fromkeys((word, nl, en)))
        base = lemma(word)
        forms = tuple(dict.fromkeys((word, nl, en, base, self._nl.stemWord(base))))
        if not word.endswith(_DIMINUTIVE_ENDINGS):
            return forms
        # a diminutive (bankje, spelletjes) is known by its own forms only, not by the word it is made
        # from, which may mean something else (a bank keeps money, a spel is any game)
        small = word[: word.rindex("j") + 1]
        return tuple(f for f in forms if f.startswith(small))

    def _is_part(self, part: str, frequent_only: bool) -> bool:
        if part in self._parts:
            return True
        return not frequent_only and len(part) >= PART_MIN_LENGTH and zipf(part) >= PART_ZIPF

    def _split(self, word: str) -> tuple[str, ...]:
        """Split a compound into known parts (fewest parts wins), or return () when it is not one."""
        n = len(word)
        if n < _MIN_COMPOUND or word.isdigit():
            return ()
        curated_only = zipf(word) >= WHOLE_WORD_ZIPF
        # best[i]: (parts, linker letters) of the cheapest split of word[:i]; fewest parts, then linkers.
        best: list[tuple[tuple[str, ...], int] | None] = [None] * (n + 1)
        best[0] = ((), 0)
        for i in range(n):
            head = best[i]
            if head is None:
                continue
            # the word itself counts as a part (no split) only when it is a curated one (moestuin)
            for j in range(i + _MIN_PART, n + 1 if i or word in self._parts else n):
                part = word[i:j]
                if not self._is_part(part, curated_only):
                    continue
                for link in _LINKERS:
                    k = j + len(link)
                    if k > n or word[j:k] != link:
                        continue
                    candidate = ((*head[0], part), head[1] + len(link))
                    current = best[k]
                    if current is None or (len(candidate[0]), candidate[1]) < (len(current[0]), current[1]):
                        best[k] = candidate
        found = best[n]
        return found[0] if found is not None and len(found[0]) >= 2 else ()

    def _head(self, word: str) -> tuple[str, ...]:
        """A Dutch compound is right-headed: when it does not split into known parts (it starts with a
        name, as Wildemanbuurtkoor does), its longest curated last part still says what it is."""
        if word in self._parts or zipf(word) >= WHOLE_WORD_ZIPF:  # digitaal is no digi + taal
            return ()
        for k in range(HEAD_MIN_PREFIX, len(word) - PART_MIN_LENGTH + 1):
            if word[k:] in self._parts:
                return (word[:k], word[k:])
        return ()

    def _concepts(self, forms: tuple[str, ...]) -> set[str]:
        found: set[str] = set()
        for form in forms:
            found |= self._single.get(form, set())
        return found

    def token(self, word: str) -> TokenInfo:
        """Analyse one normalised word (cached)."""
        info = self._cache.get(word)
        if info is not None:
            return info
        forms = self._forms(word)
        stem = forms[1] if len(forms) > 1 else forms[0]
        labels = self._split(word) or self._split(stem) or self._head(word)
        curated = all(label in self._parts for label in labels)
        parts = tuple(self._forms(p) for p in labels)
        whole = self._concepts(forms)
        # a compound the lexicon names as a whole means what the lexicon says (a speeltuin is a
        # playground, a dierentuin a zoo): its parts' concepts (tuin: groen) would only mislead
        per_part = tuple(() if whole else tuple(sorted(self._concepts(p))) for p in parts)
        concepts = whole.union(*per_part)
        terms = {*forms, *(f for p in parts for f in p), *(CONCEPT_PREFIX + c for c in concepts)}
        info = TokenInfo(
            word,
            stem,
            forms,
            parts,
            labels,
            tuple(sorted(concepts)),
            tuple(sorted(whole)),
            per_part,
            frozenset(terms),
            curated,
        )
        if len(self._cache) < 500_000:
            self._cache[word] = info
        return info

    def _pair_concepts(self, infos: list[TokenInfo]) -> list[set[str]]:
        extra: list[set[str]] = [set() for _ in infos]
        for i in range(len(infos) - 1):
            found = self._pairs.get((infos[i].stem, infos[i + 1].stem))
            if found:
                extra[i] |= found
                extra[i + 1] |= found
        return extra

    def analyse(self, text: str, *, cache: bool = True) -> Analysed:
        """Index terms of a document text: word forms, compound parts and concepts (cached unless the
        caller keeps the result itself: a growing cache of objects makes Python's garbage collector
        scan ever more of them during a bulk build).
        """
        found = self._texts.get(text)
        if found is None:
            found = self._analyse(text)
            if not cache:
                return found
            if len(self._texts) >= 200_000:
                self._texts.clear()
            self._texts[text] = found
        return found

    def infos(self, text: str) -> list[TokenInfo]:
        """The analysed content words of a text, in order.

        Cached per whitespace-separated chunk: normalising never turns whitespace into a letter or
        digit, so a text's words are its chunks' words one after the other.
        """
        chunks = self._chunks
        out: list[TokenInfo] = []
        for chunk in text.split():
            found = chunks.get(chunk)
            if found is None:
                found = tuple(self.token(w) for w in content_words(chunk))
                if len(chunks) < 500_000:
                    chunks[chunk] = found
            out.extend(found)
        return out

    def _analyse(self, text: str) -> Analysed:
        infos = self.infos(text)
        terms: set[str] = set().union(*(info.terms for info in infos))
        pairs = self._pair_terms
        for left, right in pairwise(infos):
            found = pairs.get((left.stem, right.stem))
            if found:
                terms |= found
        units = len({info.stem for info in infos})
        tokens = tuple(info.surface for info in infos)
        return Analysed(" ".join(tokens), tokens, frozenset(terms), units)

    def query(self, text: str) -> list[QueryGroup]:
        """Query groups for a text: one per word (one per part for a compound), deduplicated."""
        infos = self.infos(text)
        groups: list[QueryGroup] = []
        seen: set[frozenset[str]] = set()
        for info, extra in zip(infos, self._pair_concepts(infos), strict=True):
            whole = set(info.whole_concepts) | extra
            # a compound of curated parts asks for each part; one split on the word list asks for the
            # whole word and what its parts are about (documents hold the parts: asking for each part of
            # every compound a resident types costs more than it finds)
            pieces = [(info.surface, info.forms, info.concepts)]
            if info.curated and info.part_labels:
                pieces = list(zip(info.part_labels, info.parts, info.part_concepts, strict=True))
            # buurtkinderen asks for kinderen: a filler part of a compound asks for nothing by itself
            pieces = [p for p in pieces if p[0] not in FILLER_WORDS] or pieces
            for label, forms, own in pieces:
                concepts = sorted(whole.union(own))
                exact = frozenset(forms) | frozenset(info.forms)
                if exact in seen:
                    continue
                seen.add(exact)
                alternatives = dict.fromkeys(exact, 1.0)
                for concept in concepts:
                    weight = THEME_WEIGHT if concept in THEMES else CONCEPT_WEIGHT
                    alternatives[CONCEPT_PREFIX + concept] = weight
                groups.append(QueryGroup(label, tuple(sorted(alternatives.items())), exact))
        wanted = [g for g in groups if g.label not in FILLER_WORDS]
        return wanted or groups

    def concepts_of(self, text: str) -> frozenset[str]:
        """The synonym concepts a text expresses (used for themes)."""
        return frozenset(
            t[len(CONCEPT_PREFIX) :] for t in self.analyse(text).terms if t.startswith(CONCEPT_PREFIX)
        )


_DEFAULT: Analyser | None = None


def default_analyser() -> Analyser:
    """A shared analyser (stemmers and caches are built once per process)."""
    global _DEFAULT  # noqa: PLW0603 - a lazily built process-wide cache
    if _DEFAULT is None:
        _DEFAULT = Analyser()
    return _DEFAULT
