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
