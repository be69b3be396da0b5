"""Schemas of verified residents, letter batches and the jury pool's attributes."""

from datetime import datetime
from typing import Annotated

from pydantic import Field

from api.schemas import EntityId, Input, Line, Schema, Whole, at_most

Text40 = Annotated[Line, Field(min_length=1, max_length=40)]
Text80 = Annotated[Line, Field(min_length=1, max_length=80)]


class VerificationOut(Schema):
    id: int
    person_id: int
    neighbourhood_id: int
    method: str = Field(description="approval, letter_code or oidc")
    verified_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    end_reason: str | None
    active: bool


class VerificationRequestIn(Input):
    note: Line = Field(default="", max_length=500, description="Where you live, for the broker (optional)")


class VerificationRequestOut(Schema):
    id: int
    person_id: int
    neighbourhood_id: int
    note: str
    requested_at: datetime
    decided_at: datetime | None
    decision: str | None


class PendingRequestOut(VerificationRequestOut):
    display_name: str
    email: str


class ApproveIn(Input):
    person_id: EntityId
    note: Line = Field(default="", max_length=500)


class EndIn(Input):
    reason: Line = Field(min_length=1, max_length=200)


class CodeIn(Input):
    code: Line = Field(
        min_length=1, max_length=40, description="The code from the letter, e.g. ABCD-EFGH-JKMN"
    )


class LetterBatchIn(Input):
    csv: str = Field(
        min_length=1,
        max_length=1_000_000,
        description="CSV with the header straat,huisnummer,postcode,plaats (comma or semicolon)",
    )


class LetterBatchOut(Schema):
    id: int
    neighbourhood_id: int
    created_at: datetime
    expires_at: datetime
    size: int
    redeemed: int = 0


class ChoiceIO(Input):
    key: Text40
    label: Text80


class JuryAttributeIO(Input):
    key: Annotated[Line, Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")]
    label: Text80
    choices: list[ChoiceIO] = Field(min_length=2, max_length=20)


class JuryAttributesIn(Input):
    attributes: list[JuryAttributeIO] = Field(
        max_length=8, description="Empty: back to the platform's defaults (age band and gender)"
    )


class JuryAttributesOut(Schema):
    attributes: list[JuryAttributeIO]


class PoolMembershipOut(Schema):
    neighbourhood_id: int
    attributes: Annotated[dict[str, str], at_most(10)]


class ValidityIO(Input):
    days: Annotated[
        int, Field(ge=30, le=1826, description="How long a new verification counts, in days"), Whole
    ]
