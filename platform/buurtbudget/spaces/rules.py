"""Pure checks on what a space may hold, with facilities resolved through the engine's catalogue."""

from dataclasses import dataclass, field

from buurtbudget.errors import InvalidInput
from buurtbudget.spaces.errors import UnknownFacility
from buurtbudget.spaces.periods import Window, check_windows
from matching import default_catalogues
from matching.errors import UnknownFacility as UnknownToEngine

MAX_CAPACITY = 100_000
MAX_PRICE_PER_HOUR_CENTS = 10_000_00
MAX_FACILITIES = 20


@dataclass(frozen=True, slots=True)
class SpaceInput:
    """Everything the owner (or a broker) tells about a space."""

    name: str
    neighbourhood_id: int
    capacity: int
    description: str = ""
    address: str = ""
    price_per_hour_cents: int = 0
    wheelchair_accessible: bool = False
    accessible_toilet: bool = False
    facilities: list[str] = field(default_factory=list)
    opening_hours: list[Window] = field(default_factory=list)
    lat: float | None = None
    lon: float | None = None
    bookable: bool = True


def facility_codes(texts: list[str]) -> list[str]:
    """Catalogue codes for what people typed (Dutch or English, small typos); unknown ones are refused."""
    catalogue = default_catalogues().facilities
    codes: dict[str, None] = {}
    for text in texts:
        cleaned = " ".join(text.split())
        if not cleaned:
            continue
        if len(cleaned) > 80:
            raise UnknownFacility("we do not know this facility", field="facilities", value=cleaned[:80])
        try:
            codes.setdefault(catalogue.resolve(cleaned), None)
        except UnknownToEngine as error:
            raise UnknownFacility(
                "we do not know this facility",
                field="facilities",
                value=cleaned,
                suggestions=list(error.suggestions),
            ) from error
    return sorted(codes)


def validate(space: SpaceInput) -> SpaceInput:
    """The space with trimmed text, catalogue codes and sorted opening hours; InvalidInput otherwise."""
    name = " ".join(space.name.split())
    if not 2 <= len(name) <= 120:
        raise InvalidInput("the name needs 2 to 120 characters", field="name")
    if len(space.description) > 2000:
        raise InvalidInput("the description can be at most 2000 characters", field="description")
    if len(space.address) > 200:
        raise InvalidInput("the address can be at most 200 characters", field="address")
    if isinstance(space.capacity, bool) or not 1 <= space.capacity <= MAX_CAPACITY:
        raise InvalidInput("the space holds 1 to 100000 people", field="capacity")
    if isinstance(space.price_per_hour_cents, bool) or not (
        0 <= space.price_per_hour_cents <= MAX_PRICE_PER_HOUR_CENTS
    ):
        raise InvalidInput("the price per hour is € 0 to € 10000", field="price_per_hour_cents")
    if (space.lat is None) != (space.lon is None):
        raise InvalidInput("give both latitude and longitude, or neither", field="lat")
    if space.lat is not None and not -90.0 <= space.lat <= 90.0:
        raise InvalidInput("the latitude is between -90 and 90", field="lat")
    if space.lon is not None and not -180.0 <= space.lon <= 180.0:
        raise InvalidInput("the longitude is between -180 and 180", field="lon")
    if len(space.facilities) > MAX_FACILITIES:
        raise InvalidInput("name at most 20 facilities", field="facilities")
    return SpaceInput(
        name=name,
        neighbourhood_id=space.neighbourhood_id,
        capacity=space.capacity,
        description=space.description.strip(),
        address=" ".join(space.address.split()),
        price_per_hour_cents=space.price_per_hour_cents,
        wheelchair_accessible=space.wheelchair_accessible,
        accessible_toilet=space.accessible_toilet,
        facilities=facility_codes(space.facilities),
        opening_hours=check_windows(space.opening_hours),
        lat=space.lat,
        lon=space.lon,
        bookable=space.bookable,
    )
