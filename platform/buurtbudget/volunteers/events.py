"""Events of a volunteer match that its two sides must hear about."""

from dataclasses import dataclass

from buurtbudget.events import DomainEvent


@dataclass(frozen=True, slots=True)
class MatchProposed(DomainEvent):
    """A volunteer offered help (`offering`) or an initiative invited a volunteer; the other side answers."""

    match_id: int
    offering: bool


@dataclass(frozen=True, slots=True)
class MatchAgreed(DomainEvent):
    """Both sides said yes: they get each other's contacts."""

    match_id: int
