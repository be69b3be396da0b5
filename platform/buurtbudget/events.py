"""Domain events: what services record, and the subscribers that turn them into outbox work."""

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession


class DomainEvent:
    """Base of the events services record (frozen dataclasses in each context's `events.py`)."""


Subscriber = Callable[[AsyncSession, Any], Awaitable[None]]
_SUBSCRIBERS: dict[type[DomainEvent], list[Subscriber]] = {}
EventT = TypeVar("EventT", bound=DomainEvent)
TypedSubscriber = Callable[[AsyncSession, EventT], Awaitable[None]]


def subscribe(
    event_type: type[EventT],
) -> Callable[[TypedSubscriber[EventT]], TypedSubscriber[EventT]]:
    """Register a subscriber that runs in the unit of work that recorded the event, just before commit."""

    def register(subscriber: TypedSubscriber[EventT]) -> TypedSubscriber[EventT]:
        _SUBSCRIBERS.setdefault(event_type, []).append(subscriber)
        return subscriber

    return register


async def dispatch(session: AsyncSession, event: DomainEvent) -> None:
    """Hand `event` to its subscribers; an event nobody subscribed to is a programming error."""
    # The subscribers live beside the contexts they notify; importing them here (once, lazily) keeps the
    # contexts free of a dependency on each other's notifications.
    import buurtbudget.notifications.subscribers  # noqa: F401, PLC0415

    subscribers = _SUBSCRIBERS.get(type(event))
    if not subscribers:
        raise LookupError(f"no subscriber for {type(event).__name__}")
    for subscriber in subscribers:
        await subscriber(session, event)
