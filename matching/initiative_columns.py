"""Per-initiative columns: place, status, year, granted amount, contact consent and theme set."""

import numpy as np

from matching.idtable import Interner, grown
from matching.types import InitiativeDoc

NO_YEAR = 0
NO_AMOUNT = -1


class InitiativeColumns:
    """Growable numpy columns indexed by internal id, filled a batch at a time."""

    def __init__(self) -> None:
        self.places = Interner()
        self.statuses = Interner()
        self.nb = np.zeros(0, dtype=np.int32)
        self.muni = np.zeros(0, dtype=np.int32)
        self.status = np.zeros(0, dtype=np.int16)
        self.year = np.zeros(0, dtype=np.int16)
        self.granted = np.zeros(0, dtype=np.int64)
        self.consent = np.zeros(0, dtype=np.bool_)
        self.theme_set = np.zeros(0, dtype=np.int32)

    def append(self, first: int, docs: list[InitiativeDoc], theme_sets: list[int]) -> None:
        """Write the columns of new internal ids first, first + 1, ..."""
        last = first + len(docs)
        for name in ("nb", "muni", "status", "year", "granted", "consent", "theme_set"):
            setattr(self, name, grown(getattr(self, name), last))
        place, status = self.places.id, self.statuses.id
        self.nb[first:last] = [
            place(neighbourhood_key(d.area.municipality, d.area.neighbourhood)) for d in docs
        ]
        self.muni[first:last] = [place("m:" + d.area.municipality) for d in docs]
        self.status[first:last] = [status(d.status) for d in docs]
        self.year[first:last] = [d.year or NO_YEAR for d in docs]
        self.granted[first:last] = [NO_AMOUNT if d.granted_cents is None else d.granted_cents for d in docs]
        self.consent[first:last] = [d.contact_consent for d in docs]
        self.theme_set[first:last] = theme_sets

    def neighbourhood_id(self, municipality: str, neighbourhood: str) -> int | None:
        """The id of a known neighbourhood, or None."""
        return self.places.lookup(neighbourhood_key(municipality, neighbourhood))


def neighbourhood_key(municipality: str, neighbourhood: str) -> str:
    """The interned key of a neighbourhood within its municipality."""
    return "n:" + municipality + "/" + neighbourhood
