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
from buurtbudget.spaces.periods import Window, minute_of
from buurtbudget.spaces.rules import SpaceInput
from buurtbudget.spaces.service import windows_of


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


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


def merged(current: Space, data: SpaceUpdate) -> SpaceInput:
    """The space as it is, with the fields the update gives."""
    given = data.model_fields_set
    coordinates = (data.lat, data.lon) if {"lat", "lon"} & given else (current.lat, current.lon)
    return SpaceInput(
        name=data.name if data.name is not None else current.name,
        neighbourhood_id=data.neighbourhood_id or current.neighbourhood_id,
        capacity=data.capacity if data.capacity is not None else current.capacity,
        description=data.description if data.description is not None else current.description,
        address=data.address if data.address is not None else current.address,
        price_per_hour_cents=(
            data.price_per_hour_cents
            if data.price_per_hour_cents is not None
            else current.price_per_hour_cents
        ),
        wheelchair_accessible=(
            data.wheelchair_accessible
            if data.wheelchair_accessible is not None
            else current.wheelchair_accessible
        ),
        accessible_toilet=(
            data.accessible_toilet if data.accessible_toilet is not None else current.accessible_toilet
        ),
        facilities=list(data.facilities) if data.facilities is not None else current.facilities,
        opening_hours=windows(data.opening_hours) if data.opening_hours is not None else windows_of(current),
        lat=coordinates[0],
        lon=coordinates[1],
        bookable=data.bookable if data.bookable is not None else current.bookable,
    )
