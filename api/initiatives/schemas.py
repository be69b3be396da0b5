"""Schemas of initiatives: drafts in, details with their timeline out."""

from datetime import datetime
from typing import Annotated

from pydantic import EmailStr, Field

from api.schemas import Boolean, Cents, EntityId, Input, Integer, Line, Moment, Schema
from buurtbudget.initiatives.lifecycle import Action, State

Title = Annotated[Line, Field(min_length=3, max_length=150)]
Summary = Annotated[str, Field(max_length=5000)]
Themes = Annotated[list[Annotated[Line, Field(min_length=1, max_length=80)]], Field(max_length=8)]


class CostLineIn(Input):
    description: Line = Field(min_length=1, max_length=200)
    amount_cents: Cents
    essential: Boolean = True


class VolunteerNeedIn(Input):
    skill: Line = Field(min_length=1, max_length=80)
    hours: Integer = Field(gt=0, le=1000)


class SpaceNeedIn(Input):
    description: Line = Field(min_length=1, max_length=200)
    capacity: Integer = Field(gt=0, le=10_000)
    starts_at: Moment
    ends_at: Moment


class InitiativeCreate(Input):
    neighbourhood_id: EntityId
    title: Title
    summary: Summary = ""
    themes: Themes = []
    cost_lines: Annotated[list[CostLineIn], Field(max_length=50)] = []
    volunteer_needs: Annotated[list[VolunteerNeedIn], Field(max_length=20)] = []
    space_needs: Annotated[list[SpaceNeedIn], Field(max_length=10)] = []
    on_behalf_of: EmailStr | None = Field(
        default=None, description="A broker drafting for a resident names the resident's e-mail address"
    )


class InitiativeUpdate(Input):
    title: Title | None = None
    summary: Summary | None = None
    themes: Themes | None = None
    cost_lines: Annotated[list[CostLineIn], Field(max_length=50)] | None = None
    volunteer_needs: Annotated[list[VolunteerNeedIn], Field(max_length=20)] | None = None
    space_needs: Annotated[list[SpaceNeedIn], Field(max_length=10)] | None = None


class CoInitiatorIn(Input):
    email: EmailStr


class TransitionIn(Input):
    action: Action


class CostLineOut(Schema):
    description: str
    amount_cents: int
    essential: bool


class VolunteerNeedOut(Schema):
    skill: str
    hours: int


class SpaceNeedOut(Schema):
    description: str
    capacity: int
    starts_at: datetime
    ends_at: datetime


class InitiatorOut(Schema):
    person_id: int
    display_name: str
    status: str


class ContactOut(Schema):
    person_id: int
    display_name: str
    email: str | None = Field(description="Shown for professionals (brokers), never for residents")


class TimelineEventOut(Schema):
    at: datetime
    event: str
    what_happened: str
    state: State
    next_step: str
    what_comes_next: str
    contact: ContactOut | None
    due_at: datetime | None


class InitiativeSummaryOut(Schema):
    id: int
    neighbourhood_id: EntityId
    title: str
    state: State
    themes: list[str]
    theme_labels: list[str] = Field(description="The themes as people read them, in the request's language")
    total_cents: int
    updated_at: datetime


class InitiativeOut(InitiativeSummaryOut):
    summary: str
    cost_lines: list[CostLineOut]
    volunteer_needs: list[VolunteerNeedOut]
    space_needs: list[SpaceNeedOut]
    initiators: list[InitiatorOut]
    timeline: list[TimelineEventOut]
    overdue: bool
    allowed_actions: list[Action]


class InitiativePage(Schema):
    items: list[InitiativeSummaryOut]
    total: int
    page: int
    per_page: int


class InitiatorCreated(Schema):
    initiative_id: int
    person_id: int
    status: str
