"""Per-item sets of small interned codes (skills, themes) as growable rows of uint64 bit words."""

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from matching.postings import BoolArray, IdArray

WordArray = npt.NDArray[np.uint64]
_BITS = 64


class BitRows:
    """Row i holds the set of code ids of item i; rows and words grow on demand."""

    __slots__ = ("rows",)

    def __init__(self, size: int = 0) -> None:
        self.rows: WordArray = np.zeros((size, 1), dtype=np.uint64)

    def ensure(self, size: int) -> None:
        """Room for `size` items (capacity doubles)."""
        if size <= len(self.rows):
            return
        bigger = np.zeros((max(size, 2 * len(self.rows), 1024), self.rows.shape[1]), dtype=np.uint64)
        bigger[: len(self.rows)] = self.rows
        self.rows = bigger

    def mask(self, codes: Iterable[int]) -> WordArray:
        """The bit words of a set of code ids (widening the rows when a code is new and large)."""
        words = [0] * self.rows.shape[1]
        for code in codes:
            word = code // _BITS
            if word >= len(words):
                words.extend([0] * (word + 1 - len(words)))
            words[word] |= 1 << (code % _BITS)
        if len(words) > self.rows.shape[1]:
            wider = np.zeros((len(self.rows), len(words)), dtype=np.uint64)
            wider[:, : self.rows.shape[1]] = self.rows
            self.rows = wider
        return np.array(words, dtype=np.uint64)

    def set(self, item: int, codes: Iterable[int]) -> None:
        """Store the codes of one item (replacing what it held)."""
        self.rows[item] = self.mask(codes)

    def clear(self, item: int) -> None:
        """Empty the set of one item."""
        self.rows[item] = 0

    def take(self, items: IdArray) -> WordArray:
        """The rows of some items (a copy)."""
        return self.rows.take(items, axis=0)


def any_of(rows: WordArray, mask: WordArray) -> BoolArray:
    """Per row: does it share a code with the mask?"""
    if rows.shape[1] == 1:
        found: BoolArray = (rows[:, 0] & mask[0]) != 0
        return found
    many: BoolArray = ((rows & mask) != 0).any(axis=1)
    return many


def count_of(rows: WordArray, mask: WordArray) -> npt.NDArray[np.int64]:
    """Per row: how many codes it shares with the mask."""
    counts: npt.NDArray[np.int64] = np.bitwise_count(rows & mask).sum(axis=1, dtype=np.int64)
    return counts
