"""Nearness: same neighbourhood, adjacent, same municipality, or kilometres when coordinates are known."""

import math
from dataclasses import dataclass

from matching.types import Area, Geography

SAME_NEIGHBOURHOOD = 1.0
ADJACENT = 0.7
SAME_MUNICIPALITY = 0.4
ELSEWHERE = 0.0
KM_HALF_SCORE = 2.0
EARTH_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Origin:
    """The place matches are measured from, with the constants both scoring paths share."""

    area: Area
    adjacent: frozenset[str]
    cos_lat: float
    lat_rad: float
    lon_rad: float

    @classmethod
    def of(cls, area: Area, geography: Geography) -> "Origin":
        """Prepare an origin for an area."""
        lat = math.radians(area.lat) if area.lat is not None else 0.0
        lon = math.radians(area.lon) if area.lon is not None else 0.0
        return cls(area, geography.neighbours(area.neighbourhood), math.cos(lat), lat, lon)


def km_between(origin: Origin, lat: float, lon: float) -> float:
    """Equirectangular distance in km (exact enough within a region; same arithmetic as numpy)."""
    dx = (math.radians(lon) - origin.lon_rad) * origin.cos_lat
    dy = math.radians(lat) - origin.lat_rad
    return EARTH_KM * math.sqrt(dx * dx + dy * dy)


def km_score(km: float) -> float:
    """1 at 0 km, 0.5 at 2 km, 0.17 at 10 km."""
    return 1.0 / (1.0 + km / KM_HALF_SCORE)


def tier(origin: Origin, other: Area) -> tuple[float, str]:
    """The tier score and reason code for an area, without coordinates."""
    here = origin.area
    if other.municipality == here.municipality:
        if other.neighbourhood == here.neighbourhood:
            return SAME_NEIGHBOURHOOD, "same_neighbourhood"
        if other.neighbourhood in origin.adjacent:
            return ADJACENT, "adjacent_neighbourhood"
        return SAME_MUNICIPALITY, "same_municipality"
    if other.neighbourhood in origin.adjacent:
        return ADJACENT, "adjacent_neighbourhood"
    return ELSEWHERE, ""


def nearness(origin: Origin, other: Area) -> tuple[float, str, float | None]:
    """Score in [0, 1], the tier reason code and the km (when both have coordinates)."""
    score, code = tier(origin, other)
    km: float | None = None
    if origin.area.has_coordinates and other.lat is not None and other.lon is not None:
        km = km_between(origin, other.lat, other.lon)
        score = max(score, km_score(km))
    return score, code, km
