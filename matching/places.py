"""Interned (neighbourhood, municipality) pairs and, per query origin, the nearness tier of each."""

import numpy as np

from matching.geo import ADJACENT, ELSEWHERE, SAME_MUNICIPALITY, SAME_NEIGHBOURHOOD, Origin
from matching.idtable import Interner, grown
from matching.postings import FloatArray, IdArray


class PlaceTable:
    """Place ids for areas; tiers() scores every known place for an origin in one vectorised step."""

    __slots__ = ("_muni", "_names", "_nb", "_pairs", "_size")

    def __init__(self) -> None:
        self._names = Interner()
        self._pairs: dict[tuple[int, int], int] = {}
        self._nb: IdArray = np.zeros(0, dtype=np.int32)
        self._muni: IdArray = np.zeros(0, dtype=np.int32)
        self._size = 0

    def id(self, neighbourhood: str, municipality: str) -> int:
        """The place id of an area's neighbourhood in its municipality (created when new)."""
        key = (self._names.id(neighbourhood), self._names.id("\x00" + municipality))
        found = self._pairs.get(key)
        if found is None:
            found = self._size
            self._pairs[key] = found
            self._nb = grown(self._nb, found + 1)
            self._muni = grown(self._muni, found + 1)
            self._nb[found], self._muni[found] = key
            self._size += 1
        return found

    def names(self, place: int) -> tuple[str, str]:
        """(neighbourhood, municipality) of a place id."""
        return self._names.value(int(self._nb[place])), self._names.value(int(self._muni[place]))[1:]

    def tiers(self, origin: Origin) -> FloatArray:
        """Per place id, the tier score seen from the origin (same arithmetic as geo.tier)."""
        nb, muni = self._nb[: self._size], self._muni[: self._size]
        q_nb = self._names.lookup(origin.area.neighbourhood)
        q_muni = self._names.lookup("\x00" + origin.area.municipality)
        same_muni = muni == (-1 if q_muni is None else q_muni)
        same_nb = same_muni & (nb == (-1 if q_nb is None else q_nb))
        adjacent_ids = [self._names.lookup(n) for n in origin.adjacent]
        adjacent = np.isin(nb, np.array([a for a in adjacent_ids if a is not None], dtype=np.int32))
        tier: FloatArray = np.where(
            same_nb,
            SAME_NEIGHBOURHOOD,
            np.where(adjacent, ADJACENT, np.where(same_muni, SAME_MUNICIPALITY, ELSEWHERE)),
        )
        return tier
