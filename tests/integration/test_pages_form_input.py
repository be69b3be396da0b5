"""Reading the step form's fields: euros as people type them, rows with errors, service fields mapped back."""

import pytest

from api.initiatives import form_input


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("250", 250_00),
        ("12,50", 12_50),
        ("12,5", 12_50),
        ("1.250,50", 1_250_50),
        ("1250.50", 1_250_50),
        ("€ 1.200", 1_200_00),
        ("1 000", 1_000_00),
        ("0,99", 99),
        ("", None),
        ("veel", None),
        ("12,345", None),
        ("-5", None),
    ],
)
def test_amounts_in_euros_become_cents_without_floats(typed: str, cents: int | None) -> None:
    assert form_input.parse_amount(typed) == cents


def test_blank_rows_are_skipped_and_half_filled_rows_get_an_error_per_field() -> None:
    fields = {
        "cost_lines.0.description": "Bankje",
        "cost_lines.0.amount": "100",
        "cost_lines.2.description": "Verf",
        "cost_lines.2.amount": "veel",
        "cost_lines.3.amount": "5",
    }
    parsed = form_input.cost_lines(lambda name: fields.get(name, ""), 4)
    assert [line.amount_cents for line in parsed.items] == [100_00]
    assert parsed.rows == [0]
    assert parsed.errors == {
        "cost_lines.2.amount": form_input.AMOUNT_ERROR,
        "cost_lines.3.description": form_input.DESCRIPTION_ERROR,
    }
    assert form_input.running_total(lambda name: fields.get(name, ""), 4) == 105_00
    assert form_input.unreadable_amounts(lambda name: fields.get(name, ""), 4) == 1


def test_a_field_the_service_names_points_back_to_the_form_row() -> None:
    rows = {"cost_lines": [0, 3]}
    assert form_input.form_field("cost_lines.1.amount_cents", rows) == "cost_lines.3.amount"
    assert form_input.form_field("space_needs.0.ends_at", rows) == "space.date"
    assert form_input.form_field("title", rows) == "title"


def test_a_space_needs_a_day_and_times() -> None:
    fields = {
        "space.description": "Zaal",
        "space.capacity": "30",
        "space.date": "2026-05-01",
        "space.start": "14:00",
    }
    parsed = form_input.space_need(lambda name: fields.get(name, ""))
    assert parsed.errors == {"space.date": form_input.DATE_ERROR}
    fields["space.end"] = "17:00"
    [space] = form_input.space_need(lambda name: fields.get(name, "")).items
    assert space.starts_at.utcoffset() is not None
    assert (space.ends_at - space.starts_at).seconds == 3 * 3600
