"""Plain typed data the engine takes in and gives out."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time

from matching.errors import InvalidAvailability, InvalidValue

ParamValue = str | int | float


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a match was made: a stable code, its parameters, and a default Dutch text."""

    code: str
    params: Mapping[str, ParamValue]
    text: str


@dataclass(frozen=True, slots=True)
class Match:
    """One ranked result: the matched item's id, a score in [0, 1] and the reasons."""

    id: str
    score: float
    reasons: tuple[Reason, ...]
    likely_duplicate: bool = False


@dataclass(frozen=True, slots=True)
class Area:
    """Where someone or something is: neighbourhood and municipality keys, optional coordinates."""

    neighbourhood: str
    municipality: str
    lat: float | None = None
    lon: float | None = None

    def __post_init__(self) -> None:
        if not self.neighbourhood.strip() or not self.municipality.strip():
            raise InvalidValue("area", "neighbourhood and municipality must not be empty")
        if (self.lat is None) != (self.lon is None):
            raise InvalidValue("area", "give both latitude and longitude, or neither")
        if self.lat is not None and not -90.0 <= self.lat <= 90.0:
            raise InvalidValue("area.lat", "latitude must be between -90 and 90", self.lat)
        if self.lon is not None and not -180.0 <= self.lon <= 180.0:
            raise InvalidValue("area.lon", "longitude must be between -180 and 180", self.lon)

    @property
    def has_coordinates(self) -> bool:
        """True when both latitude and longitude are known."""
        return self.lat is not None and self.lon is not None


class Geography:
    """Which neighbourhoods border each other (symmetric)."""

    __slots__ = ("_adjacent",)

    def __init__(self, adjacency: Mapping[str, Iterable[str]] | None = None) -> None:
        self._adjacent: dict[str, set[str]] = {}
        for a, others in (adjacency or {}).items():
            for b in others:
                if a != b:
                    self._adjacent.setdefault(a, set()).add(b)
                    self._adjacent.setdefault(b, set()).add(a)

    def neighbours(self, neighbourhood: str) -> frozenset[str]:
        """The neighbourhoods adjacent to this one."""
        return frozenset(self._adjacent.get(neighbourhood, ()))

    def are_adjacent(self, a: str, b: str) -> bool:
        """True when the two neighbourhoods share a border."""
        return b in self._adjacent.get(a, ())


def _minutes(value: time, *, is_end: bool) -> int:
    if value.tzinfo is not None:
        raise InvalidAvailability("time", "use local wall-clock times without a time zone")
    minutes = value.hour * 60 + value.minute
    if is_end and minutes == 0:
        return 24 * 60
    return minutes


def _check_span(field_name: str, start: time, end: time) -> None:
    s, e = _minutes(start, is_end=False), _minutes(end, is_end=True)
    if e <= s:
        raise InvalidAvailability(field_name, "end must be after start", (start, end))
    # Slots are counted in quarter hours, rounded inwards.
    if (e // 15) * 15 - ((s + 14) // 15) * 15 <= 0:
        raise InvalidAvailability(field_name, "a slot must cover at least one whole quarter hour")


@dataclass(frozen=True, slots=True)
class WeeklySlot:
    """A recurring weekly time window; weekday 0 is Monday; an end of 00:00 means midnight."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not 0 <= self.weekday <= 6:
            raise InvalidAvailability("weekday", "weekday must be 0 (Monday) to 6 (Sunday)", self.weekday)
        _check_span("weekly", self.start, self.end)

    @property
    def start_minute(self) -> int:
        """Minutes after midnight at which the slot starts."""
        return _minutes(self.start, is_end=False)

    @property
    def end_minute(self) -> int:
        """Minutes after midnight at which the slot ends (1440 for midnight)."""
        return _minutes(self.end, is_end=True)


@dataclass(frozen=True, slots=True)
class DatedSlot:
    """A time window on one calendar date (local wall-clock time)."""

    day: date
    start: time
    end: time

    def __post_init__(self) -> None:
        _check_span("dated", self.start, self.end)

    @property
    def start_minute(self) -> int:
        """Minutes after midnight at which the slot starts."""
        return _minutes(self.start, is_end=False)

    @property
    def end_minute(self) -> int:
        """Minutes after midnight at which the slot ends (1440 for midnight)."""
        return _minutes(self.end, is_end=True)

    @property
    def starts_at(self) -> datetime:
        """The start as a naive local datetime."""
        return datetime.combine(self.day, self.start)


@dataclass(frozen=True, slots=True)
class VolunteerProfile:
    """A resident offering skills and time."""

    id: str
    area: Area
    skills: tuple[str, ...]
    themes: tuple[str, ...] = ()
    weekly: tuple[WeeklySlot, ...] = ()
    dated: tuple[DatedSlot, ...] = ()
    commitments: int = 0
    max_commitments: int = 3
    active: bool = True

    def __post_init__(self) -> None:
        if self.commitments < 0 or self.max_commitments < 1:
            raise InvalidValue("commitments", "commitments must be >= 0 and max_commitments >= 1")


@dataclass(frozen=True, slots=True)
class VolunteerNeed:
    """What an initiative asks of volunteers."""

    initiative_id: str
    area: Area
    skills: tuple[str, ...]
    themes: tuple[str, ...] = ()
    weekly: tuple[WeeklySlot, ...] = ()
    dated: tuple[DatedSlot, ...] = ()
    hours: float | None = None
    declined_by: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.hours is not None and not 0 < self.hours <= 24 * 7:
            raise InvalidValue("hours", "hours must be between 0 and 168", self.hours)


@dataclass(frozen=True, slots=True)
class SpaceProfile:
    """A bookable room or place."""

    id: str
    name: str
    area: Area
    capacity: int
    price_per_hour_cents: int = 0
    wheelchair_accessible: bool = False
    accessible_toilet: bool = False
    facilities: tuple[str, ...] = ()
    opening: tuple[WeeklySlot, ...] = ()

    def __post_init__(self) -> None:
        if not 1 <= self.capacity <= 100_000:
            raise InvalidValue("capacity", "capacity must be between 1 and 100000", self.capacity)
        if self.price_per_hour_cents < 0:
            raise InvalidValue(
                "price_per_hour_cents", "price must not be negative", self.price_per_hour_cents
            )


@dataclass(frozen=True, slots=True)
class SpaceNeed:
    """What an initiative needs of a space."""

    area: Area
    people: int
    when: tuple[DatedSlot, ...] = ()
    wheelchair_accessible: bool = False
    accessible_toilet: bool = False
    required_facilities: tuple[str, ...] = ()
    wanted_facilities: tuple[str, ...] = ()
    max_price_per_hour_cents: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.people <= 100_000:
            raise InvalidValue("people", "people must be between 1 and 100000", self.people)
        if self.max_price_per_hour_cents is not None and self.max_price_per_hour_cents < 0:
            raise InvalidValue("max_price_per_hour_cents", "must not be negative")


@dataclass(frozen=True, slots=True)
class InitiativeDoc:
    """An initiative as the similarity index sees it."""

    id: str
    title: str
    area: Area
    story: str = ""
    themes: tuple[str, ...] = ()
    cost_lines: tuple[str, ...] = ()
    status: str = "draft"
    year: int | None = None
    granted_cents: int | None = None
    contact_consent: bool = False
