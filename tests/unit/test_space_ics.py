"""Calendar files of bookings and spaces read back with icalendar as a calendar app would read them."""

from datetime import UTC, datetime

from icalendar import Calendar

import buurtbudget.db.models  # noqa: F401  (every table registered before the models are built)
from buurtbudget.spaces.ics import booking_calendar, space_feed
from buurtbudget.spaces.models import Booking, Space

NOW = datetime(2027, 3, 1, 12, tzinfo=UTC)
BASE_URL = "https://buurtbudget.utrecht.example"


def space(**changes: object) -> Space:
    fields: dict[str, object] = {"id": 7, "name": "Buurthuis De Kade", "address": "Kade 1, Utrecht"}
    return Space(**(fields | changes))


def booking(at_space: Space, number: int, hour: int, state: str = "booked") -> Booking:
    return Booking(
        id=number,
        space=at_space,
        space_id=at_space.id,
        title="Kookles voor kinderen",
        people=20,
        starts_at=datetime(2027, 3, 9, hour, tzinfo=UTC),
        ends_at=datetime(2027, 3, 9, hour + 2, tzinfo=UTC),
        state=state,
    )


def test_a_booking_file_has_uid_utc_times_summary_and_location() -> None:
    kade = space(lat=52.106, lon=5.105)
    calendar = Calendar.from_ical(booking_calendar(booking(kade, 12, 18), base_url=BASE_URL, now=NOW))
    assert str(calendar["VERSION"]) == "2.0"
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "booking-12@buurtbudget.utrecht.example"
    assert event.decoded("DTSTART") == datetime(2027, 3, 9, 18, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2027, 3, 9, 20, tzinfo=UTC)
    assert event["DTSTART"].to_ical() == b"20270309T180000Z"
    assert str(event["SUMMARY"]) == "Kookles voor kinderen (Buurthuis De Kade)"
    assert str(event["LOCATION"]) == "Buurthuis De Kade, Kade 1, Utrecht"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (52.106, 5.105)
    assert str(event["URL"]) == f"{BASE_URL}/ruimtes/7"


def test_a_space_feed_lists_its_bookings_with_cancelled_ones_marked_and_no_titles() -> None:
    kade = space(address="")
    feed = space_feed(
        kade,
        [booking(kade, 1, 10), booking(kade, 2, 14, state="cancelled")],
        summary="Geboekt: Buurthuis De Kade",
        base_url=BASE_URL,
        now=NOW,
    )
    calendar = Calendar.from_ical(feed)
    assert str(calendar["X-WR-CALNAME"]) == "Buurthuis De Kade"
    events = calendar.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [
        "booking-1@buurtbudget.utrecht.example",
        "booking-2@buurtbudget.utrecht.example",
    ]
    assert [str(e["STATUS"]) for e in events] == ["CONFIRMED", "CANCELLED"]
    assert [int(e["SEQUENCE"]) for e in events] == [0, 1]  # a calendar app replaces the event it had
    assert {str(e["SUMMARY"]) for e in events} == {"Geboekt: Buurthuis De Kade"}
    assert {str(e["LOCATION"]) for e in events} == {"Buurthuis De Kade"}
    assert b"Kookles" not in feed


def test_an_empty_feed_is_still_a_valid_calendar() -> None:
    calendar = Calendar.from_ical(space_feed(space(), [], summary="Geboekt", base_url=BASE_URL, now=NOW))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["PRODID"]) == "-//Buurtbudget//Ruimtes//NL"
