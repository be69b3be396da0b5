"""The initiative lifecycle as a pure transition table, with who may act and what comes next."""

from dataclasses import dataclass
from enum import StrEnum

from buurtbudget.initiatives.errors import IllegalTransition


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    READY_FOR_JURY = "ready_for_jury"
    GRANTED = "granted"
    PARTLY_GRANTED = "partly_granted"
    DECLINED = "declined"
    RUNNING = "running"
    REPORTED = "reported"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    RETURN_TO_DRAFT = "return_to_draft"
    MARK_READY = "mark_ready"
    GRANT = "grant"
    GRANT_PARTLY = "grant_partly"
    DECLINE = "decline"
    ACCEPT_GRANT = "accept_grant"
    DECLINE_GRANT = "decline_grant"
    START = "start"
    REPORT = "report"
    CLOSE = "close"
    WITHDRAW = "withdraw"


class Party(StrEnum):
    """Who acts, or who is the contact for the next step."""

    INITIATOR = "initiator"
    BROKER = "broker"
    JURY = "jury"


@dataclass(frozen=True, slots=True)
class Transition:
    """One row of the table: the target state, who may take it, and the next step it promises."""

    target: State
    actor: Party
    next_step: str
    contact: Party
    response_working_days: int | None


_EDITABLE = (State.DRAFT,)
_WITHDRAWABLE = (State.DRAFT, State.SUBMITTED, State.IN_REVIEW, State.READY_FOR_JURY)

TABLE: dict[tuple[State, Action], Transition] = {
    (State.DRAFT, Action.SUBMIT): Transition(State.SUBMITTED, Party.INITIATOR, "intake", Party.BROKER, 5),
    (State.SUBMITTED, Action.START_REVIEW): Transition(
        State.IN_REVIEW, Party.BROKER, "review", Party.BROKER, 10
    ),
    (State.IN_REVIEW, Action.RETURN_TO_DRAFT): Transition(
        State.DRAFT, Party.BROKER, "improve_and_resubmit", Party.INITIATOR, None
    ),
    (State.IN_REVIEW, Action.MARK_READY): Transition(
        State.READY_FOR_JURY, Party.BROKER, "jury_decides", Party.BROKER, 30
    ),
    (State.READY_FOR_JURY, Action.GRANT): Transition(
        State.GRANTED, Party.JURY, "start_the_work", Party.INITIATOR, None
    ),
    (State.READY_FOR_JURY, Action.GRANT_PARTLY): Transition(
        State.PARTLY_GRANTED, Party.JURY, "accept_partial_grant", Party.INITIATOR, 10
    ),
    (State.READY_FOR_JURY, Action.DECLINE): Transition(
        State.DECLINED, Party.JURY, "talk_to_broker", Party.BROKER, 10
    ),
    (State.GRANTED, Action.START): Transition(
        State.RUNNING, Party.INITIATOR, "report_back", Party.INITIATOR, None
    ),
    # A partial grant waits for the initiators' answer; declining returns the money to the pot.
    (State.PARTLY_GRANTED, Action.ACCEPT_GRANT): Transition(
        State.GRANTED, Party.INITIATOR, "start_the_work", Party.INITIATOR, None
    ),
    (State.PARTLY_GRANTED, Action.DECLINE_GRANT): Transition(
        State.CLOSED, Party.INITIATOR, "nothing", Party.BROKER, None
    ),
    (State.RUNNING, Action.REPORT): Transition(
        State.REPORTED, Party.INITIATOR, "report_check", Party.BROKER, 10
    ),
    (State.REPORTED, Action.CLOSE): Transition(State.CLOSED, Party.BROKER, "nothing", Party.BROKER, None),
    (State.DECLINED, Action.CLOSE): Transition(State.CLOSED, Party.BROKER, "nothing", Party.BROKER, None),
    **{
        (state, Action.WITHDRAW): Transition(
            State.WITHDRAWN, Party.INITIATOR, "nothing", Party.INITIATOR, None
        )
        for state in _WITHDRAWABLE
    },
}

# The first timeline entry of a new draft: the initiators fill it in and submit when ready.
CREATED = Transition(State.DRAFT, Party.INITIATOR, "complete_and_submit", Party.INITIATOR, None)


# Steps that move money: taken through the grant's answer, never as a bare lifecycle step.
GRANT_ANSWERS = frozenset({Action.ACCEPT_GRANT, Action.DECLINE_GRANT})


def transition(state: State, action: Action) -> Transition:
    """The row for taking `action` in `state`, or IllegalTransition."""
    try:
        return TABLE[state, action]
    except KeyError:
        raise IllegalTransition(
            f"cannot {action.value} an initiative that is {state.value}",
            state=state.value,
            action=action.value,
        ) from None


def allowed_actions(state: State) -> list[Action]:
    """The actions possible from `state`, in table order."""
    return [action for (from_state, action) in TABLE if from_state == state]


def is_editable(state: State) -> bool:
    """Only drafts change their content; later changes go through the broker."""
    return state in _EDITABLE


def is_public(state: State) -> bool:
    """Drafts are private to their initiators and the neighbourhood's brokers."""
    return state != State.DRAFT
