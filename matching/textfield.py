"""One searchable text field: postings, typo vocabulary, per-document terms and lexical scoring."""

import math
from array import array
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.fuzzy import MAX_EXPANSIONS, FuzzyVocabulary
from matching.idtable import grown
from matching.postings import BoolArray, FloatArray, IdArray, Postings
from matching.text import CONCEPT_PREFIX, Analyser, QueryGroup

ComplexArray = npt.NDArray[np.complex128]

QUERY_COVERAGE = 0.75
DOC_COVERAGE = 1.0 - QUERY_COVERAGE
FUZZY_WEIGHT = 0.95
SHARED_TEXTS = 100_000  # distinct texts recognised again (unique titles would only fill memory)
SHARED_RATIO = 4  # score per distinct text when documents share texts this often on average
EMPTY_TEXT = 0


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
    acc: ComplexArray
    mark: BoolArray
    total: FloatArray  # a query's weighted sum over several fields, per document

    @classmethod
    def empty(cls) -> "Scratch":
        """Zero-sized scratch arrays."""
        return cls(np.zeros(0), np.zeros(0, dtype=np.complex128), np.zeros(0, dtype=np.bool_), np.zeros(0))

    def ensure(self, size: int) -> None:
        """Grow all arrays to hold `size` documents."""
        self.tmp = grown(self.tmp, size)
        self.acc = grown(self.acc, size)
        self.mark = grown(self.mark, size)
        self.total = grown(self.total, size)


def idf(n_docs: int, df: int) -> float:
    """Smoothed inverse document frequency, always >= 1."""
    return 1.0 + math.log(1.0 + n_docs / (1.0 + df))


class TextField:
    """A text field of documents identified by sequential internal ids.

    Texts are dictionary-coded: each distinct text (up to SHARED_TEXTS of them are recognised again)
    is analysed once and keeps its terms and unit count; a document holds the id of its text.
    """

    __slots__ = (
        "_analyser",
        "_count",
        "_docs",
        "_flat",
        "_known",
        "_norm",
        "_slot",
        "_start",
        "_store_text",
        "_text_of",
        "_units",
        "postings",
        "texts",
        "vocab",
    )

    def __init__(self, analyser: Analyser, *, store_text: bool = True) -> None:
        self._analyser = analyser
        self._store_text = store_text
        self.postings = Postings()
        self.vocab = FuzzyVocabulary()
        self._flat: array[int] = array("i")
        self._start: array[int] = array("q", [0])
        self._count: array[int] = array("i", [0])
        self._units: FloatArray = np.zeros(1024, dtype=np.float64)
        self._norm: list[str] = [""]
        self._known: dict[str, int] = {"": EMPTY_TEXT}
        self._text_of: IdArray = np.zeros(0, dtype=np.int32)
        self._slot: IdArray = np.full(0, -1, dtype=np.int32)
        self._docs = 0
        self.texts: list[str] = []

    @property
    def text_count(self) -> int:
        """How many distinct texts were analysed (text id 0 is the empty text)."""
        return len(self._start)

    @property
    def shared(self) -> bool:
        """Do documents share texts so much that scoring per distinct text pays off?"""
        return self.text_count * SHARED_RATIO <= self._docs

    def text_of(self, ids: IdArray) -> IdArray:
        """The text ids of some documents."""
        found: IdArray = self._text_of[ids]
        return found

    def add_many(self, first: int, texts: list[str]) -> None:
        """Index the texts of new internal ids first, first + 1, ... in one go (postings built with numpy)."""
        if first != self._docs:
            raise ValueError("internal ids must be added in sequence")
        known = self._known
        text_ids: list[int] = []
        for text in texts:
            found = known.get(text)
            if found is None:
                found = self._new_text(text)
                if len(known) < SHARED_TEXTS:
                    known[text] = found
            text_ids.append(found)
        last = first + len(texts)
        ids = np.array(text_ids, dtype=np.int32)
        self._text_of = grown(self._text_of, last)
        self._text_of[first:last] = ids
        self._docs = last
        if self._store_text:
            norm = self._norm
            self.texts.extend([norm[t] for t in text_ids])
        docs, terms = self._pairs(np.arange(first, last, dtype=np.int32), ids)
        self.postings.add_pairs(docs, terms)

    def _new_text(self, text: str) -> int:
        """Analyse a text not seen before and store its terms under a new text id."""
        analysed = self._analyser.analyse(text, cache=False)
        tids = self._intern(analysed.terms)
        found = len(self._start)
        self._start.append(len(self._flat))
        self._flat.extend(tids)
        self._count.append(len(tids))
        self._units = grown(self._units, found + 1)
        self._units[found] = analysed.units
        self._norm.append(analysed.normalised if self._store_text else "")
        return found

    def _pairs(self, docs: IdArray, text_ids: IdArray) -> tuple[IdArray, IdArray]:
        """(document, term id) for every term of these documents' texts, documents ascending."""
        starts = np.frombuffer(self._start, dtype=np.int64)[text_ids]
        counts = np.frombuffer(self._count, dtype=np.int32)[text_ids].astype(np.int64)
        first = np.cumsum(counts) - counts
        positions = np.arange(int(counts.sum())) + np.repeat(starts - first, counts)
        terms: IdArray = np.frombuffer(self._flat, dtype=np.int32)[positions]
        return np.repeat(docs, counts), terms

    def _intern(self, terms: frozenset[str]) -> list[int]:
        """Term ids (new words also become findable with typos)."""
        postings = self.postings
        found = postings.lookup_many(terms)
        tids: list[int] = []
        for term, known in zip(terms, found, strict=True):
            if known is not None:
                tids.append(known)
                continue
            tids.append(postings.intern(term))
            if not term.startswith(CONCEPT_PREFIX):
                self.vocab.add(term)
        return tids

    def remove(self, iid: int) -> None:
        """Forget the text of an internal id."""
        self.postings.remove(self.term_ids(iid))
        self._text_of[iid] = EMPTY_TEXT
        if self._store_text:
            self.texts[iid] = ""

    def term_ids(self, iid: int) -> "array[int]":
        """The distinct term ids of a document."""
        text = int(self._text_of[iid])
        start = self._start[text]
        return self._flat[start : start + self._count[text]]

    def units_of(self, ids: IdArray) -> FloatArray:
        """The number of distinct word stems of some documents' texts."""
        found: FloatArray = self._units[self._text_of[ids]]
        return found

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

    def accumulate(self, expanded: list[Expanded], alive: BoolArray, scratch: Scratch) -> None:
        """Add each group's best weight per document into scratch.acc: idf-weighted as the real part, plain
        as the imaginary part (one memory access per document for both sums); lexical_many reads them.

        A document in several of a group's posting lists appears several times in `touched` with the same
        best weight; a fancy-indexed += writes it once, so it is counted once.
        """
        tmp, acc = scratch.tmp, scratch.acc
        for group in expanded:
            alternatives = group.alternatives
            if len(alternatives) == 1:
                tid, weight = alternatives[0]
                acc[self.postings.docs(tid, alive)] += complex(group.idf * weight, weight)
                continue
            parts: list[IdArray] = []
            for tid, weight in alternatives:
                ids = self.postings.docs(tid, alive)
                tmp[ids] = weight
                parts.append(ids)
            if not parts:
                continue
            touched = np.concatenate(parts)
            acc[touched] += tmp[touched] * complex(group.idf, 1.0)
            tmp[touched] = 0.0

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
        units = float(self._units[self._text_of[iid]])
        cov_d = min(1.0, sum_u / units) if units else 0.0
        return QUERY_COVERAGE * cov_q + DOC_COVERAGE * cov_d, hits

    def lexical_many(self, expanded: list[Expanded], ids: IdArray, scratch: Scratch) -> FloatArray:
        """Vectorised lexical scores for ids from scratch accumulators (resets them for these ids, which
        must include every document accumulate touched)."""
        norm = self.query_norm(expanded)
        sums = scratch.acc[ids]
        scratch.acc[ids] = 0.0
        sum_w, sum_u = sums.real, sums.imag
        if norm == 0.0:
            return np.zeros(len(ids), dtype=np.float64)
        units = self.units_of(ids)
        with np.errstate(divide="ignore", invalid="ignore"):
            cov_d = np.where(units > 0, np.minimum(1.0, sum_u / units), 0.0)
        cov_q = sum_w / norm
        out: FloatArray = np.where(sum_u > 0, QUERY_COVERAGE * cov_q + DOC_COVERAGE * cov_d, 0.0)
        return out

    def lexical_texts(self, expanded: list[Expanded], text_ids: IdArray) -> FloatArray:
        """Lexical scores of some distinct texts (by text id) from their stored terms."""
        n = len(text_ids)
        norm = self.query_norm(expanded)
        if n == 0 or norm == 0.0 or not any(group.alternatives for group in expanded):
            return np.zeros(n, dtype=np.float64)
        best = self._best_weights(expanded, text_ids)
        sum_w = np.zeros(n, dtype=np.float64)
        sum_u = np.zeros(n, dtype=np.float64)
        for g, group in enumerate(expanded):
            sum_w += group.idf * best[:, g]
            sum_u += best[:, g]
        units = self._units[text_ids]
        with np.errstate(divide="ignore", invalid="ignore"):
            cov_d = np.where(units > 0, np.minimum(1.0, sum_u / units), 0.0)
        out: FloatArray = np.where(sum_u > 0, QUERY_COVERAGE * (sum_w / norm) + DOC_COVERAGE * cov_d, 0.0)
        return out

    def _slots(self) -> IdArray:
        """A -1 per term id, grown with the vocabulary; callers restore what they set."""
        if len(self._slot) < len(self.postings):
            grown_to = max(len(self.postings), 2 * len(self._slot))
            self._slot = np.concatenate((self._slot, np.full(grown_to - len(self._slot), -1, dtype=np.int32)))
        return self._slot

    def _best_weights(self, expanded: list[Expanded], text_ids: IdArray) -> FloatArray:
        """Per text and query group, the best weight among the group's terms the text has."""
        pairs = sorted({(tid, g, w) for g, group in enumerate(expanded) for tid, w in group.alternatives})
        pair_tid = np.array([tid for tid, _, _ in pairs], dtype=np.int32)
        pair_group = np.array([g for _, g, _ in pairs], dtype=np.int64)
        pair_weight = np.array([w for _, _, w in pairs], dtype=np.float64)
        query_tids, first_pair, pair_count = np.unique(pair_tid, return_index=True, return_counts=True)
        owner, terms = self._pairs(np.arange(len(text_ids), dtype=np.int32), text_ids)
        slot = self._slots()  # term id -> its row in query_tids, -1 for the terms the query lacks
        slot[query_tids] = np.arange(len(query_tids), dtype=np.int32)
        row = slot[terms]
        slot[query_tids] = -1
        hit = row >= 0
        owner, row = owner[hit], row[hit]
        # a term may serve several groups: one (text, group) cell per pair of the term
        count = pair_count[row]
        first = np.cumsum(count) - count
        pair = np.arange(int(count.sum())) + np.repeat(first_pair[row] - first, count)
        groups = len(expanded)
        cells = np.repeat(owner.astype(np.int64), count) * groups + pair_group[pair]
        best = np.zeros(len(text_ids) * groups, dtype=np.float64)
        np.maximum.at(best, cells, pair_weight[pair])
        return best.reshape(len(text_ids), groups)


class FieldScores:
    """One query's lexical scores in one field, remembered per distinct text when documents share texts."""

    __slots__ = ("_expanded", "_field", "_memo")

    def __init__(self, field: TextField, expanded: list[Expanded]) -> None:
        self._field = field
        self._expanded = expanded
        self._memo: FloatArray | None = None
        if field.shared and any(group.alternatives for group in expanded):
            self._memo = np.full(field.text_count, np.nan)

    @property
    def cheap(self) -> bool:
        """Is a document's exact score a table look-up (or always zero)?"""
        return self._memo is not None or not any(group.alternatives for group in self._expanded)

    def of(self, ids: IdArray) -> FloatArray:
        """Exact lexical scores of some documents."""
        texts = self._field.text_of(ids)
        memo = self._memo
        if memo is None:
            return self._field.lexical_texts(self._expanded, texts)
        values: FloatArray = memo[texts]
        missing = np.isnan(values)
        if missing.any():
            asked = texts[missing]
            memo[asked] = -1.0  # marks each text once (scores are >= 0): no sort finds the distinct ones
            todo = np.flatnonzero(memo == -1.0) if len(asked) * 8 > len(memo) else np.unique(asked)
            memo[todo] = self._field.lexical_texts(self._expanded, todo.astype(np.int32))
            values[missing] = memo[asked]
        return values
