"""Column store of volunteer profiles: skill postings, code bit rows, place, time and load per internal id."""

import math
from collections.abc import Callable, Iterable
from datetime import date

import numpy as np

from matching.availability import WEEK_BYTES, Availability, to_bytes
from matching.bitsets import BitRows
from matching.idtable import IdTable, Interner, grown
from matching.nearby import Nearby
from matching.places import PlaceTable
from matching.postings import FloatArray, Postings
from matching.types import Area
from matching.volunteer_score import CompiledVolunteer

NOT_ELIGIBLE = -math.inf


class VolunteerColumns:
    """One row per internal id; `gate` is the load of an eligible volunteer and -inf for everyone else."""

    def __init__(self, capacity: int = 0) -> None:
        n = max(capacity, 0)
        self.ids = IdTable()
        self.skills = Postings()
        self.themes = Interner()
        self.places = PlaceTable()
        self.nearby = Nearby()
        self.skill_bits = BitRows(n)
        self.theme_bits = BitRows(n)
        self.place = np.zeros(n, dtype=np.int32)
        self.lat = np.full(n, np.nan)
        self.lon = np.full(n, np.nan)
        self.gate = np.full(n, NOT_ELIGIBLE)
        self.week = np.zeros((n, WEEK_BYTES), dtype=np.uint8)
        self.dated: dict[date, dict[int, int]] = {}
        self._commit = np.zeros(n, dtype=np.int16)
        self._max_commit = np.ones(n, dtype=np.int16)
        self._active = np.zeros(n, dtype=np.bool_)
        self._vol_skills: list[tuple[int, ...]] = []
        self._vol_themes: list[tuple[int, ...]] = []
        self._vol_dates: dict[int, tuple[date, ...]] = {}
        self._tuples: dict[tuple[int, ...], tuple[int, ...]] = {}

    def _grow(self, size: int) -> None:
        if size <= len(self.place):
            return
        self.place = grown(self.place, size)
        cap = len(self.place)
        self.lat = _grown_full(self.lat, cap, np.nan)
        self.lon = _grown_full(self.lon, cap, np.nan)
        self.gate = _grown_full(self.gate, cap, NOT_ELIGIBLE)
        self._commit = grown(self._commit, cap)
        self._max_commit = grown(self._max_commit, cap)
        self._active = grown(self._active, cap)
        week = np.zeros((cap, WEEK_BYTES), dtype=np.uint8)
        week[: len(self.week)] = self.week
        self.week = week
        self.skill_bits.ensure(cap)
        self.theme_bits.ensure(cap)

    def store(self, vol: CompiledVolunteer) -> int:
        """Write a compiled volunteer under a fresh internal id (DuplicateId if the id is live)."""
        iid = self.ids.allocate(vol.id)
        self._grow(iid + 1)
        skills = self._intern_tuple(self.skills.intern, vol.skills)
        themes = self._intern_tuple(self.themes.id, vol.themes)
        self.skills.add(iid, skills)
        self.skill_bits.set(iid, skills)
        self.theme_bits.set(iid, themes)
        self._vol_skills.append(skills)
        self._vol_themes.append(themes)
        area = vol.area
        self.place[iid] = self.places.id(area.neighbourhood, area.municipality)
        self.nearby.add(iid, int(self.place[iid]), area.lat, area.lon)
        if area.lat is not None and area.lon is not None:
            self.lat[iid] = area.lat
            self.lon[iid] = area.lon
        self.gate[iid] = vol.load if vol.eligible else NOT_ELIGIBLE
        self._commit[iid] = vol.commitments
        self._max_commit[iid] = vol.max_commitments
        self._active[iid] = vol.active
        self.week[iid] = to_bytes(vol.availability.weekly, WEEK_BYTES)
        if vol.availability.dated:
            for day, cells in vol.availability.dated.items():
                self.dated.setdefault(day, {})[iid] = cells
            self._vol_dates[iid] = tuple(vol.availability.dated)
        return iid

    def _intern_tuple(self, intern: Callable[[str], int], codes: Iterable[str]) -> tuple[int, ...]:
        key = tuple(sorted(intern(c) for c in codes))
        return self._tuples.setdefault(key, key)

    def remove(self, volunteer_id: str) -> None:
        """Take a profile out (UnknownId if absent); its row stays behind as a dead, ineligible id."""
        iid = self.ids.release(volunteer_id)
        self.skills.remove(self._vol_skills[iid])
        self.skill_bits.clear(iid)
        self.theme_bits.clear(iid)
        self._vol_skills[iid] = ()
        self._vol_themes[iid] = ()
        self.gate[iid] = NOT_ELIGIBLE
        lat = float(self.lat[iid])
        known = not math.isnan(lat)
        self.nearby.remove(
            int(self.place[iid]), lat if known else None, float(self.lon[iid]) if known else None
        )
        for day in self._vol_dates.pop(iid, ()):
            del self.dated[day][iid]
            if not self.dated[day]:
                del self.dated[day]

    def volunteer(self, iid: int) -> CompiledVolunteer:
        """Rebuild the compiled volunteer of an internal id from the columns."""
        dated = {day: self.dated[day][iid] for day in self._vol_dates.get(iid, ())}
        weekly = int.from_bytes(self.week[iid].tobytes(), "little")
        lat = float(self.lat[iid])
        neighbourhood, municipality = self.places.names(int(self.place[iid]))
        area = Area(
            neighbourhood,
            municipality,
            None if math.isnan(lat) else lat,
            None if math.isnan(lat) else float(self.lon[iid]),
        )
        return CompiledVolunteer(
            self.ids.ext(iid),
            area,
            frozenset(self.skills.term(t) for t in self._vol_skills[iid]),
            frozenset(self.themes.value(t) for t in self._vol_themes[iid]),
            Availability(weekly, dated),
            int(self._commit[iid]),
            int(self._max_commit[iid]),
            bool(self._active[iid]),
        )


def _grown_full(array: FloatArray, size: int, fill: float) -> FloatArray:
    if size <= len(array):
        return array
    bigger = np.full(max(size, 2 * len(array), 1024), fill)
    bigger[: len(array)] = array
    return bigger
