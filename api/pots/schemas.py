"""Schemas of pots, their money line and the admin's funding requests."""

from datetime import date

from pydantic import Field

from api.schemas import Cents, Day, EntityId, Input, Integer, Line, Schema


class PotIn(Input):
    neighbourhood_id: EntityId
    name: Line = Field(min_length=1, max_length=120)
    period_start: Day
    period_end: Day


class FundingIn(Input):
    amount_cents: Cents
    memo: str = Field(default="", max_length=300)


class ThemeBudgetIn(Input):
    theme: Line = Field(min_length=1, max_length=80)
    amount_cents: Cents


class BalanceOut(Schema):
    received_cents: int
    available_cents: int
    reserved_cents: int
    granted_cents: int


class FastTrackIn(Input):
    threshold_cents: Cents | None = Field(description="Requests up to this amount may go fast; null: none")
    seats: Integer = Field(default=3, ge=1, le=25, description="Jurors on a fast-track panel")


class FastTrackOut(Schema):
    threshold_cents: int | None
    seats: int


class PotOut(Schema):
    id: int
    neighbourhood_id: EntityId
    name: str
    period_start: date
    period_end: date
    balance: BalanceOut
    theme_budgets: dict[str, int]
    fast_track: FastTrackOut


class TransactionOut(Schema):
    id: int
    pot_id: int
    kind: str
