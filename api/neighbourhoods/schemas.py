"""Schemas of municipalities and neighbourhoods."""

from api.schemas import Schema


class MunicipalityOut(Schema):
    id: int
    name: str
    cbs_code: str
    slug: str
    contact_email: str | None = None
    contact_phone: str | None = None
    contact_url: str | None = None
    theme: str = "buurtbudget"  # the look of its pages: one of the themes the installation ships
    logo_url: str | None = None


class NeighbourhoodOut(Schema):
    id: int
    name: str
    label: str  # the name with its district, as lists show it: "Centrum (Nieuw-West)"
    district: str | None
    slug: str
    cbs_code: str
    has_boundary: bool
    municipality: MunicipalityOut
    adjacent_ids: list[int]
