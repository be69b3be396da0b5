"""Schemas of volunteering: the profile in and out, pseudonymous summaries, suggestions and matches."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from api.schemas import Boolean, Day, EntityId, Input, Integer, Line, Schema

TimeText = Annotated[Line, Field(max_length=5, description="Local time as HH:MM (24:00 for midnight)")]
Text80 = Annotated[Line, Field(max_length=80)]


class WeeklySlotIn(Input):
    weekday: Integer = Field(ge=0, le=6, description="0 is Monday, 6 is Sunday")
    start: TimeText
    end: TimeText


class DatedSlotIn(Input):
    day: Day
    start: TimeText
    end: TimeText


class ProfileIn(Input):
    neighbourhood_id: EntityId
    skills: Annotated[list[Text80], Field(max_length=20)] = Field(
        description="Skills from the catalogue (Dutch or English, small typos are understood)"
    )
    themes: Annotated[list[Text80], Field(max_length=8)] = []
    weekly: Annotated[list[WeeklySlotIn], Field(max_length=21)] = []
    dated: Annotated[list[DatedSlotIn], Field(max_length=31)] = []
    max_commitments: Integer = Field(default=3, ge=1, le=10)
    consent: Boolean = Field(description="Agree to be suggested to initiatives and their residents")


class OfferIn(Input):
    initiative_id: EntityId


class InvitationIn(Input):
    profile_id: EntityId


class CodeLabel(Schema):
    code: str
    label: str


class CatalogueOut(Schema):
    skills: list[CodeLabel]
    themes: list[CodeLabel]


class WeeklySlotOut(Schema):
    weekday: int
    start: str
    end: str


class DatedSlotOut(Schema):
    day: str
    start: str
    end: str


class ProfileOut(Schema):
    id: int
    pseudonym: str
    neighbourhood_id: int
    skills: list[CodeLabel]
    themes: list[CodeLabel]
    weekly: list[WeeklySlotOut]
    dated: list[DatedSlotOut]
    max_commitments: int
    consent: bool
    updated_at: datetime


class SummaryOut(Schema):
    """A volunteer without name or e-mail address."""

    profile_id: int
    pseudonym: str
    skills: list[str]
    themes: list[str]
    weekly: list[WeeklySlotOut]
    dated: list[DatedSlotOut]
    neighbourhood: str


class ReasonOut(Schema):
    code: str
    params: dict[str, str | int | float]
    text: str


class VolunteerSuggestionOut(Schema):
    volunteer: SummaryOut
    score: float
    reasons: list[ReasonOut]


class InitiativeSuggestionOut(Schema):
    initiative_id: int
    title: str
    neighbourhood: str
    state: str
    score: float
    reasons: list[ReasonOut]


class ContactOut(Schema):
    display_name: str
    email: str


class MatchOut(Schema):
    id: int
    initiative_id: int
    initiative_title: str
    origin: str
    status: str
    volunteer_answer: str
    initiative_answer: str
    score: float
    reasons: list[ReasonOut]
    volunteer: SummaryOut
    your_side: str | None
    can_accept: bool
    can_decline: bool
    volunteer_contact: ContactOut | None = Field(description="Only once both sides said yes")
    initiative_contacts: list[ContactOut] = Field(description="Only once both sides said yes")
    created_at: datetime
    agreed_at: datetime | None


class CaseloadItemOut(Schema):
    initiative_id: int
    title: str
    neighbourhood: str
    matches: list[MatchOut]
    suggestions: list[VolunteerSuggestionOut]
