"""Form errors for people: message ids by field, turned into sentences in the visitor's language."""

from collections.abc import Mapping

from buurtbudget.i18n import gettext


def sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def translated(errors: Mapping[str, str], locale: str) -> dict[str, str]:
    """Error message ids as sentences in the visitor's language."""
    return {field: sentence(gettext(message, locale)) for field, message in errors.items()}
