"""One searchable text field: postings, typo vocabulary, per-document terms and lexical scoring."""

import math
from array import array
from dataclasses import dataclass

import numpy as np

from matching.fuzzy import MAX_EXPANSIONS, FuzzyVocabulary
from matching.idtable import grown
from matching.postings import BoolArray, FloatArray, IdArray, Postings
from matching.text import CONCEPT_PREFIX, Analyser, QueryGroup

QUERY_COVERAGE = 0.75
DOC_COVERAGE = 1.0 - QUERY_COVERAGE
FUZZY_WEIGHT = 0.95


@dataclass(frozen=True, slots=True)
class Expanded:
    """A query group resolved against one field: weighted term ids (ascending weight) and its idf."""

    label: str
    idf: float
    alternatives: tuple[tuple[int, float], ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """Which term of a document satisfied a query group, and how well."""

    label: str
    term: str
    weight: float


@dataclass(slots=True)
class Scratch:
    """Dense per-document work arrays reused across queries (reset after each use)."""

    tmp: FloatArray
    acc_w: FloatArray
    acc_u: FloatArray
    mark: BoolArray

    @classmethod
    def empty(cls) -> "Scratch":
        """Zero-sized scratch arrays."""
        z = np.zeros(0, dtype=np.float64)
        return cls(z, z.copy(), z.copy(), np.zeros(0, dtype=np.bool_))

    def ensure(self, size: int) -> None:
        """Grow all arrays to hold `size` documents."""
        self.tmp = grown(self.tmp, size)
        self.acc_w = grown(self.acc_w, size)
        self.acc_u = grown(self.acc_u, size)
        self.mark = grown(self.mark, size)


def idf(n_docs: int, df: int) -> float:
    """Smoothed inverse document frequency, always >= 1."""
    return 1.0 + math.log(1.0 + n_docs / (1.0 + df))


class TextField:
    """A text field of documents identified by sequential internal ids."""

    __slots__ = (
        "_analyser",
        "_count",
        "_flat",
        "_start",
        "_store_text",
        "postings",
        "texts",
        "units",
        "vocab",
    )

    def __init__(self, analyser: Analyser, *, store_text: bool = True) -> None:
        self._analyser = analyser
        self._store_text = store_text
        self.postings = Postings()
        self.vocab = FuzzyVocabulary()
        self._flat: array[int] = array("i")
        self._start: array[int] = array("q")
        self._count: array[int] = array("i")
        self.units: FloatArray = np.zeros(0, dtype=np.float64)
        self.texts: list[str] = []

    def add(self, iid: int, text: str) -> None:
        """Index the text of a new internal id (ids arrive in sequence)."""
        self.add_many(iid, [text])

    def add_many(self, first: int, texts: list[str]) -> None:
        """Index the texts of new internal ids first, first + 1, ... in one go (postings built with numpy)."""
        if first != len(self._start):
            raise ValueError("internal ids must be added in sequence")
        seen: dict[str, tuple[list[int], int, str]] = {}
        counts: list[int] = []
        units: list[int] = []
        flat_before = len(self._flat)
        for text in texts:
            found = seen.get(text)
            if found is None:
                analysed = self._analyser.analyse(text)
                found = (self._intern(analysed.terms), analysed.units, analysed.normalised)
                seen[text] = found
            tids, unit_count, normalised = found
            self._start.append(len(self._flat))
            self._flat.extend(tids)
            counts.append(len(tids))
            units.append(unit_count)
            self.texts.append(normalised if self._store_text else "")
        self._count.extend(counts)
        last = first + len(texts)
        self.units = grown(self.units, last)
        self.units[first:last] = units
        docs = np.repeat(np.arange(first, last, dtype=np.int32), counts)
        added = np.frombuffer(self._flat, dtype=np.int32)[flat_before:].copy()
        self.postings.add_pairs(docs, added)

    def _intern(self, terms: frozenset[str]) -> list[int]:
        """Term ids (new words also become findable with typos)."""
        postings = self.postings
        tids: list[int] = []
        for term in terms:
            tid = postings.lookup(term)
            if tid is None:
                tid = postings.intern(term)
                if not term.startswith(CONCEPT_PREFIX):
                    self.vocab.add(term)
            tids.append(tid)
        return tids

    def remove(self, iid: int) -> None:
        """Forget the text of an internal id."""
        self.postings.remove(self.term_ids(iid))
        self._count[iid] = 0
        self.texts[iid] = ""

    def term_ids(self, iid: int) -> "array[int]":
        """The distinct term ids of a document."""
        start = self._start[iid]
        return self._flat[start : start + self._count[iid]]

    def _alive_term(self, word: str) -> bool:
        tid = self.postings.lookup(word)
        return tid is not None and self.postings.df(tid) > 0

    def expand(self, groups: list[QueryGroup], n_docs: int, *, exhaustive: bool = False) -> list[Expanded]:
        """Resolve query groups to term ids, adding spelling variants found in the vocabulary."""
        postings = self.postings
        out: list[Expanded] = []
        for group in groups:
            weights: dict[str, float] = dict(group.alternatives)
            if exhaustive:
                variants = self.vocab.similar_exhaustive(group.label, self._alive_term)
            else:
                variants = self.vocab.similar(group.label, self._alive_term)
            for word, ratio in variants[:MAX_EXPANSIONS]:
                weight = FUZZY_WEIGHT * ratio / 100.0
                if weights.get(word, 0.0) < weight:
                    weights[word] = weight
            alternatives: list[tuple[int, float]] = []
            exact_df = 0
            fuzzy_df = 0
            for term, weight in weights.items():
                tid = postings.lookup(term)
                if tid is None or postings.df(tid) == 0:
                    continue
                alternatives.append((tid, weight))
                if term in group.exact:
                    exact_df = max(exact_df, postings.df(tid))
                elif not term.startswith(CONCEPT_PREFIX):
                    fuzzy_df = max(fuzzy_df, postings.df(tid))
            alternatives.sort(key=lambda item: (item[1], item[0]))
            out.append(Expanded(group.label, idf(n_docs, exact_df or fuzzy_df), tuple(alternatives)))
        return out

    def accumulate(self, expanded: list[Expanded], alive: BoolArray, scratch: Scratch) -> list[IdArray]:
        """Add each group's best weight per document into scratch.acc_w (idf-weighted) and acc_u."""
        touched_all: list[IdArray] = []
        tmp, acc_w, acc_u = scratch.tmp, scratch.acc_w, scratch.acc_u
        for group in expanded:
            parts: list[IdArray] = []
            for tid, weight in group.alternatives:
                ids = self.postings.docs(tid, alive)
                tmp[ids] = weight
                parts.append(ids)
            if not parts:
                continue
            touched = np.concatenate(parts) if len(parts) > 1 else parts[0]
            best = tmp[touched]
            acc_w[touched] += group.idf * best
            acc_u[touched] += best
            tmp[touched] = 0.0
            touched_all.append(touched)
        return touched_all

    def hits(self, expanded: list[Expanded], iid: int) -> list[Hit | None]:
        """Per query group: the best matching term of one document, or None."""
        terms = set(self.term_ids(iid))
        out: list[Hit | None] = []
        for group in expanded:
            best: Hit | None = None
            for tid, weight in group.alternatives:
                if tid in terms and (best is None or weight >= best.weight):
                    best = Hit(group.label, self.postings.term(tid), weight)
            out.append(best)
        return out

    @staticmethod
    def query_norm(expanded: list[Expanded]) -> float:
        """The sum of the groups' idf (the most a document can collect)."""
        return sum(g.idf for g in expanded)

    def lexical_one(self, expanded: list[Expanded], iid: int) -> tuple[float, list[Hit | None]]:
        """Reference lexical score of one document (same arithmetic as the vectorised path)."""
        hits = self.hits(expanded, iid)
        sum_w = 0.0
        sum_u = 0.0
        for group, hit in zip(expanded, hits, strict=True):
            if hit is not None:
                sum_w += group.idf * hit.weight
                sum_u += hit.weight
        norm = self.query_norm(expanded)
        if norm == 0.0 or sum_u == 0.0:
            return 0.0, hits
        cov_q = sum_w / norm
        cov_d = min(1.0, sum_u / self.units[iid]) if self.units[iid] else 0.0
        return QUERY_COVERAGE * cov_q + DOC_COVERAGE * cov_d, hits

    def lexical_many(self, expanded: list[Expanded], ids: IdArray, scratch: Scratch) -> FloatArray:
        """Vectorised lexical scores for ids from scratch accumulators (resets them for these ids)."""
        norm = self.query_norm(expanded)
        sum_w = scratch.acc_w[ids]
        sum_u = scratch.acc_u[ids]
        scratch.acc_w[ids] = 0.0
        scratch.acc_u[ids] = 0.0
        if norm == 0.0:
            return np.zeros(len(ids), dtype=np.float64)
        units = self.units[ids]
        with np.errstate(divide="ignore", invalid="ignore"):
            cov_d = np.where(units > 0, np.minimum(1.0, sum_u / units), 0.0)
        cov_q = sum_w / norm
        out: FloatArray = np.where(sum_u > 0, QUERY_COVERAGE * cov_q + DOC_COVERAGE * cov_d, 0.0)
        return out

    def lexical_of(self, expanded: list[Expanded], ids: IdArray) -> FloatArray:
        """Lexical scores of some documents from their stored terms (same arithmetic as lexical_one)."""
        n = len(ids)
        norm = self.query_norm(expanded)
        if n == 0 or norm == 0.0 or not any(group.alternatives for group in expanded):
            return np.zeros(n, dtype=np.float64)
        best = self._best_weights(expanded, ids)
        sum_w = np.zeros(n, dtype=np.float64)
        sum_u = np.zeros(n, dtype=np.float64)
        for g, group in enumerate(expanded):
            sum_w += group.idf * best[:, g]
            sum_u += best[:, g]
        units = self.units[ids]
        with np.errstate(divide="ignore", invalid="ignore"):
            cov_d = np.where(units > 0, np.minimum(1.0, sum_u / units), 0.0)
        out: FloatArray = np.where(sum_u > 0, QUERY_COVERAGE * (sum_w / norm) + DOC_COVERAGE * cov_d, 0.0)
        return out

    def _best_weights(self, expanded: list[Expanded], ids: IdArray) -> FloatArray:
        """Per document and query group, the best weight among the group's terms the document has."""
        pairs = sorted({(tid, g, w) for g, group in enumerate(expanded) for tid, w in group.alternatives})
        query_tids = np.array(sorted({tid for tid, _, _ in pairs}), dtype=np.int32)
        table = np.zeros((len(query_tids), len(expanded)), dtype=np.float64)
        for tid, g, w in pairs:
            row = int(np.searchsorted(query_tids, tid))
            table[row, g] = max(table[row, g], w)
        starts = np.frombuffer(self._start, dtype=np.int64)[ids]
        counts = np.frombuffer(self._count, dtype=np.int32)[ids].astype(np.int64)
        owner = np.repeat(np.arange(len(ids)), counts)
        first = np.cumsum(counts) - counts
        positions = np.arange(int(counts.sum())) + np.repeat(starts - first, counts)
        terms = np.frombuffer(self._flat, dtype=np.int32)[positions]
        row = np.minimum(np.searchsorted(query_tids, terms), len(query_tids) - 1)
        hit = query_tids[row] == terms
        best = np.zeros((len(ids), len(expanded)), dtype=np.float64)
        np.maximum.at(best, owner[hit], table[row[hit]])
        return best
