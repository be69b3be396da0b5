"""Money and dates as people read them: `€ 1.250,00`, in Europe/Amsterdam time."""

from datetime import UTC, datetime
from decimal import Decimal

from babel.dates import format_date as babel_format_date
from babel.dates import format_datetime as babel_format_datetime
from babel.numbers import format_currency

from buurtbudget.workdays import AMSTERDAM

BABEL_LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def money(cents: int, locale: str) -> str:
    """Euro cents as a currency amount, without ever passing through a float."""
    return format_currency(Decimal(cents) / 100, "EUR", locale=BABEL_LOCALES.get(locale, "nl_NL"))


def moment(value: datetime, locale: str) -> str:
    """A date and time in Amsterdam time."""
    return babel_format_datetime(
        value, "d MMMM y, HH:mm", tzinfo=AMSTERDAM, locale=BABEL_LOCALES.get(locale, "nl_NL")
    )


def clock(value: datetime, locale: str) -> str:
    """Only the time of day, in Amsterdam time (the end of a period that starts on the same day)."""
    return babel_format_datetime(value, "HH:mm", tzinfo=AMSTERDAM, locale=BABEL_LOCALES.get(locale, "nl_NL"))


def day(value: datetime, locale: str) -> str:
    """Only the date, in Amsterdam time."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)  # stored as UTC
    return babel_format_date(
        aware.astimezone(AMSTERDAM), "d MMMM y", locale=BABEL_LOCALES.get(locale, "nl_NL")
    )
