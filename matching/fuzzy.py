"""Typo tolerance: a character-trigram index over the vocabulary, verified with rapidfuzz."""

from collections import Counter
from collections.abc import Callable

from rapidfuzz import fuzz, process

MIN_FUZZY_LENGTH = 4
MIN_RATIO = 80.0
MAX_EXPANSIONS = 8
_TRIGRAM_CANDIDATES = 96


def trigrams(word: str) -> set[str]:
    """Character trigrams of the word padded with '$' on both sides."""
    padded = f"${word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class FuzzyVocabulary:
    """Words seen in an index, findable by spelling similarity without scanning them all."""

    __slots__ = ("_grams", "_index", "_words")

    def __init__(self) -> None:
        self._words: list[str] = []
        self._index: dict[str, int] = {}
        self._grams: dict[str, list[int]] = {}

    def __len__(self) -> int:
        return len(self._words)

    def add(self, word: str) -> None:
        """Make a word findable (idempotent)."""
        if word in self._index or len(word) < MIN_FUZZY_LENGTH - 1:
            return
        wid = len(self._words)
        self._words.append(word)
        self._index[word] = wid
        for gram in trigrams(word):
            self._grams.setdefault(gram, []).append(wid)

    def similar(self, word: str, keep: Callable[[str], bool] | None = None) -> list[tuple[str, float]]:
        """Words with rapidfuzz ratio >= MIN_RATIO, found through shared trigrams (best first)."""
        if len(word) < MIN_FUZZY_LENGTH:
            return []
        counts: Counter[int] = Counter()
        for gram in trigrams(word):
            counts.update(self._grams.get(gram, ()))
        n = len(word)
        words = self._words
        slack = max(2, n // 4)
        # the best-sharing candidates of about the right length, in order; ``keep`` (a dictionary look-up
        # in Python) is asked only until the pool is full, not of every word sharing a trigram
        ranked = sorted(
            (-count, abs(len(words[wid]) - n), words[wid])
            for wid, count in counts.items()
            if abs(len(words[wid]) - n) <= slack
        )
        pool: list[str] = []
        for _, _, candidate in ranked:
            if keep is None or keep(candidate):
                pool.append(candidate)
                if len(pool) == _TRIGRAM_CANDIDATES:
                    break
        hits = process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=MIN_RATIO, limit=None)
        found = [(candidate, float(ratio)) for candidate, ratio, _ in hits if candidate != word]
        found.sort(key=lambda item: (-item[1], item[0]))
        return found

    def similar_exhaustive(
        self, word: str, keep: Callable[[str], bool] | None = None
    ) -> list[tuple[str, float]]:
        """The same answer by comparing with every word (the baseline the index is measured against)."""
        if len(word) < MIN_FUZZY_LENGTH:
            return []
        hits = process.extract(word, self._words, scorer=fuzz.ratio, score_cutoff=MIN_RATIO, limit=None)
        found = [(w, float(score)) for w, score, _ in hits if w != word and (keep is None or keep(w))]
        found.sort(key=lambda item: (-item[1], item[0]))
        return found
