"""Schemas of a person and their roles."""

from api.schemas import Schema


class RoleOut(Schema):
    role: str
    neighbourhood_id: int | None
    municipality_id: int | None


class PersonOut(Schema):
    id: int
    email: str
    display_name: str
    roles: list[RoleOut]
