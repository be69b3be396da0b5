"""The initiative lifecycle table: every legal step, every illegal one, and its shape."""

import pytest

from buurtbudget.initiatives.errors import IllegalTransition
from buurtbudget.initiatives.lifecycle import (
    TABLE,
    Action,
    Party,
    State,
    allowed_actions,
    is_public,
    transition,
)

LEGAL = [
    (State.DRAFT, Action.SUBMIT, State.SUBMITTED, Party.INITIATOR),
    (State.SUBMITTED, Action.START_REVIEW, State.IN_REVIEW, Party.BROKER),
    (State.IN_REVIEW, Action.RETURN_TO_DRAFT, State.DRAFT, Party.BROKER),
    (State.IN_REVIEW, Action.MARK_READY, State.READY_FOR_JURY, Party.BROKER),
    (State.READY_FOR_JURY, Action.GRANT, State.GRANTED, Party.JURY),
    (State.READY_FOR_JURY, Action.GRANT_PARTLY, State.PARTLY_GRANTED, Party.JURY),
    (State.READY_FOR_JURY, Action.DECLINE, State.DECLINED, Party.JURY),
    (State.GRANTED, Action.START, State.RUNNING, Party.INITIATOR),
    (State.PARTLY_GRANTED, Action.ACCEPT_GRANT, State.GRANTED, Party.INITIATOR),
    (State.PARTLY_GRANTED, Action.DECLINE_GRANT, State.CLOSED, Party.INITIATOR),
    (State.RUNNING, Action.REPORT, State.REPORTED, Party.INITIATOR),
    (State.REPORTED, Action.CLOSE, State.CLOSED, Party.BROKER),
    (State.DECLINED, Action.CLOSE, State.CLOSED, Party.BROKER),
    (State.DRAFT, Action.WITHDRAW, State.WITHDRAWN, Party.INITIATOR),
    (State.SUBMITTED, Action.WITHDRAW, State.WITHDRAWN, Party.INITIATOR),
    (State.IN_REVIEW, Action.WITHDRAW, State.WITHDRAWN, Party.INITIATOR),
    (State.READY_FOR_JURY, Action.WITHDRAW, State.WITHDRAWN, Party.INITIATOR),
]


@pytest.mark.parametrize(("state", "action", "target", "actor"), LEGAL)
def test_legal_transitions(state: State, action: Action, target: State, actor: Party) -> None:
    step = transition(state, action)
    assert (step.target, step.actor) == (target, actor)


def test_the_table_is_exactly_the_legal_list() -> None:
    assert {(s, a) for s, a, _t, _p in LEGAL} == set(TABLE)


@pytest.mark.parametrize(
    ("state", "action"),
    [(s, a) for s in State for a in Action if (s, a) not in TABLE],
)
def test_every_other_pair_is_illegal(state: State, action: Action) -> None:
    with pytest.raises(IllegalTransition) as caught:
        transition(state, action)
    assert caught.value.params == {"state": state.value, "action": action.value}


def test_closed_and_withdrawn_are_final() -> None:
    assert allowed_actions(State.CLOSED) == []
    assert allowed_actions(State.WITHDRAWN) == []


def test_every_state_is_reachable_from_draft() -> None:
    reached = {State.DRAFT}
    while new := {step.target for (state, _a), step in TABLE.items() if state in reached} - reached:
        reached |= new
    assert reached == set(State)


def test_every_step_promises_a_next_step_and_a_contact() -> None:
    for step in TABLE.values():
        assert step.next_step
        assert step.contact in Party
        assert step.response_working_days is None or step.response_working_days > 0


def test_only_drafts_are_private() -> None:
    assert [s for s in State if not is_public(s)] == [State.DRAFT]


def test_a_partial_grant_is_answered_before_the_work_starts() -> None:
    assert allowed_actions(State.PARTLY_GRANTED) == [Action.ACCEPT_GRANT, Action.DECLINE_GRANT]
