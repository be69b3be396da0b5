"""The pure parts of the round pages: reading the ballot form, the result's reasons, the money line."""

from fractions import Fraction

import pytest

from api.jury import ballot_form, result_view
from buurtbudget.formatting import money
from buurtbudget.jury.ballots import BallotKind, BallotRules
from buurtbudget.jury.errors import BallotOverLimit
from buurtbudget.jury.result import RoundResult

LINES = [
    ballot_form.Line(1, "Speeltuin", 600_00, recused=False),
    ballot_form.Line(2, "Buurtfeest", 500_00, recused=False),
    ballot_form.Line(3, "Moestuin", 300_00, recused=True),
]
BALLOT = [(1, "Speeltuin", 600_00), (2, "Buurtfeest", 500_00), (3, "Moestuin", 300_00)]


def euros(cents: int) -> str:
    return money(cents, "nl")


@pytest.mark.parametrize(
    ("rules", "typed", "marks", "errors"),
    [
        (BallotRules(BallotKind.APPROVAL), {"mark.1": "1", "mark.2": ""}, {1: 1}, {}),
        (
            BallotRules(BallotKind.APPROVAL),
            {"mark.1": "2"},
            {},
            {"mark.1": "Zet een vinkje om voor dit initiatief te stemmen, of laat het leeg."},
        ),
        (
            BallotRules(BallotKind.SCORE, max_score=5),
            {"mark.2": "-1"},
            {},
            {"mark.2": "Vul een heel getal in van 0 tot en met 5."},
        ),
        (
            BallotRules(BallotKind.CUMULATIVE),
            {"mark.1": "7", "mark.2": "veel"},
            {1: 7},
            {"mark.2": "Vul een heel aantal punten in: 0 of meer."},
        ),
        # A recused initiative has no field: a forged value is not read.
        (BallotRules(BallotKind.CUMULATIVE), {"mark.3": "5"}, {}, {}),
    ],
)
def test_reading_the_ballot_form(
    rules: BallotRules, typed: dict[str, str], marks: dict[int, int], errors: dict[str, str]
) -> None:
    assert ballot_form.read(rules, LINES, lambda name: typed.get(name, ""), "nl") == (marks, errors)


def test_the_running_total_says_when_the_ballot_is_over_its_limits() -> None:
    approval = BallotRules(BallotKind.APPROVAL, max_approvals=1, max_total_cents=1_000_00)
    assert ballot_form.totals(approval, LINES, {1: 1}) == ballot_form.Totals(1, 600_00, 1, over=False)
    assert ballot_form.totals(approval, LINES, {1: 1, 2: 1}).over
    points = BallotRules(BallotKind.CUMULATIVE, points=10)
    assert ballot_form.totals(points, LINES, {1: 6, 2: 4}) == ballot_form.Totals(2, 1_100_00, 10, over=False)
    assert ballot_form.totals(points, LINES, {1: 6, 2: 5}).over


def test_a_refused_total_is_told_with_the_numbers() -> None:
    approval = BallotRules(BallotKind.APPROVAL, max_total_cents=1_000_00)
    error = BallotOverLimit("too costly", field="marks", limit=1_000_00)
    assert ballot_form.refusal(error, approval, {1: 1, 2: 1}, LINES, "nl", euros) == {
        "ballot": "De initiatieven die u koos kosten samen €\xa01.100,00; hoogstens €\xa01.000,00 mag."
    }


def test_reasons_in_dutch_from_the_published_explanations() -> None:
    result = {
        "selected": ["1", "3"],
        "tie_break": "min-cost",
        "support": {"1": 5, "2": 3, "3": 3},
        "explanations": {
            "1": {"reason": "selected", "remaining": None, "winner": None, "theme": None},
            "2": {"reason": "lost-tie", "remaining": 40000, "winner": "3", "theme": None},
            "3": {"reason": "selected", "remaining": None, "winner": None, "theme": None},
        },
    }
    rows = result_view.rows(RoundResult.from_stored(result), BALLOT, "nl", euros)
    assert [(r.rank, r.initiative_id, r.outcome) for r in rows] == [
        (1, 1, "granted"),
        (2, 3, "granted"),
        (3, 2, "not"),
    ]
    assert rows[2].reason == "Verloor bij gelijke stand van Moestuin door de tie-break: lagere kosten"
    assert [r.bar_percent for r in rows] == ["100.00", "60.00", "60.00"]
    did_not_fit = {**result, "explanations": {"2": {"reason": "did-not-fit", "remaining": 320000}}}
    assert result_view.rows(RoundResult.from_stored(did_not_fit), BALLOT, "nl", euros)[2].reason == (
        "Past niet meer in het resterende bedrag van €\xa03.200,00"
    )


def test_a_partial_grant_in_the_result_is_shown_as_partly_granted() -> None:
    for published in (  # as the tally publishes it, with and without vote counts
        {"granted": {"1": 60000, "2": 25000}, "partial": {"2": 25000}, "votes": {"1": 2, "2": 1, "3": 0}},
        {"granted": {"1": 60000, "2": 25000}, "partial": {"2": 25000}},
    ):
        result = {"selected": ["1", "2"], "support": {"1": 2, "2": 1, "3": 0}, **published}
        rows = {
            r.initiative_id: r for r in result_view.rows(RoundResult.from_stored(result), BALLOT, "nl", euros)
        }
        assert rows[2].outcome == "partly"
        assert rows[2].granted_cents == 250_00
        assert rows[2].reason == "€\xa0250,00 toegekend van de gevraagde €\xa0500,00"
        assert rows[1].outcome == "granted"
        assert rows[2].votes == (1 if "votes" in published else None)


def test_the_money_line_shows_where_the_money_ran_out() -> None:
    result = {"selected": ["1", "3"], "support": {"1": 5, "2": 3, "3": 2}}
    line = result_view.money_line(
        result_view.rows(RoundResult.from_stored(result), BALLOT, "nl", euros), 1_000_00
    )
    assert (line.granted_cents, line.left_cents) == (900_00, 100_00)
    assert line.budget_percent == f"{100 * 1000 / 1100:.2f}"  # the scale reaches to the end of what stuck out
    granted, ran_out, after = line.steps
    assert (granted.fits, granted.start_percent, granted.left_after_cents) == (True, "0.00", 400_00)
    assert (ran_out.fits, ran_out.ran_out_here, ran_out.left_after_cents) == (False, True, 400_00)
    assert ran_out.start_percent == granted.width_percent  # drawn from where the money stood
    assert (after.fits, after.ran_out_here, after.granted_after_cents) == (True, False, 900_00)
    assert Fraction(after.width_percent) > 0
