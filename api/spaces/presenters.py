"""Turning spaces, bookings and matches into their public schemas, and schemas into service input."""

from datetime import time

from api.spaces.schemas import (
    AgendaItem,
    BookingOut,
    OpeningHoursIn,
    OpeningHoursOut,
    ReasonOut,
    SpaceCreate,
    SpaceMatchOut,
    SpaceOut,
    SpaceUpdate,
)
from buurtbudget.errors import InvalidInput
from buurtbudget.spaces.matches import SpaceMatch
from buurtbudget.spaces.models import Booking, Space
from buurtbudget.spaces.periods import Window, hhmm, minute_of
from buurtbudget.spaces.rules import SpaceInput


def space(space: Space, *, can_manage: bool) -> SpaceOut:
    return SpaceOut(
        id=space.id,
        name=space.name,
        neighbourhood_id=space.neighbourhood_id,
        description=space.description,
        address=space.address,
        capacity=space.capacity,
        price_per_hour_cents=space.price_per_hour_cents,
        wheelchair_accessible=space.wheelchair_accessible,
        accessible_toilet=space.accessible_toilet,
        facilities=space.facilities,
        opening_hours=[
            OpeningHoursOut(weekday=w.weekday, opens=hhmm(w.opens_minute), closes=hhmm(w.closes_minute))
            for w in space.opening_hours
        ],
        lat=space.lat,
        lon=space.lon,
        bookable=space.bookable,
        can_manage=can_manage,
        calendar_url=f"/api/v1/spaces/{space.id}/calendar.ics",
    )


def booking(booking: Booking) -> BookingOut:
    return BookingOut(
        id=booking.id,
        space_id=booking.space_id,
        space_name=booking.space.name,
        title=booking.title,
        people=booking.people,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        state=booking.state,
        initiative_id=booking.initiative_id,
        booked_by_id=booking.booked_by_id,
        cancelled_at=booking.cancelled_at,
        calendar_url=f"/api/v1/bookings/{booking.id}/calendar.ics",
    )


def agenda_item(booking: Booking, *, details: bool) -> AgendaItem:
    return AgendaItem(
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        booking_id=booking.id if details else None,
        title=booking.title if details else None,
    )


def match(found: SpaceMatch, *, can_manage: bool) -> SpaceMatchOut:
    return SpaceMatchOut(
        space=space(found.space, can_manage=can_manage),
        score=found.match.score,
        reasons=[ReasonOut(code=r.code, params=dict(r.params), text=r.text) for r in found.match.reasons],
    )


def _minutes(value: time, *, is_end: bool) -> int:
    if value.second or value.microsecond:
        raise InvalidInput("opening hours are on whole quarters of an hour", field="opening_hours")
    return minute_of(value, is_end=is_end)


def windows(hours: list[OpeningHoursIn]) -> list[Window]:
    return [
        Window(h.weekday, _minutes(h.opens, is_end=False), _minutes(h.closes, is_end=True)) for h in hours
    ]


def space_input(data: SpaceCreate) -> SpaceInput:
    return SpaceInput(
        name=data.name,
        neighbourhood_id=data.neighbourhood_id,
        capacity=data.capacity,
        description=data.description,
        address=data.address,
        price_per_hour_cents=data.price_per_hour_cents,
        wheelchair_accessible=data.wheelchair_accessible,
        accessible_toilet=data.accessible_toilet,
        facilities=list(data.facilities),
        opening_hours=windows(data.opening_hours),
        lat=data.lat,
        lon=data.lon,
        bookable=data.bookable,
    )


def changes(data: SpaceUpdate) -> dict[str, object]:
    """The fields the update gives (a null leaves a field as it is), as SpaceInput field names."""
    given = data.model_fields_set
    found: dict[str, object] = {
        name: getattr(data, name)
        for name in given - {"facilities", "opening_hours", "lat", "lon"}
        if getattr(data, name) is not None
    }
    if data.facilities is not None:
        found["facilities"] = list(data.facilities)
    if data.opening_hours is not None:
        found["opening_hours"] = windows(data.opening_hours)
    if {"lat", "lon"} & given:  # they go together: giving one clears the other
        found["lat"], found["lon"] = data.lat, data.lon
    return found
