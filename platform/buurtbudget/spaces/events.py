"""Events of a space's agenda that its owner and the booker must hear about."""

from dataclasses import dataclass

from buurtbudget.events import DomainEvent


@dataclass(frozen=True, slots=True)
class BookingChanged(DomainEvent):
    """A booking was made (`cancelled` False) or cancelled, by `actor_id`."""

    booking_id: int
    cancelled: bool
    actor_id: int | None
