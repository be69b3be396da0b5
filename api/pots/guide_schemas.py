"""Schemas of a pot's "how it works" texts and the municipality's report of its money per round."""

from datetime import date

from pydantic import Field

from api.schemas import Cents, Day, Input, Schema


class GuideIn(Input):
    max_per_initiative_cents: Cents | None = Field(
        description="The most one initiative may ask; null: no limit (checked when a plan is sent in)"
    )
    criteria: str = Field(default="", max_length=5000, description="Plain text; blank lines part paragraphs")
    next_round_on: Day | None = None
    payment_text: str = Field(
        default="", max_length=5000, description="How money is paid and accounted for (plain text)"
    )


class GuideOut(Schema):
    pot_id: int
    name: str
    max_per_initiative_cents: int | None
    criteria: str
    next_round_on: date | None
    payment_text: str
    page: str = Field(description="The public page that shows it")


class RoundMoneyOut(Schema):
    round_id: int | None = Field(description="null: reservations and grants made outside any round")
    name: str | None
    state: str | None
    reserved_cents: int
    granted_cents: int
    released_cents: int
    held_cents: int


class ReportOut(Schema):
    pot_id: int
    received_cents: int
    reserved_cents: int
    granted_cents: int
    paid_cents: int
    payments_tracked: bool = Field(description="false: paying out is not recorded yet, so paid is 0")
    left_cents: int
    theme_budgets: dict[str, int]
    theme_labels: dict[str, str] = Field(description="Each theme budget's theme as people read it")
    rounds: list[RoundMoneyOut]
