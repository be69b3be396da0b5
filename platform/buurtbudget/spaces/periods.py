"""Pure checks on time: opening hours as weekly windows, and a booking's period in Amsterdam time."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from buurtbudget.errors import InvalidInput
from buurtbudget.spaces.errors import (
    BookingEndsBeforeStart,
    BookingInPast,
    BookingSpansDays,
    BookingTooFarAhead,
    BookingTooLong,
    NotOnQuarterHour,
    OutsideOpeningHours,
)
from buurtbudget.workdays import AMSTERDAM

DAY_MINUTES = 24 * 60
QUARTER = 15
MAX_BOOKING = timedelta(hours=14)
MAX_AHEAD = timedelta(days=2 * 366)


@dataclass(frozen=True, slots=True)
class Window:
    """One weekly opening window: weekday 0 is Monday; minutes after local midnight, end 1440 = midnight."""

    weekday: int
    opens_minute: int
    closes_minute: int


@dataclass(frozen=True, slots=True)
class LocalPeriod:
    """A booking's period as local wall-clock time on one day (end 1440 = midnight)."""

    day: date
    start_minute: int
    end_minute: int


def minute_of(value: time, *, is_end: bool = False) -> int:
    """Minutes after midnight; an end of 00:00 means midnight at the end of the day."""
    minutes = value.hour * 60 + value.minute
    return DAY_MINUTES if is_end and minutes == 0 else minutes


def clock(minute: int) -> time:
    """The wall-clock time of a minute after midnight (1440 shows as 00:00)."""
    return time(minute // 60 % 24, minute % 60)


def hhmm(minute: int, *, midnight: str = "24:00") -> str:
    """A minute after midnight as HH:MM; the end of the day (1440) as `midnight`."""
    return midnight if minute == DAY_MINUTES else f"{minute // 60:02d}:{minute % 60:02d}"


def check_windows(windows: Iterable[Window]) -> list[Window]:
    """Sorted windows; raises InvalidInput for a bad weekday, an empty window or two that overlap."""
    ordered = sorted(windows, key=lambda w: (w.weekday, w.opens_minute))
    for index, window in enumerate(ordered):
        if not 0 <= window.weekday <= 6:
            raise InvalidInput("a weekday is 0 (Monday) to 6 (Sunday)", field="opening_hours")
        if not 0 <= window.opens_minute < window.closes_minute <= DAY_MINUTES:
            raise InvalidInput("the closing time is not after the opening time", field="opening_hours")
        if window.opens_minute % QUARTER or window.closes_minute % QUARTER:
            raise InvalidInput("opening hours are on whole quarters of an hour", field="opening_hours")
        before = ordered[index - 1] if index else None
        if before and before.weekday == window.weekday and before.closes_minute > window.opens_minute:
            raise InvalidInput("opening hours on one day overlap", field="opening_hours")
    return ordered


def local_period(starts_at: datetime, ends_at: datetime, *, now: datetime) -> LocalPeriod:
    """The booking's period on one local day, after the checks every booking must pass."""
    if ends_at <= starts_at:
        raise BookingEndsBeforeStart("the end is not after the start", field="ends_at")
    if starts_at < now:
        raise BookingInPast("the booking starts in the past", field="starts_at")
    if starts_at - now > MAX_AHEAD:
        raise BookingTooFarAhead("a space can be booked at most two years ahead", field="starts_at")
    if ends_at - starts_at > MAX_BOOKING:
        raise BookingTooLong("a booking is at most 14 hours long", field="ends_at")
    start, end = starts_at.astimezone(AMSTERDAM), ends_at.astimezone(AMSTERDAM)
    for field, moment in (("starts_at", start), ("ends_at", end)):
        if moment.minute % QUARTER or moment.second or moment.microsecond:
            raise NotOnQuarterHour("bookings start and end on a whole quarter of an hour", field=field)
    end_minute = minute_of(end.time(), is_end=True)
    ends_at_midnight = end_minute == DAY_MINUTES and end.date() == start.date() + timedelta(days=1)
    if end.date() != start.date() and not ends_at_midnight:
        raise BookingSpansDays("a booking starts and ends on the same day", field="ends_at")
    return LocalPeriod(start.date(), minute_of(start.time()), end_minute)


def is_open(windows: Iterable[Window], period: LocalPeriod) -> bool:
    """True when that weekday's windows cover the whole period (adjoining windows join up).

    A space without any opening hours is open at all times, as the matching engine reads it.
    """
    ordered = sorted(windows, key=lambda w: (w.weekday, w.opens_minute))
    if not ordered:
        return True
    weekday = period.day.weekday()
    covered_until = period.start_minute
    for window in ordered:
        if window.weekday != weekday or window.opens_minute > covered_until:
            continue
        covered_until = max(covered_until, window.closes_minute)
    return covered_until >= period.end_minute


def check_open(windows: Iterable[Window], period: LocalPeriod) -> None:
    """Raise OutsideOpeningHours unless the space is open for the whole period."""
    if not is_open(windows, period):
        raise OutsideOpeningHours("the space is closed at that time", field="starts_at")
