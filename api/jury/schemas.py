"""Schemas of rounds, jury draws and ballots."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, Field

from api.schemas import Cents, EntityId, Schema
from buurtbudget.jury.allocation import Rule, TieBreak
from buurtbudget.jury.ballots import BallotKind


class RoundIn(Schema):
    name: str = Field(min_length=3, max_length=120)
    mode: Literal["jury", "open"]
    amount_cents: Cents
    initiative_ids: Annotated[list[EntityId], Field(min_length=1, max_length=200)]
    ballot_kind: BallotKind
    max_approvals: int | None = Field(default=None, ge=1, le=200)
    max_total_cents: Cents | None = None
    max_score: int = Field(default=10, ge=1, le=100)
    points: int = Field(default=10, ge=1, le=1000)
    rule: Rule
    tie_break: TieBreak = TieBreak.LEXICOGRAPHIC
    voting_opens_at: AwareDatetime
    voting_closes_at: AwareDatetime
    track: Literal["regular", "fast"] = "regular"
    partial_grants: bool = Field(
        default=True, description="Initiatives that no longer fit in full may get their essential lines"
    )
    deliberation_opens_at: AwareDatetime | None = None
    decision_due_on: date | None = None


class RoundOut(Schema):
    id: int
    pot_id: int
    name: str
    mode: str
    state: str
    amount_cents: int
    ballot_kind: str
    max_approvals: int | None
    max_total_cents: int | None
    max_score: int
    points: int
    rule: str
    tie_break: str
    seed: str = Field(description="Published: the draw and a lot tie-break can be redone from it")
    voting_opens_at: datetime
    voting_closes_at: datetime
    track: str
    partial_grants: bool
    deliberation_opens_at: datetime | None
    decision_due_on: date | None
    initiative_ids: list[int]
    result: dict[str, object] | None


class QuotaIn(Schema):
    category: str = Field(min_length=1, max_length=40)
    value: str = Field(min_length=1, max_length=40)
    minimum: int = Field(default=0, ge=0, le=100)
    maximum: int | None = Field(default=None, ge=0, le=100)


class DrawIn(Schema):
    seats: int = Field(ge=1, le=100)
    reserves: int = Field(default=0, ge=0, le=100)
    quotas: Annotated[list[QuotaIn], Field(max_length=30)] = []


class DrawOut(Schema):
    seed: str
    order: list[str]
    jurors: list[str]
    reserves: list[str]


class VolunteerIn(Schema):
    attributes: Annotated[
        dict[Annotated[str, Field(max_length=40)], Annotated[str, Field(max_length=40)]], Field(max_length=10)
    ] = {}


class ConflictIn(Schema):
    initiative_id: EntityId


class BallotIn(Schema):
    marks: Annotated[dict[EntityId, Annotated[int, Field(ge=0, le=1000)]], Field(max_length=200)]


class GrantAnswerIn(Schema):
    accept: bool = Field(description="true: take the smaller amount; false: decline, the money returns")


class GrantOut(Schema):
    round_id: int
    initiative_id: int
    asked_cents: int
    granted_cents: int
    partial: bool
    answer: str | None = Field(description="accepted or declined; null while a partial grant waits")
    answered_at: datetime | None
