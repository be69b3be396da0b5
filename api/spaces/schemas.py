"""Schemas of spaces and bookings: spaces in and out, bookings, the agenda and matches with reasons."""

from datetime import datetime, time
from typing import Annotated

from pydantic import EmailStr, Field

from api.schemas import Boolean, EntityId, Input, Integer, Line, Moment, Schema, Whole

Name = Annotated[Line, Field(min_length=2, max_length=120)]
Capacity = Annotated[int, Field(ge=1, le=100_000), Whole]
PricePerHour = Annotated[int, Field(ge=0, le=10_000_00, description="Euro cents per hour; 0 is free"), Whole]
Facilities = Annotated[
    list[Annotated[Line, Field(min_length=1, max_length=80)]],
    Field(max_length=20, description="Facility names in Dutch or English, e.g. 'keuken', 'beamer', 'garden'"),
]
Latitude = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]


class OpeningHoursIn(Input):
    weekday: Integer = Field(ge=0, le=6, description="0 is Monday, 6 is Sunday")
    opens: time = Field(description="Local time in Amsterdam, on a quarter of an hour, e.g. 09:00")
    closes: time = Field(description="Local time in Amsterdam; 00:00 means midnight")


class SpaceCreate(Input):
    name: Name
    neighbourhood_id: EntityId
    capacity: Capacity
    description: Annotated[str, Field(max_length=2000)] = ""
    address: Annotated[Line, Field(max_length=200)] = ""
    price_per_hour_cents: PricePerHour = 0
    wheelchair_accessible: Boolean = False
    accessible_toilet: Boolean = False
    facilities: Facilities = []
    opening_hours: Annotated[list[OpeningHoursIn], Field(max_length=28)] = Field(
        default=[], description="Weekly opening hours; none at all means open at any time"
    )
    lat: Latitude | None = None
    lon: Longitude | None = None
    bookable: Boolean = True
    owner_email: EmailStr | None = Field(
        default=None,
        description="A broker registering a space for its owner names the owner's e-mail address",
    )


class SpaceUpdate(Input):
    """Only the fields given change; `lat` and `lon` go together."""

    name: Name | None = None
    neighbourhood_id: EntityId | None = None
    capacity: Capacity | None = None
    description: Annotated[str, Field(max_length=2000)] | None = None
    address: Annotated[Line, Field(max_length=200)] | None = None
    price_per_hour_cents: PricePerHour | None = None
    wheelchair_accessible: Boolean | None = None
    accessible_toilet: Boolean | None = None
    facilities: Facilities | None = None
    opening_hours: Annotated[list[OpeningHoursIn], Field(max_length=28)] | None = None
    lat: Latitude | None = None
    lon: Longitude | None = None
    bookable: Boolean | None = None


class OpeningHoursOut(Schema):
    weekday: int
    opens: str = Field(description="HH:MM, Amsterdam time")
    closes: str = Field(description="HH:MM, Amsterdam time; 24:00 is midnight")


class SpaceOut(Schema):
    id: int
    name: str
    neighbourhood_id: int
    description: str
    address: str
    capacity: int
    price_per_hour_cents: int
    wheelchair_accessible: bool
    accessible_toilet: bool
    facilities: list[str]
    opening_hours: list[OpeningHoursOut]
    lat: float | None
    lon: float | None
    bookable: bool
    can_manage: bool = Field(description="True when you may change this space")
    calendar_url: str = Field(description="The ICS feed of the space's coming bookings")


class SpacePage(Schema):
    items: list[SpaceOut]
    total: int
    page: int
    per_page: int


class FacilityOut(Schema):
    code: str
    label: str


class BookingIn(Input):
    starts_at: Moment
    ends_at: Moment
    people: Capacity
    title: Annotated[Line, Field(min_length=1, max_length=150, description="What the space is booked for")]
    initiative_id: EntityId | None = None


class BookingOut(Schema):
    id: int
    space_id: int
    space_name: str
    title: str
    people: int
    starts_at: datetime
    ends_at: datetime
    state: str = Field(description="booked or cancelled")
    initiative_id: int | None
    booked_by_id: int
    cancelled_at: datetime | None
    calendar_url: str = Field(description="This booking as an ICS file")


class AgendaItem(Schema):
    starts_at: datetime
    ends_at: datetime
    booking_id: int | None = Field(description="Shown to the booker and to who manages the space")
    title: str | None


class ReasonOut(Schema):
    code: str
    params: dict[str, str | int | float]
    text: str = Field(description="The engine's explanation in Dutch")


class SpaceMatchOut(Schema):
    space: SpaceOut
    score: float = Field(ge=0, le=1)
    reasons: list[ReasonOut]


class SpaceNeedOut(Schema):
    description: str
    capacity: int
    starts_at: datetime
    ends_at: datetime


class NeedMatchesOut(Schema):
    need: SpaceNeedOut
    matches: list[SpaceMatchOut]


class InitiativeSpaceMatches(Schema):
    initiative_id: int
    needs: list[NeedMatchesOut]
