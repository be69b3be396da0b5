"""Schemas of a person, their roles and their display name."""

from pydantic import Field

from api.schemas import Input, Schema


class RoleOut(Schema):
    role: str
    neighbourhood_id: int | None
    municipality_id: int | None


class PersonOut(Schema):
    id: int
    email: str
    display_name: str = Field(description="The name others see; empty until the person chooses one")
    roles: list[RoleOut]


class DisplayNameIn(Input):
    display_name: str = Field(
        max_length=200, description="The name others may see (at most 60 characters, not an e-mail address)"
    )
