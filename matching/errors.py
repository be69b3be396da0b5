"""Specific exceptions the matching engine raises for bad input."""


class MatchingError(ValueError):
    """Base class: bad input to the matching engine; carries the field and a reason code."""

    code = "matching_error"

    def __init__(self, field: str, reason: str, value: object = None) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.value = value


class EmptyQuery(MatchingError):  # noqa: N818
    """The query has no searchable words (empty, only stop words or punctuation)."""

    code = "empty_query"


class AbsurdQuery(MatchingError):  # noqa: N818
    """The query is too long, has too many words, or asks for an impossible number of results."""

    code = "absurd_query"


class UnknownSkill(MatchingError):  # noqa: N818
    """A skill that the catalogue does not know, with close suggestions."""

    code = "unknown_skill"

    def __init__(self, field: str, value: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(field, f"unknown skill {value!r}", value)
        self.suggestions = suggestions


class UnknownTheme(MatchingError):  # noqa: N818
    """A theme that the catalogue does not know."""

    code = "unknown_theme"

    def __init__(self, field: str, value: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(field, f"unknown theme {value!r}", value)
        self.suggestions = suggestions


class UnknownFacility(MatchingError):  # noqa: N818
    """A facility of a space that the catalogue does not know."""

    code = "unknown_facility"

    def __init__(self, field: str, value: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(field, f"unknown facility {value!r}", value)
        self.suggestions = suggestions


class InvalidAvailability(MatchingError):  # noqa: N818
    """A time slot that cannot exist: end before start, bad weekday, shorter than a quarter."""

    code = "invalid_availability"


class InvalidValue(MatchingError):  # noqa: N818
    """A number or coordinate out of its range (negative capacity, latitude 123 ...)."""

    code = "invalid_value"


class DuplicateId(MatchingError):  # noqa: N818
    """An item with this id is already in the index (use update)."""

    code = "duplicate_id"


class UnknownId(MatchingError):  # noqa: N818
    """No item with this id is in the index."""

    code = "unknown_id"


class BookingConflict(MatchingError):  # noqa: N818
    """The requested booking overlaps an existing booking of the space."""

    code = "booking_conflict"


class BookingInPast(MatchingError):  # noqa: N818
    """The requested booking starts before now."""

    code = "booking_in_past"


class OutsideOpeningHours(MatchingError):  # noqa: N818
    """The requested booking is not within the space's opening hours."""

    code = "outside_opening_hours"
