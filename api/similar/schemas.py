"""Public schemas of similar initiatives, suggestions while typing, consent and contact requests."""

from pydantic import Field

from api.schemas import Boolean, Input, Schema
from buurtbudget.initiatives.lifecycle import State


class ReasonOut(Schema):
    code: str = Field(description="A stable reason code, e.g. similar_title, shared_themes")
    text: str = Field(description="The reason as a sentence in the request's language")


class SimilarInitiativeOut(Schema):
    id: int
    title: str
    neighbourhood_id: int
    neighbourhood: str
    municipality: str
    place: str = Field(description="The neighbourhood, with its municipality when that differs")
    state: State
    granted_cents: int | None = Field(description="Money awarded in euro cents, if any")
    year: int
    score: float = Field(ge=0.0, le=1.0)
    likely_duplicate: bool
    contact_possible: bool = Field(description="The initiator agreed to be contacted (through the platform)")
    reasons: list[ReasonOut]


class SimilarListOut(Schema):
    items: list[SimilarInitiativeOut]


class SuggestionsOut(Schema):
    likely_duplicates: list[SimilarInitiativeOut] = Field(
        description="Very similar initiatives in the same neighbourhood"
    )
    elsewhere: list[SimilarInitiativeOut] = Field(description="Similar initiatives in other neighbourhoods")


class ContactConsentIn(Input):
    consent: Boolean


class ContactConsentOut(Schema):
    initiative_id: int
    consent: bool


class ContactRequestIn(Input):
    message: str = Field(max_length=10_000, description="10 to 2000 characters, sent on by e-mail")


class ContactRequestOut(Schema):
    sent_to: int = Field(description="How many initiators got the message")
