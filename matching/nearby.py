"""Items by place and by coordinate grid cell, to fetch everything within a nearness cut-off of an origin."""

import math

import numpy as np

from matching.geo import EARTH_KM, KM_HALF_SCORE, Origin
from matching.postings import BoolArray, FloatArray, IdArray, Postings

GRID_DEGREES = 0.02  # about 2.2 km north-south, 1.4 km east-west in the Netherlands
MAX_CELLS = 1024
_SLACK = 1e-6


def _cell(lat: float, lon: float) -> str:
    return f"{math.floor(lat / GRID_DEGREES)}:{math.floor(lon / GRID_DEGREES)}"


class Nearby:
    """Place id -> items, grid cell -> items with coordinates (removed items stay until filtered)."""

    __slots__ = ("_cells", "_places")

    def __init__(self) -> None:
        self._places = Postings()
        self._cells = Postings()

    def add(self, item: int, place: int, lat: float | None, lon: float | None) -> None:
        """Record where a new item is."""
        self._places.add(item, (self._places.intern(str(place)),))
        if lat is not None and lon is not None:
            self._cells.add(item, (self._cells.intern(_cell(lat, lon)),))

    def remove(self, place: int, lat: float | None, lon: float | None) -> None:
        """Forget one item at this place (and cell)."""
        tid = self._places.lookup(str(place))
        if tid is not None:
            self._places.remove((tid,))
        if lat is not None and lon is not None:
            cell = self._cells.lookup(_cell(lat, lon))
            if cell is not None:
                self._cells.remove((cell,))

    def within(
        self,
        origin: Origin,
        tiers: FloatArray,
        cut: float,
        *,
        alive: BoolArray,
        place_of: IdArray,
        limit: int,
    ) -> IdArray | None:
        """Ids, each once, of every item whose nearness can be >= cut (and more): a place tier >= cut, or
        coordinates within the km where the km score reaches cut. None when that is over `limit` ids
        or too many cells, so a caller uses its other postings instead.
        """
        if cut <= 0.0:
            return None
        parts: list[IdArray] = []
        total = 0
        for place in np.flatnonzero(tiers >= cut).tolist():
            tid = self._places.lookup(str(place))
            if tid is not None:
                total += self._places.df(tid)
                if total > limit:
                    return None
                parts.append(self._places.docs(tid, alive))
        if origin.area.lat is not None and origin.area.lon is not None:
            cells = self._cells_around(origin.area.lat, origin.area.lon, origin.cos_lat, cut)
            if cells is None:
                return None
            for tid in cells:
                total += self._cells.df(tid)
                if total > limit:
                    return None
                ids = self._cells.docs(tid, alive)
                parts.append(ids[tiers[place_of[ids]] < cut])  # the others came with their place
        if not parts:
            return np.empty(0, dtype=np.int32)
        return np.concatenate(parts)

    def _cells_around(self, lat: float, lon: float, cos_lat: float, cut: float) -> list[int] | None:
        """Known grid cells that may hold a point whose km score from (lat, lon) reaches cut."""
        km = KM_HALF_SCORE * (1.0 / cut - 1.0) * (1.0 + _SLACK) + _SLACK
        dlat = math.degrees(km / EARTH_KM) + _SLACK
        dlon = math.degrees(km / (EARTH_KM * max(cos_lat, 1e-6))) + _SLACK
        rows = range(math.floor((lat - dlat) / GRID_DEGREES), math.floor((lat + dlat) / GRID_DEGREES) + 1)
        cols = range(math.floor((lon - dlon) / GRID_DEGREES), math.floor((lon + dlon) / GRID_DEGREES) + 1)
        if len(rows) * len(cols) > MAX_CELLS:
            return None
        found = (self._cells.lookup(f"{row}:{col}") for row in rows for col in cols)
        return [tid for tid in found if tid is not None]
