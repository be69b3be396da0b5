"""Form errors for people: message ids by field, turned into sentences in the visitor's language."""

import unicodedata
from collections.abc import Mapping
from typing import Annotated

from litestar.params import QueryParameter

from buurtbudget.i18n import N_, gettext

ID_MAX = 2**31 - 1  # ids are 32-bit integers in the database

FILTER_NUMBER_ERROR = N_("Fill in a whole number, like 30, or leave this empty.")
ONE_LINE_ERROR = N_("Write this on one line, without line breaks or tabs.")

# A number typed into a page's filter arrives as text: empty means "not given", not an error.
NumberText = Annotated[str | None, QueryParameter(max_length=20)]


def sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def translated(errors: Mapping[str, str], locale: str) -> dict[str, str]:
    """Error message ids as sentences in the visitor's language."""
    return {field: sentence(gettext(message, locale)) for field, message in errors.items()}


def whole_number(text: str | None, *, minimum: int = 0, maximum: int = ID_MAX) -> int | None:
    """Digits 0-9 typed into a form as a number from `minimum` to `maximum`, else None.

    `str.isdigit` also accepts digits such as "²" that `int` cannot read, so it is not enough alone.
    """
    cleaned = (text or "").strip()
    if cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 10 and minimum <= int(cleaned) <= maximum:
        return int(cleaned)
    return None


def filter_number(
    name: str, text: str | None, errors: dict[str, str], *, minimum: int, maximum: int
) -> int | None:
    """A whole number typed into a filter: None when left empty; an error by `name` when not a number
    from `minimum` to `maximum` (then None as well, so the page shows what it would without it)."""
    if not (text or "").strip():
        return None
    number = whole_number(text, minimum=minimum, maximum=maximum)
    if number is None:
        errors[name] = FILTER_NUMBER_ERROR
    return number


def is_one_line(text: str) -> bool:
    """No line breaks or other control characters: names and titles end up in mail subjects."""
    return not any(unicodedata.category(char) == "Cc" or char in "\u2028\u2029" for char in text)


def check_one_line(fields: Mapping[str, str], errors: dict[str, str]) -> None:
    """An error by each named field whose text is not one line."""
    for name, text in fields.items():
        if not is_one_line(text):
            errors.setdefault(name, ONE_LINE_ERROR)
