"""External ids to sequential internal ids (never reused), the live mask, and growable arrays."""

from typing import Any

import numpy as np
import numpy.typing as npt

from matching.errors import DuplicateId, UnknownId
from matching.postings import BoolArray


def grown(array: npt.NDArray[Any], size: int) -> npt.NDArray[Any]:
    """The array itself when it holds `size` items, else a copy with doubled capacity (zero-filled)."""
    if size <= len(array):
        return array
    bigger = np.zeros(max(size, 2 * len(array), 1024), dtype=array.dtype)
    bigger[: len(array)] = array
    return bigger


class IdTable:
    """Maps the platform's string ids to internal ints; an update gets a new internal id."""

    __slots__ = ("_by_ext", "_ext", "alive", "live")

    def __init__(self) -> None:
        self._by_ext: dict[str, int] = {}
        self._ext: list[str] = []
        self.alive: BoolArray = np.zeros(0, dtype=np.bool_)
        self.live = 0

    @property
    def size(self) -> int:
        """How many internal ids were handed out (live and removed)."""
        return len(self._ext)

    def __contains__(self, ext: str) -> bool:
        return ext in self._by_ext

    def allocate(self, ext: str) -> int:
        """A fresh internal id for a new item."""
        if not ext:
            raise UnknownId("id", "ids must not be empty")
        if ext in self._by_ext:
            raise DuplicateId("id", f"{ext!r} is already indexed", ext)
        iid = len(self._ext)
        self._ext.append(ext)
        self._by_ext[ext] = iid
        self.alive = grown(self.alive, iid + 1)
        self.alive[iid] = True
        self.live += 1
        return iid

    def release(self, ext: str) -> int:
        """Mark an item removed and return its old internal id."""
        iid = self._by_ext.pop(ext, None)
        if iid is None:
            raise UnknownId("id", f"{ext!r} is not indexed", ext)
        self.alive[iid] = False
        self.live -= 1
        return iid

    def get(self, ext: str) -> int | None:
        """The internal id of a live item, or None."""
        return self._by_ext.get(ext)

    def ext(self, iid: int) -> str:
        """The platform id of an internal id."""
        return self._ext[iid]

    def live_ids(self) -> npt.NDArray[np.intp]:
        """All live internal ids."""
        return np.flatnonzero(self.alive[: self.size])


class Interner:
    """Small strings (neighbourhoods, statuses) to dense ints and back."""

    __slots__ = ("_ids", "_values")

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._values: list[str] = []

    def id(self, value: str) -> int:
        """The int for a value, creating it when new."""
        found = self._ids.get(value)
        if found is None:
            found = len(self._values)
            self._ids[value] = found
            self._values.append(value)
        return found

    def lookup(self, value: str) -> int | None:
        """The int for a known value, or None."""
        return self._ids.get(value)

    def value(self, found: int) -> str:
        """The value for an int."""
        return self._values[found]
