"""Schemas of municipalities and neighbourhoods."""

from api.schemas import Schema


class MunicipalityOut(Schema):
    id: int
    name: str
    cbs_code: str


class NeighbourhoodOut(Schema):
    id: int
    name: str
    slug: str
    cbs_code: str
    municipality: MunicipalityOut
    adjacent_ids: list[int]
