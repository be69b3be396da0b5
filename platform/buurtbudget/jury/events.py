"""Events of a round that people must hear about: a juror recused after the draw, a round cancelled."""

from dataclasses import dataclass

from buurtbudget.events import DomainEvent


@dataclass(frozen=True, slots=True)
class JurorRecused(DomainEvent):
    """A juror no longer votes on an initiative (a role or a conflict arose); a mark may have been removed."""

    round_id: int
    person_id: int
    initiative_id: int
    reason: str
    marks_removed: bool


@dataclass(frozen=True, slots=True)
class RoundCancelled(DomainEvent):
    """The municipality cancelled a round: its jurors and the initiators on its ballot are told why."""

    round_id: int


@dataclass(frozen=True, slots=True)
class JuryDrawn(DomainEvent):
    """The lot seated these jurors and reserves (person ids)."""

    round_id: int
    jurors: tuple[int, ...]
    reserves: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RoundDecided(DomainEvent):
    """The round closed with a result (by the municipality, or by the system at its closing time)."""

    round_id: int
