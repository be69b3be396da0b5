"""A neighbourhood's boundary: a GeoJSON Polygon or MultiPolygon, checked before it is stored."""

import json
import math
from typing import Any

from buurtbudget.errors import InvalidInput

MAX_BOUNDARY_CHARS = 1_000_000
FIELD = "boundary"
NOT_A_POINT = "every point of the boundary is a pair of numbers: longitude, latitude"


def _position(value: Any) -> tuple[float, float]:
    if (
        not isinstance(value, list)
        or len(value) not in (2, 3)
        or not all(isinstance(n, int | float) and not isinstance(n, bool) for n in value)
    ):
        raise InvalidInput(NOT_A_POINT, field=FIELD)
    longitude, latitude = float(value[0]), float(value[1])
    if not (math.isfinite(longitude) and math.isfinite(latitude)):
        raise InvalidInput(NOT_A_POINT, field=FIELD)
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
        raise InvalidInput(
            "a point of the boundary lies outside the earth's coordinates (longitude -180 to 180, "
            "latitude -90 to 90)",
            field=FIELD,
        )
    return longitude, latitude


def _polygon(value: Any) -> None:
    if not isinstance(value, list) or not value:
        raise InvalidInput("a polygon of the boundary has no rings", field=FIELD)
    for ring in value:
        if not isinstance(ring, list) or len(ring) < 4:
            raise InvalidInput("every ring of the boundary needs at least four points", field=FIELD)
        points = [_position(point) for point in ring]
        if points[0] != points[-1]:
            raise InvalidInput("every ring of the boundary ends where it starts (a closed ring)", field=FIELD)


def checked_boundary(text: str) -> str:
    """The boundary as compact JSON; InvalidInput naming what is wrong otherwise.

    A GeoJSON Feature is accepted and its geometry kept.
    """
    if len(text) > MAX_BOUNDARY_CHARS:
        raise InvalidInput("the boundary is too large (at most one million characters)", field=FIELD)
    try:
        geometry = json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidInput("the boundary is not valid JSON", field=FIELD) from None
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise InvalidInput("the boundary must be a GeoJSON Polygon or MultiPolygon", field=FIELD)
    coordinates = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        _polygon(coordinates)
    else:
        if not isinstance(coordinates, list) or not coordinates:
            raise InvalidInput("a polygon of the boundary has no rings", field=FIELD)
        for polygon in coordinates:
            _polygon(polygon)
    return json.dumps({"type": geometry["type"], "coordinates": coordinates}, separators=(",", ":"))
