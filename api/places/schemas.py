"""Schemas of setting up municipalities and neighbourhoods."""

from typing import Any

from pydantic import Field

from api.neighbourhoods.schemas import MunicipalityOut, NeighbourhoodOut
from api.schemas import Boolean, EntityId, Input, Line, Schema


class MunicipalityIn(Input):
    name: Line = Field(min_length=1, max_length=120)
    cbs_code: Line = Field(min_length=6, max_length=6, description="GM and 4 digits, e.g. GM0344")
    slug: Line | None = Field(default=None, max_length=120, description="Short name in addresses")


class MunicipalityPatch(Input):
    name: Line | None = Field(default=None, min_length=1, max_length=120, description="Platform admins only")
    contact_email: Line | None = Field(default=None, max_length=254, description='"" removes it')
    contact_phone: Line | None = Field(default=None, max_length=40, description='"" removes it')
    contact_url: Line | None = Field(default=None, max_length=300, description='"" removes it')


class NeighbourhoodIn(Input):
    municipality_id: EntityId
    name: Line = Field(min_length=1, max_length=120)
    cbs_code: Line = Field(min_length=8, max_length=10, description="BU and 8 digits, or WK and 6 digits")
    district: Line | None = Field(default=None, max_length=120, description="Its wijk or stadsdeel")
    boundary: dict[str, Any] | None = Field(default=None, description="A GeoJSON Polygon or MultiPolygon")


class NeighbourhoodPatch(Input):
    name: Line | None = Field(default=None, min_length=1, max_length=120)
    district: Line | None = Field(default=None, max_length=120, description='"" removes it')
    cbs_code: Line | None = Field(default=None, min_length=8, max_length=10)
    boundary: dict[str, Any] | None = Field(default=None, description="A GeoJSON Polygon or MultiPolygon")
    clear_boundary: Boolean = Field(default=False, description="true: remove the boundary")


class BoundaryOut(Schema):
    neighbourhood_id: int
    boundary: dict[str, Any] | None


__all__ = [
    "BoundaryOut",
    "MunicipalityIn",
    "MunicipalityOut",
    "MunicipalityPatch",
    "NeighbourhoodIn",
    "NeighbourhoodOut",
    "NeighbourhoodPatch",
]
