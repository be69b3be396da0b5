"""Gettext catalogs from frontend/translations, compiled in memory when first used.

Message ids are English; Dutch is the default language of the interface.
"""

import gettext as _gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS_DIR = Path(__file__).resolve().parents[2] / "frontend" / "translations"
DEFAULT_LOCALE = "nl"
LOCALES = ("nl", "en")


def N_(message: str) -> str:  # noqa: N802  (the gettext convention for "mark, translate later")
    """Mark a message for extraction without translating it here."""
    return message


@cache
def translations(locale: str) -> _gettext.NullTranslations:
    """The catalog of `locale`; English (the message ids) needs none."""
    po_file = TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == "en" or not po_file.exists():
        return _gettext.NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(message: str, locale: str = DEFAULT_LOCALE) -> str:
    """`message` in `locale`."""
    return translations(locale).gettext(message)


def best_locale(accept_language: str | None) -> str:
    """The first supported language in an Accept-Language header, else Dutch."""
    if not accept_language:
        return DEFAULT_LOCALE
    ranked: list[tuple[float, str]] = []
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((quality, tag.strip().lower().split("-")[0]))
    for _quality, language in sorted(ranked, key=lambda item: -item[0]):
        if language in LOCALES:
            return language
    return DEFAULT_LOCALE
