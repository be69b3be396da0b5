"""Incremental volunteer index: skill postings give candidates, staged bounds prune, numpy scores exactly."""

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.availability import DAY_BYTES, WEEK_BYTES, to_bytes
from matching.bitsets import WordArray, any_of, count_of
from matching.catalogue import Catalogues, default_catalogues
from matching.geo import ADJACENT, EARTH_KM, ELSEWHERE, KM_HALF_SCORE, SAME_MUNICIPALITY
from matching.postings import FloatArray, IdArray
from matching.types import Geography, Match, VolunteerNeed, VolunteerProfile
from matching.validate import check_k
from matching.volunteer_score import (
    CompiledNeed,
    CompiledVolunteer,
    compile_need,
    compile_volunteer,
    explain,
    score_parts,
)
from matching.volunteer_store import VolunteerColumns

_FIRST_BATCH = 2048
_EPSILON = 1e-9
_NO_FLOOR = -1.0  # below every score (scores are in [0, 1]) and above an ineligible gate (-inf)
_NEAR_CUTS = (ADJACENT, SAME_MUNICIPALITY)
_NEAR_LIMIT = 200_000


@dataclass(frozen=True, slots=True)
class _Plan:
    """A need's skills and themes as bit masks over the index's code ids, and the tier of every place."""

    need: CompiledNeed
    direct: list[WordArray]
    related: list[WordArray]
    any_direct: WordArray
    direct_tids: list[int]
    related_tids: list[int]
    themes: WordArray
    tiers: FloatArray


class VolunteerIndex:
    """Volunteer profiles by skill, with time, place, themes and load in columns for fast scoring."""

    def __init__(
        self,
        geography: Geography | None = None,
        catalogues: Catalogues | None = None,
        *,
        capacity: int = 0,
    ) -> None:
        self.geography = geography or Geography()
        self.catalogues = catalogues or default_catalogues()
        self._cols = VolunteerColumns(capacity)

    def __len__(self) -> int:
        return self._cols.ids.live

    def __contains__(self, volunteer_id: str) -> bool:
        return volunteer_id in self._cols.ids

    # -- changes ---------------------------------------------------------------------------------

    def add(self, profile: VolunteerProfile) -> None:
        """Index a new profile (UnknownSkill/UnknownTheme for bad codes, DuplicateId if present)."""
        vol = compile_volunteer(profile, self.catalogues)
        self._cols.store(vol)

    def remove(self, volunteer_id: str) -> None:
        """Take a profile out (UnknownId if absent)."""
        self._cols.remove(volunteer_id)

    def update(self, profile: VolunteerProfile) -> None:
        """Replace a profile (validated first, so bad input changes nothing)."""
        vol = compile_volunteer(profile, self.catalogues)
        self._cols.remove(profile.id)
        self._cols.store(vol)

    def upsert(self, profile: VolunteerProfile) -> None:
        """Add or replace."""
        vol = compile_volunteer(profile, self.catalogues)
        if profile.id in self._cols.ids:
            self._cols.remove(profile.id)
        self._cols.store(vol)

    # -- queries ---------------------------------------------------------------------------------

    def compile(self, need: VolunteerNeed) -> CompiledNeed:
        """Validate and prepare a need (EmptyQuery, UnknownSkill, UnknownTheme)."""
        return compile_need(need, self.catalogues, self.geography)

    def match(self, need: VolunteerNeed, k: int = 10) -> list[Match]:
        """The best k volunteers for a need, best first, ties by id."""
        check_k(k)
        compiled = self.compile(need)
        cands, scores = self._score_candidates(compiled, k)
        if len(cands) == 0:
            return []
        if len(cands) > k:
            cut = float(np.partition(scores, len(scores) - k)[len(scores) - k])
            keep = scores >= cut
            cands, scores = cands[keep], scores[keep]
        ids = self._cols.ids
        ranked = sorted(
            zip(scores.tolist(), cands.tolist(), strict=True), key=lambda t: (-t[0], ids.ext(t[1]))
        )
        volunteer = self._cols.volunteer
        return [explain(compiled, volunteer(iid), self.catalogues, score) for score, iid in ranked[:k]]

    def scan(self, need: VolunteerNeed, k: int = 10, *, only: Iterable[str] | None = None) -> list[Match]:
        """Baseline without the index: score every (or the given) stored volunteer one by one."""
        check_k(k)
        compiled = self.compile(need)
        ids = self._cols.ids
        iids = [int(i) for i in ids.live_ids()] if only is None else [ids.get(e) for e in only]
        found: list[tuple[float, str, CompiledVolunteer]] = []
        for iid in iids:
            if iid is None:
                continue
            vol = self._cols.volunteer(iid)
            parts = score_parts(compiled, vol)
            if parts is not None:
                found.append((-parts.score, vol.id, vol))
        found.sort(key=lambda t: (t[0], t[1]))
        return [explain(compiled, vol, self.catalogues, -neg) for neg, _, vol in found[:k]]

    def _plan(self, need: CompiledNeed) -> _Plan:
        """Bit masks of the asked skills (per skill, direct and related) and of the asked themes."""
        cols = self._cols
        direct: list[int] = []
        related: list[list[int]] = []
        for skill, family in zip(need.skills, need.related, strict=True):
            tid = cols.skills.lookup(skill)
            direct.append(-1 if tid is None else tid)
            related.append([t for t in (cols.skills.lookup(c) for c in sorted(family)) if t is not None])
        bits = cols.skill_bits
        themes = [t for t in (cols.themes.lookup(c) for c in sorted(need.themes)) if t is not None]
        return _Plan(
            need,
            [bits.mask([t] if t >= 0 else []) for t in direct],
            [bits.mask(r) for r in related],
            bits.mask(t for t in direct if t >= 0),
            list(dict.fromkeys(t for t in direct if t >= 0)),
            sorted({t for r in related for t in r} - set(direct)),
            cols.theme_bits.mask(themes),
            cols.places.tiers(need.origin),
        )

    def _union(self, tids: list[int], exclude: WordArray) -> tuple[IdArray, WordArray | None]:
        """Ids in the postings of these skills, each once, leaving out ids that hold a skill in `exclude`;
        with their skill bit rows when telling them apart needed them (else None).
        """
        cols = self._cols
        ids_parts: list[IdArray] = []
        row_parts: list[WordArray] = []
        seen = exclude.copy()
        for tid in tids:
            ids = cols.skills.docs(tid, cols.ids.alive)
            if seen.any() or len(tids) > 1:
                rows = cols.skill_bits.take(ids)
                if seen.any():
                    fresh = ~any_of(rows, seen)
                    ids, rows = ids[fresh], rows[fresh]
                row_parts.append(rows)
            ids_parts.append(ids)
            seen |= cols.skill_bits.mask([tid])
        if not ids_parts:
            return np.empty(0, dtype=np.int32), None
        if len(row_parts) < len(ids_parts):
            return ids_parts[0], None
        return np.concatenate(ids_parts), np.concatenate(row_parts)

    def _holding_all(self, plan: _Plan) -> tuple[IdArray, WordArray | None]:
        """Ids holding every asked skill (read from the shortest of those postings), with their skill rows."""
        cols = self._cols
        if len(plan.direct_tids) < len(plan.need.skills):
            return np.empty(0, dtype=np.int32), None
        ids = cols.skills.docs(min(plan.direct_tids, key=cols.skills.df), cols.ids.alive)
        rows = cols.skill_bits.take(ids)
        keep = ((rows & plan.any_direct) == plan.any_direct).all(axis=1)
        return ids[keep], rows[keep]

    def _score_candidates(self, need: CompiledNeed, k: int) -> tuple[IdArray, FloatArray]:
        """Exact scores of every volunteer that can still reach the top k (bounds prune the rest).

        Nearby volunteers come first (same or adjacent neighbourhood, then the same municipality, each
        with the radius where the km score is as high): their k-th score is a floor. Everyone farther
        away is bounded by that round's nearness; only when the bound still reaches the floor are the
        skill postings read, those with an asked skill before those with only a related one (only the
        holders of every asked skill when missing one already keeps a volunteer below the floor).
        """
        plan = self._plan(need)
        cols = self._cols
        ws, wa, wd, wt, wl = need.weights
        tiers = plan.tiers
        found = _Found(k)
        upper = math.inf
        for cut in _NEAR_CUTS:
            near = cols.nearby.within(
                need.origin, tiers, cut, alive=cols.ids.alive, place_of=cols.place, limit=_NEAR_LIMIT
            )
            if near is None:
                break
            found.add(*self._best(plan, (near, None), k, found.floor, (cut, upper)))
            upper = cut
            if ws * 1.0 + wa * 1.0 + wd * cut + wt * 1.0 + wl * 1.0 < found.floor:
                return found.result()
        band = (-math.inf, upper)
        nearest = _nearest(plan, upper)
        if ws * 1.0 + wa * 1.0 + wd * nearest + wt * 1.0 + wl * 1.0 >= found.floor:
            n = len(need.skills)
            short = (n - 0.5) / n  # the most the skills give when one asked skill is only related
            if n > 1 and ws * short + wa * 1.0 + wd * nearest + wt * 1.0 + wl * 1.0 < found.floor:
                given = self._holding_all(plan)
            else:
                given = self._union(plan.direct_tids, np.zeros_like(plan.any_direct))
            found.add(*self._best(plan, given, k, found.floor, band))
        related_bound = ws * 0.5 + wa * 1.0 + wd * nearest + wt * 1.0 + wl * 1.0
        if plan.related_tids and related_bound >= found.floor:
            more = self._union(plan.related_tids, plan.any_direct)
            found.add(*self._best(plan, more, k, found.floor, band))
        return found.result()

    def _best(
        self,
        plan: _Plan,
        given: tuple[IdArray, WordArray | None],
        k: int,
        floor: float,
        band: tuple[float, float],
    ) -> tuple[IdArray, FloatArray]:
        """Exact scores of the candidates with nearness in [band) whose bound reaches the floor and the
        k-th exact score (a round leaves the other nearness bands to other rounds, so no id is scored twice).

        Components are added cheapest first (the load gate, which also drops the ineligible, before the
        skills); each stage drops candidates whose bound (the components still unknown counted as
        perfect, summed in the reference order) falls below the floor.
        """
        need = plan.need
        cols = self._cols
        ws, wa, wd, wt, wl = need.weights
        cands, rows = given
        near = _nearest(plan, band[1])
        load = cols.gate[cands]
        keep = ws * 1.0 + wa * 1.0 + wd * near + wt * 1.0 + wl * load >= floor
        cands, load = cands[keep], load[keep]
        rows = cols.skill_bits.take(cands) if rows is None else rows[keep]
        skill_sum = np.zeros(len(cands))
        for direct, related in zip(plan.direct, plan.related, strict=True):
            skill_sum += np.where(any_of(rows, direct), 1.0, np.where(any_of(rows, related), 0.5, 0.0))
        skills = skill_sum / len(need.skills)
        keep = (skill_sum > 0.0) & (ws * skills + wa * 1.0 + wd * near + wt * 1.0 + wl * load >= floor)
        if need.need.declined_by:
            declined = [cols.ids.get(v) for v in need.need.declined_by]
            keep &= ~np.isin(cands, np.array([d for d in declined if d is not None], dtype=np.int32))
        cands, skills, load = cands[keep], skills[keep], load[keep]
        if len(cands) == 0:
            return cands, np.empty(0)
        pruning = floor > _NO_FLOOR
        if need.themes:
            themes = count_of(cols.theme_bits.take(cands), plan.themes) / len(need.themes)
        else:
            themes = np.zeros(len(cands))
        if pruning:
            keep = ws * skills + wa * 1.0 + wd * near + wt * themes + wl * load >= floor
            cands, skills, themes, load = cands[keep], skills[keep], themes[keep], load[keep]
        distance = self._distance(need, cands, plan.tiers)
        keep = (distance >= band[0]) & (distance < band[1])
        cands, skills, themes, load, distance = (
            cands[keep],
            skills[keep],
            themes[keep],
            load[keep],
            distance[keep],
        )
        if not wa:
            score: FloatArray = ws * skills + wa * 0.0 + wd * distance + wt * themes + wl * load
            keep = score >= floor
            return cands[keep], score[keep]
        bound = ws * skills + wa * 1.0 + wd * distance + wt * themes + wl * load
        live = np.flatnonzero(bound >= floor)
        batch = max(_FIRST_BATCH, k)
        first = live if len(live) <= batch else live[np.argpartition(-bound[live], batch - 1)[:batch]]

        def exact(at: npt.NDArray[np.intp]) -> FloatArray:
            availability = self._availability(need, cands[at])
            out: FloatArray = (
                ws * skills[at] + wa * availability + wd * distance[at] + wt * themes[at] + wl * load[at]
            )
            return out

        scores = exact(first)
        if len(first) == len(live):
            return cands[first], scores
        threshold = max(floor, _kth(scores, k) - _EPSILON)
        done = np.zeros(len(cands), dtype=np.bool_)
        done[first] = True
        rest = np.flatnonzero(~done & (bound >= threshold))
        return cands[np.concatenate([first, rest])], np.concatenate([scores, exact(rest)])

    def _availability(self, need: CompiledNeed, cands: IdArray) -> FloatArray:
        """Overlap in cells with the need's weekly and dated time, capped at the wanted amount."""
        cols = self._cols
        week = cols.week[cands]
        cells = np.bitwise_count(week & to_bytes(need.availability.weekly, WEEK_BYTES)).sum(
            axis=1, dtype=np.int64
        )
        for day, wanted in need.availability.dated.items():
            start = day.weekday() * DAY_BYTES
            offer = week[:, start : start + DAY_BYTES].copy()
            extras = cols.dated.get(day)
            if extras:
                order = np.argsort(cands)
                sorted_cands = cands[order]
                for iid, extra in extras.items():
                    at = int(np.searchsorted(sorted_cands, iid))
                    if at < len(sorted_cands) and sorted_cands[at] == iid:
                        offer[order[at]] |= to_bytes(extra, DAY_BYTES)
            cells += np.bitwise_count(offer & to_bytes(wanted, DAY_BYTES)).sum(axis=1, dtype=np.int64)
        result: FloatArray = np.minimum(1.0, cells / need.wanted_cells)
        return result

    def _distance(self, need: CompiledNeed, cands: IdArray, tiers: FloatArray) -> FloatArray:
        """Nearness: the place tier, or the km score when both sides have coordinates and it is higher."""
        cols = self._cols
        origin = need.origin
        tier: FloatArray = tiers[cols.place[cands]]
        if not origin.area.has_coordinates:
            return tier
        lat = cols.lat[cands]
        known = np.flatnonzero(~np.isnan(lat))
        dx = (np.radians(cols.lon[cands[known]]) - origin.lon_rad) * origin.cos_lat
        dy = np.radians(lat[known]) - origin.lat_rad
        km = EARTH_KM * np.sqrt(dx * dx + dy * dy)
        tier[known] = np.maximum(tier[known], 1.0 / (1.0 + km / KM_HALF_SCORE))
        return tier


class _Found:
    """Scored candidates collected over rounds (the rounds never score an id twice) and their floor."""

    def __init__(self, k: int) -> None:
        self._k = k
        self._ids = np.empty(0, dtype=np.int32)
        self._scores = np.empty(0)
        self.floor = _NO_FLOOR

    def add(self, ids: IdArray, scores: FloatArray) -> None:
        """Take a round's exact scores and raise the floor to the k-th best so far."""
        self._ids = np.concatenate([self._ids, ids])
        self._scores = np.concatenate([self._scores, scores])
        self.floor = max(self.floor, _kth(self._scores, self._k) - _EPSILON)

    def result(self) -> tuple[IdArray, FloatArray]:
        """All scored ids with their scores."""
        return self._ids, self._scores


def _nearest(plan: _Plan, upper: float) -> float:
    """The highest nearness below `upper` a volunteer can have: without coordinates on the need's side
    only place tiers count, so the highest tier below it (0 when none is).
    """
    if plan.need.origin.area.has_coordinates:
        return min(upper, 1.0)
    below = plan.tiers[plan.tiers < upper]
    return float(below.max()) if len(below) else ELSEWHERE


def _kth(scores: FloatArray, k: int) -> float:
    """The k-th highest score, or minus infinity when there are fewer than k."""
    if len(scores) < k:
        return -math.inf
    return float(np.partition(scores, len(scores) - k)[len(scores) - k])
