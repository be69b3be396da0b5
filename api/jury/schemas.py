"""Schemas of rounds, jury draws and ballots."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field

from api.schemas import (
    Boolean,
    Cents,
    Day,
    EntityId,
    Input,
    Integer,
    KeyId,
    Line,
    Moment,
    Schema,
    Whole,
    at_most,
)
from buurtbudget.jury.allocation import Rule, TieBreak
from buurtbudget.jury.ballots import BallotKind

Attribute = Annotated[Line, Field(max_length=40)]


class RoundIn(Input):
    name: Line = Field(min_length=3, max_length=120)
    mode: Literal["jury", "open"]
    amount_cents: Cents
    initiative_ids: Annotated[list[EntityId], Field(min_length=1, max_length=200)]
    ballot_kind: BallotKind
    max_approvals: Integer | None = Field(default=None, ge=1, le=200)
    max_total_cents: Cents | None = None
    max_score: Integer = Field(default=10, ge=1, le=100)
    points: Integer = Field(default=10, ge=1, le=1000)
    rule: Rule
    tie_break: TieBreak = TieBreak.LEXICOGRAPHIC
    voting_opens_at: Moment
    voting_closes_at: Moment
    track: Literal["regular", "fast"] = "regular"
    partial_grants: Boolean = Field(
        default=True, description="Initiatives that no longer fit in full may get their essential lines"
    )
    deliberation_opens_at: Moment | None = None
    decision_due_on: Day | None = None
    quorum: Integer | None = Field(
        default=None, ge=1, le=10_000, description="Ballots needed to decide; default: half the seats, up"
    )
    min_support: Integer = Field(
        default=1, ge=0, le=1_000_000, description="Approvals or points an initiative needs to be granted"
    )
    seats: Integer | None = Field(
        default=None, ge=1, le=100, description="A jury round's planned seats; the pool's freeze fixes them"
    )


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
    seed: str = Field(description="Published: a drawn-lot tie-break of the tally can be redone from it")
    voting_opens_at: datetime
    voting_closes_at: datetime
    track: str
    partial_grants: bool
    deliberation_opens_at: datetime | None
    decision_due_on: date | None
    initiative_ids: list[int]
    result: dict[str, object] | None
    quorum: int = Field(description="Ballots needed to decide this round")
    min_support: int
    seats: int | None = Field(default=None, description="A jury round's planned seats")
    early_close_reason: str | None = Field(description="Why the municipality closed before the closing time")
    cancel_reason: str | None
    ended_at: datetime | None
    draw_seed_hash: str | None = Field(description="SHA-256 of the jury draw's seed, public from the freeze")
    draw_seed: str | None = Field(description="The jury draw's seed: null until the draw reveals it")


class QuotaIn(Input):
    category: Line = Field(min_length=1, max_length=40)
    value: Line = Field(min_length=1, max_length=40)
    minimum: Integer = Field(default=0, ge=0, le=100)
    maximum: Integer | None = Field(default=None, ge=0, le=100)


class DrawIn(Input):
    seats: Integer = Field(ge=1, le=100)
    reserves: Integer = Field(default=0, ge=0, le=100)
    quotas: Annotated[list[QuotaIn], Field(max_length=30)] = []


class QuotaOut(Schema):
    category: str
    value: str
    minimum: int
    maximum: int | None


class PoolMemberOut(Schema):
    pseudonym: str
    attributes: dict[str, str]


class PublishedDrawOut(Schema):
    """A round's committed draw as anyone sees it: the seed only once the draw revealed it."""

    round_id: int
    seats: int
    reserves: int
    quotas: list[QuotaOut]
    seed_hash: str
    seed: str | None
    frozen_at: datetime
    drawn_at: datetime | None
    pool: list[PoolMemberOut]
    jurors: list[str] = Field(description="Pseudonyms of the drawn jurors")
    reserves_drawn: list[str]
    verified: bool | None = Field(description="Recomputing the draw gives the published one (null before it)")


class CloseIn(Input):
    reason: str | None = Field(
        default=None, max_length=500, description="Required to close before the published closing time"
    )


class CancelIn(Input):
    reason: str = Field(min_length=1, max_length=500)


class ExtendIn(Input):
    voting_closes_at: Moment


class DrawOut(Schema):
    seed: str
    order: list[str]
    jurors: list[str]
    reserves: list[str]


class VolunteerIn(Input):
    attributes: Annotated[dict[Attribute, Attribute], at_most(10)] = Field(
        default={},
        json_schema_extra={
            "maxProperties": 10,
            "propertyNames": {"maxLength": 40},
            "additionalProperties": {"type": "string", "maxLength": 40},
        },
    )


class ConflictIn(Input):
    initiative_id: EntityId


class BallotIn(Input):
    marks: Annotated[dict[KeyId, Annotated[int, Field(ge=0, le=1000), Whole]], at_most(200)] = Field(
        description="A mark per initiative id",
        json_schema_extra={
            "maxProperties": 200,
            "propertyNames": {"pattern": "^[1-9][0-9]{0,9}$"},
            "additionalProperties": {"type": "integer", "minimum": 0, "maximum": 1000},
        },
    )


class GrantAnswerIn(Input):
    accept: Boolean = Field(description="true: take the smaller amount; false: decline, the money returns")


class GrantOut(Schema):
    round_id: int
    initiative_id: int
    asked_cents: int
    granted_cents: int
    partial: bool
    answer: str | None = Field(description="accepted or declined; null while a partial grant waits")
    answered_at: datetime | None
