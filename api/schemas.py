"""Schema building blocks shared by features."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt

Cents = Annotated[StrictInt, Field(gt=0, le=100_000_000_00, description="An amount in euro cents")]


class Schema(BaseModel):
    """Base of public schemas: unknown fields are refused, attributes can be read from models."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)
