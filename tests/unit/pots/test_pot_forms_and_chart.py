"""The pot pages' pure parts: reading Dutch euro amounts and dates from forms, and the chart's geometry."""

from datetime import date

import pytest

from api.initiatives.form_input import AMOUNT_ERROR
from api.pots import chart, forms
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.ledger import PotSummary
from buurtbudget.pots.models import Pot
from buurtbudget.pots.report import RoundMoney
from buurtbudget.pots.reporting import PotReport, RoundLine


def getter(values: dict[str, str]) -> forms.Getter:
    return lambda name: values.get(name, "")


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("1.234,56", 1_234_56), ("1234,5", 1_234_50), ("€ 12", 12_00), ("250", 250_00), (" 0,01 ", 1)],
)
def test_funding_reads_dutch_euros_into_cents(typed: str, cents: int) -> None:
    read = forms.funding(getter({"amount": typed, "memo": "Bijdrage"}))
    assert (read.amount_cents, read.memo, read.errors) == (cents, "Bijdrage", {})


@pytest.mark.parametrize("typed", ["", "0", "0,00", "-5", "twaalf", "12,345", "1.2.3", "12,50 euro"])
def test_a_wrong_amount_is_named_at_its_field(typed: str) -> None:
    assert forms.funding(getter({"amount": typed})).errors == {"amount": AMOUNT_ERROR}


def test_a_note_is_one_short_line() -> None:
    assert forms.funding(getter({"amount": "5", "memo": "a\nb"})).errors == {"memo": forms.MEMO_ERROR}
    assert forms.funding(getter({"amount": "5", "memo": "x" * 301})).errors == {"memo": forms.MEMO_ERROR}


def test_a_theme_budget_takes_only_a_theme_offered() -> None:
    offered = {"groen": "green"}
    assert forms.theme_budget(getter({"theme": "groen", "amount": "10"}), offered).errors == {}
    assert forms.theme_budget(getter({"theme": "geheim", "amount": "10"}), offered).errors == {
        "theme": forms.THEME_ERROR
    }


def test_the_fast_track_amount_may_be_left_empty_and_seats_are_1_to_25() -> None:
    none = forms.fast_track(getter({"threshold": "", "seats": "3"}))
    assert (none.threshold_cents, none.seats, none.errors) == (None, 3, {})
    bad = forms.fast_track(getter({"threshold": "veel", "seats": "26"}))
    assert bad.errors == {"threshold": AMOUNT_ERROR, "seats": forms.SEATS_ERROR}


def test_a_new_pot_needs_a_neighbourhood_a_name_and_two_dates() -> None:
    read = forms.new_pot(
        getter(
            {
                "neighbourhood_id": "4",
                "name": " Ondiep 2027 ",
                "period_start": "2027-01-01",
                "period_end": "2027-12-31",
            }
        )
    )
    assert read.plan == forms.PotPlan(4, "Ondiep 2027", date(2027, 1, 1), date(2027, 12, 31))
    empty = forms.new_pot(getter({"period_start": "31-12-2027", "period_end": "0001-01-01"}))
    assert empty.plan is None
    assert set(empty.errors) == {"neighbourhood_id", "name", "period_start", "period_end"}


def test_the_guide_form_leaves_maximum_and_date_optional() -> None:
    read = forms.guide(getter({"criteria": "Voor de buurt."}))
    assert read.guide is not None
    assert (read.guide.max_per_initiative_cents, read.guide.next_round_on) == (None, None)
    bad = forms.guide(
        getter({"max_per_initiative": "0", "next_round_on": "morgen", "payment_text": "x" * 5001})
    )
    assert bad.guide is None
    assert set(bad.errors) == {"max_per_initiative", "next_round_on", "payment_text"}


def report(received: int, granted: int, reserved: int, rounds: list[RoundMoney]) -> PotReport:
    summary = PotSummary(received, received - granted - reserved, reserved, granted)
    return PotReport(
        pot=Pot(id=1, name="Pot"),
        neighbourhood=Neighbourhood(id=1, name="Zuilen"),
        summary=summary,
        themes={},
        rounds=[RoundLine(money, f"Ronde {money.round_id}", "closed") for money in rounds],
    )


def test_the_pot_bar_lays_its_parts_end_to_end_over_what_came_in() -> None:
    segments = chart.pot_bar(report(1_000_00, 600_00, 100_00, []))
    assert [(s.part, s.start_percent, s.width_percent) for s in segments] == [
        ("granted", 0.0, 60.0),
        ("reserved", 60.0, 10.0),
        ("left", 70.0, 30.0),  # nothing is drawn for paid out: it is zero
    ]
    assert chart.pot_bar(report(0, 0, 0, [])) == []
    assert chart.share(1, 3) == 33
    assert chart.share(5, 0) == 0


def test_round_bars_are_scaled_to_the_round_that_set_most_aside() -> None:
    big = RoundMoney(1, reserved_cents=1_000_00, granted_cents=600_00, released_cents=400_00)
    small = RoundMoney(2, reserved_cents=500_00, granted_cents=0, released_cents=0)
    bars = chart.round_bars(report(2_000_00, 600_00, 500_00, [big, small]))
    assert [(s.part, s.width_percent) for s in bars[0].segments] == [("granted", 60.0), ("released", 40.0)]
    assert [(s.part, s.width_percent) for s in bars[1].segments] == [("held", 50.0)]
