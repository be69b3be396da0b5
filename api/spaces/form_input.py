"""Reading the space and booking forms into service input, with an error per field (pure, no I/O)."""

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from api.initiatives.form_input import AMOUNT_ERROR, NUMBER_ERROR, parse_amount
from api.initiatives.page_support import amount_text
from api.pages.form_errors import check_one_line
from buurtbudget.i18n import N_
from buurtbudget.spaces.bookings import BookingInput
from buurtbudget.spaces.models import Space
from buurtbudget.spaces.periods import Window, hhmm, minute_of
from buurtbudget.spaces.rules import SpaceInput
from buurtbudget.workdays import AMSTERDAM

Getter = Callable[[str], str]
Lister = Callable[[str], list[str]]

HOURS_ERROR = N_("Fill in both an opening and a closing time (like 09:00 and 17:30), or neither.")
COORDINATE_ERROR = N_("Fill in a number, like 52.0907, or leave it empty.")
NEIGHBOURHOOD_ERROR = N_("Choose the neighbourhood.")
DAY_ERROR = N_("Fill in a date, like 24-03-2027.")
TIME_ERROR = N_("Fill in a time, like 19:30.")
CLOCK = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$|^(\d{1,2})-(\d{1,2})-(\d{4})$")

# Where a service error about a field shows on the form.
SPACE_FIELDS = {"price_per_hour_cents": "price", "opening_hours": "hours", "facilities": "facilities"}
BOOKING_FIELDS = {"starts_at": "start", "ends_at": "end"}


def parse_clock(text: str) -> time | None:
    found = CLOCK.match(text.strip())
    return time(int(found.group(1)), int(found.group(2))) if found else None


def parse_day(text: str) -> date | None:
    found = DAY.match(text.strip())
    if not found:
        return None
    year, month, day = (
        (found.group(1), found.group(2), found.group(3))
        if found.group(1)
        else (found.group(6), found.group(5), found.group(4))
    )
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _number(text: str) -> int | None:
    text = text.strip()  # digits 0-9 only: `isdigit` alone accepts "²", which `int` cannot read
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


def _coordinate(text: str) -> float | None:
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None  # noqa: PLR0124 - NaN


def read_space(get: Getter, getall: Lister) -> tuple[SpaceInput | None, dict[str, str]]:
    """The space form's fields as input for the service, or the errors by field name."""
    errors: dict[str, str] = {}
    check_one_line({"name": get("name"), "address": get("address")}, errors)
    neighbourhood = _number(get("neighbourhood_id"))
    if neighbourhood is None:
        errors["neighbourhood_id"] = NEIGHBOURHOOD_ERROR
    capacity = _number(get("capacity"))
    if capacity is None:
        errors["capacity"] = NUMBER_ERROR
    price = parse_amount(get("price")) if get("price").strip() else 0
    if price is None:
        errors["price"] = AMOUNT_ERROR
    windows = []
    for weekday in range(7):
        opens, closes = get(f"opens.{weekday}").strip(), get(f"closes.{weekday}").strip()
        if not opens and not closes:
            continue
        start, end = parse_clock(opens), parse_clock(closes)
        if start is None or end is None:
            errors[f"opens.{weekday}"] = HOURS_ERROR
            continue
        windows.append(Window(weekday, minute_of(start), minute_of(end, is_end=True)))
    coordinates = []
    for name in ("lat", "lon"):
        text = get(name).strip()
        value = _coordinate(text) if text else None
        if text and value is None:
            errors[name] = COORDINATE_ERROR
        coordinates.append(value)
    if errors or neighbourhood is None or capacity is None or price is None:
        return None, errors
    return (
        SpaceInput(
            name=get("name"),
            neighbourhood_id=neighbourhood,
            capacity=capacity,
            description=get("description"),
            address=get("address"),
            price_per_hour_cents=price,
            wheelchair_accessible=bool(get("wheelchair_accessible")),
            accessible_toilet=bool(get("accessible_toilet")),
            facilities=getall("facilities"),
            opening_hours=windows,
            lat=coordinates[0],
            lon=coordinates[1],
            bookable=bool(get("bookable")),
        ),
        {},
    )


def space_values(space: Space, locale: str) -> dict[str, str]:
    """A stored space as the form's field values."""
    values = {
        "name": space.name,
        "neighbourhood_id": str(space.neighbourhood_id),
        "description": space.description,
        "address": space.address,
        "capacity": str(space.capacity),
        "price": amount_text(space.price_per_hour_cents, locale),
        "lat": "" if space.lat is None else str(space.lat),
        "lon": "" if space.lon is None else str(space.lon),
    }
    for flag in ("wheelchair_accessible", "accessible_toilet", "bookable"):
        if getattr(space, flag):
            values[flag] = "1"
    for window in space.opening_hours:  # the form holds one window per day: the first of each
        if f"opens.{window.weekday}" not in values:
            # A time field shows midnight as 00:00 (parse_clock reads it back as the end of the day).
            values[f"opens.{window.weekday}"] = hhmm(window.opens_minute, midnight="00:00")
            values[f"closes.{window.weekday}"] = hhmm(window.closes_minute, midnight="00:00")
    return values


def _moment(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=AMSTERDAM).astimezone(UTC)


def read_booking(get: Getter) -> tuple[BookingInput | None, dict[str, str]]:
    """The booking form (a date, a start and end time in Amsterdam) as input for the service."""
    errors: dict[str, str] = {}
    day = parse_day(get("date"))
    if day is None or not date(2000, 1, 1) <= day <= date(2999, 12, 31):
        errors["date"] = DAY_ERROR
    start, end = parse_clock(get("start")), parse_clock(get("end"))
    if start is None:
        errors["start"] = TIME_ERROR
    if end is None:
        errors["end"] = TIME_ERROR
    people = _number(get("people"))
    if people is None:
        errors["people"] = NUMBER_ERROR
    check_one_line({"title": get("title")}, errors)
    initiative = _number(get("initiative_id"))
    if errors or day is None or start is None or end is None or people is None:
        return None, errors
    # An end of 00:00 is midnight at the end of the day.
    ends_at = _moment(day + timedelta(days=1), end) if end == time(0) else _moment(day, end)
    return BookingInput(_moment(day, start), ends_at, people, get("title"), initiative or None), {}
