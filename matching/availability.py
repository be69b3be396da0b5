"""Time as quarter-hour cells: weekly masks, per-date masks and their overlap in hours."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from matching.types import DatedSlot, WeeklySlot

CELL_MINUTES = 15
CELLS_PER_DAY = 24 * 60 // CELL_MINUTES
CELLS_PER_WEEK = 7 * CELLS_PER_DAY
WEEK_BYTES = CELLS_PER_WEEK // 8
DAY_BYTES = CELLS_PER_DAY // 8
_DAY_PARTS = ((6 * 4, "night"), (12 * 4, "morning"), (18 * 4, "afternoon"), (CELLS_PER_DAY, "evening"))

ByteArray = npt.NDArray[np.uint8]


def day_cells(start_minute: int, end_minute: int) -> int:
    """A bit mask of the quarter hours fully inside [start, end) within one day."""
    first = (start_minute + CELL_MINUTES - 1) // CELL_MINUTES
    last = end_minute // CELL_MINUTES
    if last <= first:
        return 0
    return ((1 << (last - first)) - 1) << first


def weekly_mask(slots: Iterable[WeeklySlot]) -> int:
    """The week's cells covered by weekly slots (bit weekday*96 + quarter)."""
    mask = 0
    for slot in slots:
        mask |= day_cells(slot.start_minute, slot.end_minute) << (slot.weekday * CELLS_PER_DAY)
    return mask


def dated_masks(slots: Iterable[DatedSlot]) -> dict[date, int]:
    """Per date, the cells covered by dated slots."""
    masks: dict[date, int] = {}
    for slot in slots:
        masks[slot.day] = masks.get(slot.day, 0) | day_cells(slot.start_minute, slot.end_minute)
    return masks


def day_of_week(mask: int, weekday: int) -> int:
    """The 96-cell mask of one weekday in a weekly mask."""
    return (mask >> (weekday * CELLS_PER_DAY)) & ((1 << CELLS_PER_DAY) - 1)


def to_bytes(mask: int, length: int) -> ByteArray:
    """A mask as little-endian packed bytes (bit i -> byte i // 8, bit i % 8)."""
    return np.frombuffer(mask.to_bytes(length, "little"), dtype=np.uint8)


@dataclass(frozen=True, slots=True)
class Availability:
    """Someone's time: weekly cells and extra cells on specific dates."""

    weekly: int
    dated: dict[date, int]

    @classmethod
    def of(cls, weekly: Iterable[WeeklySlot], dated: Iterable[DatedSlot]) -> "Availability":
        """Build from slots."""
        return cls(weekly_mask(weekly), dated_masks(dated))

    def on(self, day: date) -> int:
        """The cells free on a date: the weekday's weekly cells plus that date's extras."""
        return day_of_week(self.weekly, day.weekday()) | self.dated.get(day, 0)

    @property
    def cells(self) -> int:
        """How many cells in total (weekly plus dated)."""
        return self.weekly.bit_count() + sum(m.bit_count() for m in self.dated.values())


def overlap_cells(need: Availability, offer: Availability) -> int:
    """Shared quarter hours: weekly with weekly, and each needed date with the offer on that date."""
    total = (need.weekly & offer.weekly).bit_count()
    for day, cells in need.dated.items():
        total += (cells & offer.on(day)).bit_count()
    return total


def best_moment(need: Availability, offer: Availability) -> tuple[str, dict[str, int | float | str]]:
    """The weekday/part (or date) with the most shared time, for a reason."""
    best: tuple[int, str, dict[str, int | float | str]] = (0, "", {})
    for weekday in range(7):
        shared = day_of_week(need.weekly & offer.weekly, weekday)
        count = shared.bit_count()
        if count > best[0]:
            best = (count, "available", {"weekday": weekday, "part": _part(shared)})
    for day, cells in sorted(need.dated.items()):
        count = (cells & offer.on(day)).bit_count()
        if count > best[0]:
            best = (count, "available_on_date", {"date": day.isoformat()})
    return best[1], best[2]


def _part(cells: int) -> str:
    first = (cells & -cells).bit_length() - 1
    for limit, name in _DAY_PARTS:
        if first < limit:
            return name
    return "evening"
