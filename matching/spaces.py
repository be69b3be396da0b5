"""Space matching: capacity, accessibility, facilities, price, opening hours, bookings and distance."""

import bisect
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from matching.availability import day_cells, day_of_week, weekly_mask
from matching.catalogue import Catalogues, default_catalogues
from matching.errors import BookingConflict, BookingInPast, DuplicateId, OutsideOpeningHours, UnknownId
from matching.geo import Origin, nearness
from matching.reasons import reason
from matching.types import DatedSlot, Geography, Match, Reason, SpaceNeed, SpaceProfile
from matching.validate import check_k

FIT_WEIGHT = 0.25
FACILITIES_WEIGHT = 0.20
PRICE_WEIGHT = 0.20
DISTANCE_WEIGHT = 0.35
PRICE_HALF_SCORE_CENTS = 2500


@dataclass(slots=True)
class _Space:
    profile: SpaceProfile
    facilities: frozenset[str]
    opening: int
    bookings: list[tuple[datetime, datetime, str]] = field(default_factory=list)


def _span(slot: DatedSlot) -> tuple[datetime, datetime]:
    start = datetime.combine(slot.day, time())
    return start + timedelta(minutes=slot.start_minute), start + timedelta(minutes=slot.end_minute)


def _overlaps(space: _Space, slot: DatedSlot) -> bool:
    start, end = _span(slot)
    at = bisect.bisect_left(space.bookings, (end, end, ""))
    return any(start < b_end for _, b_end, _ in space.bookings[:at])


def _is_open(space: _Space, slot: DatedSlot) -> bool:
    if not space.opening:
        return True
    wanted = day_cells(slot.start_minute, slot.end_minute)
    return wanted & day_of_week(space.opening, slot.day.weekday()) == wanted


class SpaceIndex:
    """Registered spaces with facility postings and their bookings."""

    def __init__(self, geography: Geography | None = None, catalogues: Catalogues | None = None) -> None:
        self.geography = geography or Geography()
        self.catalogues = catalogues or default_catalogues()
        self._spaces: dict[str, _Space] = {}
        self._by_facility: dict[str, set[str]] = {}
        self._booking_space: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._spaces)

    def add(self, profile: SpaceProfile) -> None:
        """Register a space (UnknownFacility for unknown facilities, DuplicateId if present)."""
        if profile.id in self._spaces:
            raise DuplicateId("id", f"{profile.id!r} is already indexed", profile.id)
        facilities = frozenset(self.catalogues.facilities.resolve_all(profile.facilities))
        self._spaces[profile.id] = _Space(profile, facilities, weekly_mask(profile.opening))
        for code in facilities:
            self._by_facility.setdefault(code, set()).add(profile.id)

    def remove(self, space_id: str) -> None:
        """Remove a space and forget its bookings."""
        space = self._get(space_id)
        for code in space.facilities:
            self._by_facility[code].discard(space_id)
        for _, _, booking_id in space.bookings:
            del self._booking_space[booking_id]
        del self._spaces[space_id]

    def update(self, profile: SpaceProfile) -> None:
        """Replace a space's data, keeping its bookings."""
        old = self._get(profile.id)
        facilities = frozenset(self.catalogues.facilities.resolve_all(profile.facilities))
        for code in old.facilities:
            self._by_facility[code].discard(profile.id)
        self._spaces[profile.id] = _Space(profile, facilities, weekly_mask(profile.opening), old.bookings)
        for code in facilities:
            self._by_facility.setdefault(code, set()).add(profile.id)

    def _get(self, space_id: str) -> _Space:
        space = self._spaces.get(space_id)
        if space is None:
            raise UnknownId("space_id", f"{space_id!r} is not indexed", space_id)
        return space

    # -- bookings --------------------------------------------------------------------------------

    def check_booking(self, space_id: str, slot: DatedSlot, *, now: datetime) -> None:
        """Raise BookingInPast, OutsideOpeningHours or BookingConflict when the slot cannot be booked."""
        space = self._get(space_id)
        if slot.starts_at < now:
            raise BookingInPast("when", "the booking starts in the past", slot.starts_at)
        if not _is_open(space, slot):
            raise OutsideOpeningHours("when", "the space is closed at that time", slot.starts_at)
        if _overlaps(space, slot):
            raise BookingConflict("when", "the space is already booked at that time", slot.starts_at)

    def add_booking(self, space_id: str, booking_id: str, slot: DatedSlot, *, now: datetime) -> None:
        """Record a booking after checking it (bad input changes nothing)."""
        if booking_id in self._booking_space:
            raise DuplicateId("booking_id", f"{booking_id!r} is already booked", booking_id)
        self.check_booking(space_id, slot, now=now)
        start, end = _span(slot)
        bisect.insort(self._spaces[space_id].bookings, (start, end, booking_id))
        self._booking_space[booking_id] = space_id

    def load_booking(self, space_id: str, booking_id: str, slot: DatedSlot) -> None:
        """Record an existing booking as stored by the platform (no past or opening-hours check)."""
        space = self._get(space_id)
        if booking_id in self._booking_space:
            raise DuplicateId("booking_id", f"{booking_id!r} is already booked", booking_id)
        start, end = _span(slot)
        bisect.insort(space.bookings, (start, end, booking_id))
        self._booking_space[booking_id] = space_id

    def cancel_booking(self, booking_id: str) -> None:
        """Forget a booking (UnknownId if absent)."""
        space_id = self._booking_space.pop(booking_id, None)
        if space_id is None:
            raise UnknownId("booking_id", f"{booking_id!r} is not booked", booking_id)
        bookings = self._spaces[space_id].bookings
        bookings[:] = [b for b in bookings if b[2] != booking_id]

    # -- matching --------------------------------------------------------------------------------

    def match(self, need: SpaceNeed, k: int = 10) -> list[Match]:
        """The best k spaces that satisfy every hard requirement, best first, ties by id."""
        check_k(k)
        required = self.catalogues.facilities.resolve_all(need.required_facilities)
        wanted = frozenset(self.catalogues.facilities.resolve_all(need.wanted_facilities))
        ids: set[str] = set(self._spaces)
        for code in required:
            ids &= self._by_facility.get(code, set())
        origin = Origin.of(need.area, self.geography)
        scored: list[tuple[float, str]] = []
        for space_id in ids:
            score = self.score(need, space_id, wanted, origin)
            if score is not None:
                scored.append((-score, space_id))
        scored.sort()
        return [self._explain(need, sid, wanted, origin, -neg) for neg, sid in scored[:k]]

    def score(self, need: SpaceNeed, space_id: str, wanted: frozenset[str], origin: Origin) -> float | None:
        """Score of one space for a need, or None when a hard requirement fails."""
        space = self._spaces[space_id]
        p = space.profile
        if p.capacity < need.people:
            return None
        if (need.wheelchair_accessible and not p.wheelchair_accessible) or (
            need.accessible_toilet and not p.accessible_toilet
        ):
            return None
        if (
            need.max_price_per_hour_cents is not None
            and p.price_per_hour_cents > need.max_price_per_hour_cents
        ):
            return None
        if any(not _is_open(space, slot) or _overlaps(space, slot) for slot in need.when):
            return None
        fit = min(1.0, 2.0 * need.people / p.capacity)
        facilities = len(wanted & space.facilities) / len(wanted) if wanted else 0.0
        price = 1.0 / (1.0 + p.price_per_hour_cents / PRICE_HALF_SCORE_CENTS)
        distance = nearness(origin, p.area)[0]
        weight = FIT_WEIGHT + PRICE_WEIGHT + DISTANCE_WEIGHT + (FACILITIES_WEIGHT if wanted else 0.0)
        total = (
            FIT_WEIGHT * fit
            + FACILITIES_WEIGHT * facilities
            + PRICE_WEIGHT * price
            + DISTANCE_WEIGHT * distance
        )
        return total / weight

    def _explain(
        self, need: SpaceNeed, space_id: str, wanted: frozenset[str], origin: Origin, score: float
    ) -> Match:
        space = self._spaces[space_id]
        p = space.profile
        reasons: list[Reason] = [reason("fits_people", people=need.people, capacity=p.capacity)]
        if need.when:
            reasons.append(reason("open_and_free", slots=len(need.when)))
        if need.wheelchair_accessible:
            reasons.append(reason("wheelchair_accessible"))
        if need.accessible_toilet:
            reasons.append(reason("accessible_toilet"))
        shown = set(self.catalogues.facilities.resolve_all(need.required_facilities)) | wanted
        for code in sorted(shown & space.facilities):
            reasons.append(reason("has_facility", facility=self.catalogues.facilities.label(code)))
        if p.price_per_hour_cents == 0:
            reasons.append(reason("free_of_charge"))
        else:
            reasons.append(reason("price_per_hour", cents=p.price_per_hour_cents))
        _, code, km = nearness(origin, p.area)
        if code == "same_municipality":
            reasons.append(reason("located_same_municipality", municipality=p.area.municipality))
        elif code:
            reasons.append(reason("located_" + code, neighbourhood=p.area.neighbourhood))
        if km is not None:
            reasons.append(reason("distance_km", km=round(km, 1)))
        return Match(space_id, min(1.0, max(0.0, score)), tuple(reasons))

    def bookings(self, space_id: str) -> list[tuple[datetime, datetime, str]]:
        """The bookings of a space, in time order (start, end, booking id)."""
        return list(self._get(space_id).bookings)

    def booked_days(self, space_id: str) -> set[date]:
        """Dates on which the space has at least one booking."""
        return {start.date() for start, _, _ in self._get(space_id).bookings}
