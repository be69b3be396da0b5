"""The open-round form's reading and a round's steps, as pure functions (no database)."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from api.jury import open_form
from buurtbudget.jury.allocation import Rule, TieBreak
from buurtbudget.jury.ballots import BallotKind
from buurtbudget.jury.management import DONE, LATER, NEXT, SKIPPED, steps_of

GOOD = {
    "name": "Najaarsronde",
    "mode": "open",
    "track": "regular",
    "amount": "2.500,50",
    "ballot_kind": "score",
    "max_approvals": "",
    "max_total": "",
    "max_score": "5",
    "points": "10",
    "rule": "mes",
    "tie_break": "min-cost",
    "voting_opens_at": "2027-03-14T20:00",
    "voting_closes_at": "2027-03-28T20:00",
    "deliberation_opens_at": "2027-03-07T19:30",
    "decision_due_on": "2027-04-01",
    "quorum": "12",
    "min_support": "0",
    "partial_grants": "",
}


def test_a_good_form_becomes_the_plan_with_amsterdam_times_in_utc() -> None:
    read = open_form.read(GOOD, ["3", "1", "3"])
    assert read.errors == {}
    plan = read.plan
    assert plan is not None
    assert (plan.name, plan.mode, plan.amount_cents, plan.initiative_ids) == (
        "Najaarsronde",
        "open",
        250_050,
        [1, 3],
    )
    assert (plan.rules.kind, plan.rules.max_score, plan.rule, plan.tie_break) == (
        BallotKind.SCORE,
        5,
        Rule.MES,
        TieBreak.MIN_COST,
    )
    assert plan.voting_opens_at == datetime(2027, 3, 14, 19, 0, tzinfo=UTC)  # winter time: UTC+1
    assert plan.voting_closes_at == datetime(2027, 3, 28, 18, 0, tzinfo=UTC)  # summer time: UTC+2
    assert plan.deliberation_opens_at == datetime(2027, 3, 7, 18, 30, tzinfo=UTC)
    assert (plan.quorum, plan.min_support, plan.partial_grants) == (12, 0, False)
    assert open_form.amsterdam_text(plan.voting_closes_at) == "2027-03-28T20:00"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "ab"}, "name"),
        ({"name": "Ronde\nmet regel"}, "name"),
        ({"amount": "1.000.000.000.000"}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"ballot_kind": "ranked"}, "ballot_kind"),
        ({"max_approvals": "0"}, "max_approvals"),
        ({"max_score": "101"}, "max_score"),
        ({"points": "²"}, "points"),
        ({"tie_break": ""}, "tie_break"),
        ({"voting_opens_at": "2027-03-14T20:00+01:00"}, "voting_opens_at"),
        ({"voting_closes_at": "10000-01-01T00:00"}, "voting_closes_at"),
        ({"deliberation_opens_at": "gisteren"}, "deliberation_opens_at"),
        ({"decision_due_on": "0001-01-01"}, "decision_due_on"),
        ({"quorum": "10001"}, "quorum"),
        ({"min_support": ""}, "min_support"),
        ({"track": "snel"}, "track"),
    ],
)
def test_each_bad_value_is_named_by_its_field_and_no_plan_is_made(change: dict[str, str], field: str) -> None:
    read = open_form.read({**GOOD, **change}, ["1"])
    assert field in read.errors
    assert read.plan is None
    assert read.values[field] == change[field]  # shown again as typed


def test_no_initiative_or_an_unreadable_one_is_an_error() -> None:
    assert "initiative_ids" in open_form.read(GOOD, []).errors
    assert "initiative_ids" in open_form.read(GOOD, ["1", "een"]).errors


NOW = datetime(2027, 3, 20, tzinfo=UTC)


def a_round(mode: str = "jury", state: str = "open", closes: timedelta = timedelta(days=1)) -> Any:
    return SimpleNamespace(mode=mode, state=state, voting_closes_at=NOW + closes)


@pytest.mark.parametrize(
    ("round_", "frozen", "drawn", "expected"),
    [
        (a_round(), False, False, [NEXT, LATER, LATER, LATER, LATER]),
        (a_round(), True, False, [DONE, NEXT, LATER, LATER, LATER]),
        (a_round(), True, True, [DONE, DONE, NEXT, LATER, LATER]),
        (a_round(closes=-timedelta(hours=1)), True, True, [DONE, DONE, DONE, NEXT, LATER]),
        (a_round(state="closed"), True, True, [DONE] * 5),
        (a_round(state="cancelled"), True, False, [DONE, SKIPPED, SKIPPED, SKIPPED, SKIPPED]),
        (a_round(mode="open"), False, False, [NEXT, LATER, LATER]),
        (a_round(mode="open", closes=-timedelta(days=1)), False, False, [DONE, NEXT, LATER]),
    ],
)
def test_the_steps_in_order_with_what_is_done_and_what_comes_next(
    round_: Any, frozen: bool, drawn: bool, expected: list[str]
) -> None:
    assert [step.status for step in steps_of(round_, frozen=frozen, drawn=drawn, now=NOW)] == expected
