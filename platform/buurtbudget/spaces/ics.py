"""Calendar files (RFC 5545, via icalendar): one per booking, and a feed of a space's coming bookings."""

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit

from icalendar import Calendar, Event

from buurtbudget.spaces.models import CANCELLED, Booking, Space

PRODID = "-//Buurtbudget//Ruimtes//NL"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Amsterdam")
    return calendar


def location(space: Space) -> str:
    """Where it is: the space's name and, when known, its address."""
    return f"{space.name}, {space.address}" if space.address else space.name


def uid(booking: Booking, base_url: str) -> str:
    """A stable, globally unique id: calendar apps update (or cancel) the same event with it."""
    host = urlsplit(base_url).hostname or "buurtbudget.local"
    return f"booking-{booking.id}@{host}"


def _event(booking: Booking, space: Space, *, summary: str, base_url: str, stamp: datetime) -> Event:
    event = Event()
    event.add("uid", uid(booking, base_url))
    event.add("dtstamp", stamp)
    event.add("dtstart", booking.starts_at.astimezone(UTC))
    event.add("dtend", booking.ends_at.astimezone(UTC))
    event.add("summary", summary)
    event.add("location", location(space))
    if space.lat is not None and space.lon is not None:
        event.add("geo", (space.lat, space.lon))
    cancelled = booking.state == CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", 1 if cancelled else 0)
    event.add("url", f"{base_url.rstrip('/')}/ruimtes/{space.id}")
    return event


def booking_calendar(booking: Booking, *, base_url: str, now: datetime) -> bytes:
    """One booking, with its own title, for the booker's (or the owner's) calendar."""
    space = booking.space
    calendar = _calendar(space.name)
    calendar.add_component(
        _event(booking, space, summary=f"{booking.title} ({space.name})", base_url=base_url, stamp=now)
    )
    return bytes(calendar.to_ical())


def space_feed(
    space: Space, bookings: Iterable[Booking], *, summary: str, base_url: str, now: datetime
) -> bytes:
    """A space's coming bookings; the feed is public, so each event carries only `summary`, no names."""
    calendar = _calendar(space.name)
    for booking in bookings:
        calendar.add_component(_event(booking, space, summary=summary, base_url=base_url, stamp=now))
    return bytes(calendar.to_ical())
