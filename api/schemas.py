"""Schema building blocks shared by features."""

from typing import Annotated

from litestar.params import PathParameter, QueryParameter
from pydantic import BaseModel, ConfigDict, Field, StrictInt

Cents = Annotated[StrictInt, Field(gt=0, le=100_000_000_00, description="An amount in euro cents")]

ID_MAX = 2**31 - 1  # ids are 32-bit integers in the database
EntityId = Annotated[StrictInt, Field(ge=1, le=ID_MAX, description="The id of an existing thing")]
PathId = Annotated[int, PathParameter(ge=1, le=ID_MAX)]
QueryId = Annotated[int | None, QueryParameter(ge=1, le=ID_MAX)]


class Schema(BaseModel):
    """Base of public schemas: unknown fields are refused, attributes can be read from models."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)
