"""Money and dates read the way people expect: `€ 1.250,00` and Amsterdam time."""

from datetime import UTC, datetime

import pytest

from buurtbudget.formatting import day, moment, money
from buurtbudget.workdays import add_working_days

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("cents", "locale", "expected"),
    [
        (125_000, "nl", f"€{NBSP}1.250,00"),
        (5, "nl", f"€{NBSP}0,05"),
        (100_000_000_00, "nl", f"€{NBSP}100.000.000,00"),
        (125_000, "en", "€1,250.00"),
        (1, "en", "€0.01"),
    ],
)
def test_money(cents: int, locale: str, expected: str) -> None:
    assert money(cents, locale) == expected


def test_times_are_shown_in_amsterdam_time() -> None:
    summer = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
    winter = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)
    assert moment(summer, "nl") == "1 juli 2026, 12:00"
    assert day(winter, "nl") == "16 januari 2026"  # already the next day in Amsterdam
    assert moment(winter, "en") == "16 January 2026, 00:30"


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (datetime(2026, 11, 20, 9, tzinfo=UTC), 1, datetime(2026, 11, 23, 9, tzinfo=UTC)),  # Friday → Monday
        (
            datetime(2026, 4, 24, 9, tzinfo=UTC),
            1,
            datetime(2026, 4, 28, 9, tzinfo=UTC),
        ),  # over King's Day (Mon 27)
        (datetime(2026, 12, 24, 9, tzinfo=UTC), 1, datetime(2026, 12, 28, 9, tzinfo=UTC)),  # over Christmas
        (datetime(2026, 11, 23, 9, tzinfo=UTC), 5, datetime(2026, 11, 30, 9, tzinfo=UTC)),
        (datetime(2026, 11, 23, 9, tzinfo=UTC), 0, datetime(2026, 11, 23, 9, tzinfo=UTC)),
    ],
)
def test_working_days_skip_weekends_and_dutch_holidays(
    start: datetime, days: int, expected: datetime
) -> None:
    assert add_working_days(start, days) == expected
