"""Schema building blocks shared by features: exact numbers, storable text and moments, the base schema."""

import unicodedata
from datetime import UTC, date, datetime
from typing import Annotated, Any

from litestar.params import PathParameter, QueryParameter
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
)
from pydantic_core import PydanticCustomError

# Litestar validates bodies with `strict=False`, which overrides pydantic's StrictInt and StrictBool:
# these validators refuse `true`, `1.5` and `"100"` as a number (and `1` or `"yes"` as a yes/no) themselves.


def _whole_number(value: Any) -> Any:
    if type(value) is not int:
        raise PydanticCustomError(
            "whole_number", "Input should be a whole number (not text, true/false or 1.5)"
        )
    return value


def _yes_or_no(value: Any) -> Any:
    if type(value) is not bool:
        raise PydanticCustomError("yes_or_no", "Input should be true or false")
    return value


# `Whole` comes after any constraints in an `Annotated` (else the OpenAPI document loses them).
Whole = BeforeValidator(_whole_number)
Integer = Annotated[int, Whole]
Boolean = Annotated[bool, BeforeValidator(_yes_or_no)]

Cents = Annotated[int, Field(gt=0, le=100_000_000_00, description="An amount in euro cents"), Whole]

ID_MAX = 2**31 - 1  # ids are 32-bit integers in the database
EntityId = Annotated[int, Field(ge=1, le=ID_MAX, description="The id of an existing thing"), Whole]
KeyId = Annotated[int, Field(ge=1, le=ID_MAX, description="The id of an existing thing (JSON keys are text)")]
PathId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]
QueryId = Annotated[int | None, QueryParameter(ge=1, le=ID_MAX)]

# Moments and days the platform can store, compare and show: a year 1 with +14:00 is a day before
# year 1 in UTC, which Python cannot represent. Nothing the platform plans lies outside these years.
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = date(2999, 12, 31)


def _plannable_moment(value: datetime) -> datetime:
    try:
        in_utc = value.astimezone(UTC)
    except OverflowError:
        in_utc = None
    if in_utc is None or not FIRST_DAY <= in_utc.date() <= LAST_DAY:
        raise PydanticCustomError("moment_range", "Input should be a moment between the years 2000 and 2999")
    return value


def _plannable_day(value: date) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        raise PydanticCustomError("day_range", "Input should be a day between the years 2000 and 2999")
    return value


Moment = Annotated[AwareDatetime, AfterValidator(_plannable_moment)]
Day = Annotated[date, AfterValidator(_plannable_day)]

# Line breaks and other control characters end up in mail headers and file names: names, titles
# and other single-line texts refuse them (line and paragraph separators included).
LINE_BREAKS = frozenset("\u2028\u2029")


def _one_line(value: str) -> str:
    if any(unicodedata.category(char) == "Cc" or char in LINE_BREAKS for char in value):
        raise PydanticCustomError("one_line", "Input should be one line without control characters")
    return value


Line = Annotated[str, AfterValidator(_one_line)]


def at_most(count: int) -> AfterValidator:
    """A mapping's size limit. `Field(max_length=...)` on a dict would show it as a list in the OpenAPI
    document (Litestar), so mappings check their size with this and state it in `json_schema_extra`."""

    def check(value: dict[Any, Any]) -> dict[Any, Any]:
        if len(value) > count:
            raise PydanticCustomError(
                "too_many", "Input should have at most {count} entries", {"count": count}
            )
        return value

    return AfterValidator(check)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list | tuple | set | frozenset):
        return any(_has_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_has_nul(key) or _has_nul(item) for key, item in value.items())
    return False


class Schema(BaseModel):
    """Base of public schemas: unknown fields are refused, attributes can be read from models."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


class Input(Schema):
    """Base of what clients send: no text may hold a NUL character.

    PostgreSQL cannot store one, so both databases refuse it here, naming the field.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _has_nul(value):
            raise PydanticCustomError("no_nul", "Input should not contain NUL characters")
        return value
