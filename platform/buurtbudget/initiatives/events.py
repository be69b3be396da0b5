"""Events of an initiative's life that other people must hear about."""

from dataclasses import dataclass

from buurtbudget.events import DomainEvent


@dataclass(frozen=True, slots=True)
class StepTaken(DomainEvent):
    """The initiative moved from `previous` to `state` by `action` (taken by `actor_id`)."""

    initiative_id: int
    previous: str
    state: str
    action: str
    actor_id: int | None


@dataclass(frozen=True, slots=True)
class CoInitiatorInvited(DomainEvent):
    """`inviter_id` asked `invitee_id` to join the initiative."""

    initiative_id: int
    invitee_id: int
    inviter_id: int | None
