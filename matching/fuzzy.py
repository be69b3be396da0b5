"""Typo tolerance: a character-trigram index over the vocabulary, verified with rapidfuzz."""

from array import array
from collections.abc import Callable, Iterator

import numpy as np
import numpy.typing as npt
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

    __slots__ = ("_grams", "_index", "_lengths", "_words")

    def __init__(self) -> None:
        self._words: list[str] = []
        self._lengths: array[int] = array("i")
        self._index: dict[str, int] = {}
        self._grams: dict[str, array[int]] = {}

    def __len__(self) -> int:
        return len(self._words)

    def add(self, word: str) -> None:
        """Make a word findable (idempotent)."""
        if word in self._index or len(word) < MIN_FUZZY_LENGTH - 1:
            return
        wid = len(self._words)
        self._words.append(word)
        self._lengths.append(len(word))
        self._index[word] = wid
        for gram in trigrams(word):
            self._grams.setdefault(gram, array("i")).append(wid)

    def similar(self, word: str, keep: Callable[[str], bool] | None = None) -> list[tuple[str, float]]:
        """Words with rapidfuzz ratio >= MIN_RATIO, found through shared trigrams (best first)."""
        if len(word) < MIN_FUZZY_LENGTH:
            return []
        pool: list[str] = []
        for candidate in self._by_shared_grams(word):
            if keep is None or keep(candidate):
                pool.append(candidate)
                if len(pool) == _TRIGRAM_CANDIDATES:
                    break
        hits = process.extract(word, pool, scorer=fuzz.ratio, score_cutoff=MIN_RATIO, limit=None)
        found = [(candidate, float(ratio)) for candidate, ratio, _ in hits if candidate != word]
        found.sort(key=lambda item: (-item[1], item[0]))
        return found

    def _by_shared_grams(self, word: str) -> Iterator[str]:
        """Words of about the right length sharing trigrams with `word`: most shared first, then closest
        in length, then alphabetical. Counted with numpy; only as many as the caller takes are ordered
        by their text, so ``keep`` (a dictionary look-up in Python) is asked only until the pool is full.
        """
        counts = self._shared_counts(word)
        if counts is None:
            return
        wids = np.flatnonzero(counts)
        n = len(word)
        off = np.abs(np.frombuffer(self._lengths, dtype=np.int32)[wids] - n)
        near = off <= max(2, n // 4)
        wids, off = wids[near], off[near]
        rank = (counts[wids].astype(np.int64) << 16) - off  # more shared first, then closer in length
        order = np.argsort(-rank, kind="stable")
        keys = rank[order].tolist()
        ordered = wids[order].tolist()
        words = self._words
        start = 0
        while start < len(ordered):  # one run of equal (shared, length) keys at a time, by text
            end = start + 1
            while end < len(ordered) and keys[end] == keys[start]:
                end += 1
            yield from sorted(words[wid] for wid in ordered[start:end])
            start = end

    def _shared_counts(self, word: str) -> "npt.NDArray[np.intp] | None":
        """How many trigrams each word id shares with `word` (None when none does).

        The views on the growable lists end here: a list with a view on it cannot grow.
        """
        grams = self._grams
        lists = [np.frombuffer(found, dtype=np.int32) for g in trigrams(word) if (found := grams.get(g))]
        return np.bincount(np.concatenate(lists)) if lists else None

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
