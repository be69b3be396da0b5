"""Errors of the spaces context: registering spaces, booking and cancelling them."""

from buurtbudget.errors import Conflict, InvalidInput, NotAllowed


class NotASpaceManager(NotAllowed):
    """Only the space's owner, or a broker of its neighbourhood, changes it."""

    code = "not_a_space_manager"


class UnknownFacility(InvalidInput):
    """A facility the catalogue does not know."""

    code = "unknown_facility"


class BookingConflict(Conflict):
    """The space is already booked for (part of) that time."""

    code = "booking_conflict"


class SpaceNotBookable(Conflict):
    """The owner has closed the space for new bookings."""

    code = "space_not_bookable"


class BookingEndsBeforeStart(InvalidInput):
    """The end of the booking is not after its start."""

    code = "booking_ends_before_start"


class BookingInPast(InvalidInput):
    """The booking would start before now."""

    code = "booking_in_past"


class BookingTooFarAhead(InvalidInput):
    """The booking starts further ahead than spaces can be booked."""

    code = "booking_too_far_ahead"


class BookingTooLong(InvalidInput):
    """The booking is longer than the longest booking allowed."""

    code = "booking_too_long"


class BookingSpansDays(InvalidInput):
    """A booking starts and ends on the same day."""

    code = "booking_spans_days"


class NotOnQuarterHour(InvalidInput):
    """Bookings start and end on a whole quarter of an hour."""

    code = "not_on_quarter_hour"


class OutsideOpeningHours(InvalidInput):
    """The space is closed during (part of) the booking."""

    code = "outside_opening_hours"


class OverCapacity(InvalidInput):
    """More people than the space holds."""

    code = "over_capacity"


class AlreadyCancelled(Conflict):
    """The booking was cancelled before."""

    code = "already_cancelled"


class BookingOver(Conflict):
    """A booking that has already begun cannot be cancelled any more."""

    code = "booking_over"
