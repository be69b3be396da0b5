"""Interned terms with growable int32 posting arrays, exact live counts and lazy tombstone cleanup."""

from array import array
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

IdArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


class Postings:
    """Term -> internal document ids; removal leaves tombstones that are filtered and compacted lazily."""

    __slots__ = ("_dead", "_df", "_ids", "_lists", "_terms")

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._terms: list[str] = []
        self._lists: list[array[int]] = []
        self._df: array[int] = array("i")
        self._dead: array[int] = array("i")

    def __len__(self) -> int:
        return len(self._terms)

    def intern(self, term: str) -> int:
        """The id of a term, creating it when new."""
        tid = self._ids.get(term)
        if tid is None:
            tid = len(self._terms)
            self._ids[term] = tid
            self._terms.append(term)
            self._lists.append(array("i"))
            self._df.append(0)
            self._dead.append(0)
        return tid

    def lookup(self, term: str) -> int | None:
        """The id of a known term, or None."""
        return self._ids.get(term)

    def lookup_many(self, terms: Iterable[str]) -> list[int | None]:
        """The ids of terms (None for unknown ones), in order."""
        get = self._ids.get
        return [get(term) for term in terms]

    def term(self, tid: int) -> str:
        """The text of a term id."""
        return self._terms[tid]

    def df(self, tid: int) -> int:
        """How many live documents contain the term."""
        return self._df[tid]

    def add(self, doc: int, tids: Iterable[int]) -> None:
        """Record that a document contains these (distinct) terms."""
        lists, df = self._lists, self._df
        for tid in tids:
            lists[tid].append(doc)
            df[tid] += 1

    def remove(self, tids: Iterable[int]) -> None:
        """Forget one document that contained these terms (its ids stay as tombstones)."""
        for tid in tids:
            self._df[tid] -= 1
            self._dead[tid] += 1

    def docs(self, tid: int, alive: BoolArray) -> IdArray:
        """The live and dead ids of a term as a fresh array; compacts the list when mostly dead."""
        raw = self._lists[tid]
        ids: IdArray = np.frombuffer(raw, dtype=np.int32).copy() if raw else np.empty(0, dtype=np.int32)
        dead = self._dead[tid]
        if dead > 32 and dead * 2 > len(raw):
            ids = ids[alive[ids]]
            self._lists[tid] = array("i", ids.tobytes())
            self._dead[tid] = 0
        return ids

    def add_pairs(self, docs: IdArray, tids: IdArray) -> None:
        """Record many (document, term) pairs at once; documents must be new and ascending in `docs`."""
        if len(docs) == 0:
            return
        order = np.argsort(tids, kind="stable")
        sorted_tids = tids[order]
        sorted_docs = np.ascontiguousarray(docs[order], dtype=np.int32)
        bounds = np.flatnonzero(np.diff(sorted_tids)) + 1
        starts = np.concatenate([[0], bounds]).tolist()
        ends = [*bounds.tolist(), len(sorted_tids)]
        lists, df = self._lists, self._df
        for tid, start, end in zip(sorted_tids[starts].tolist(), starts, ends, strict=True):
            lists[tid].frombytes(sorted_docs[start:end].tobytes())
            df[tid] += end - start
