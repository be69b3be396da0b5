"""Extracting translatable messages from code and templates, and keeping the catalogs up to date."""

import importlib
import inspect
import pkgutil
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

import buurtbudget
from buurtbudget.errors import DomainError
from buurtbudget.i18n import LOCALES, TRANSLATIONS_DIR
from buurtbudget.settings import PROJECT_ROOT


def domain_error_names() -> tuple[str, ...]:
    """The class names of every domain error, found in each `errors` module of the core package."""
    names = {DomainError.__name__}
    for module_info in pkgutil.walk_packages(buurtbudget.__path__, "buurtbudget."):
        if module_info.name.rpartition(".")[2] == "errors":
            module = importlib.import_module(module_info.name)
            names.update(
                name
                for name, value in inspect.getmembers(module, inspect.isclass)
                if issubclass(value, DomainError)
            )
    return tuple(sorted(names))


DOMAIN_ERRORS = domain_error_names()
# gettext calls, and the first argument of every domain error (their messages reach people as 'detail').
KEYWORDS: dict[str, tuple[int, ...] | None] = {
    "_": None,
    "gettext": None,
    "N_": None,
    **dict.fromkeys(DOMAIN_ERRORS, (1,)),
}
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
SOURCES = [
    PROJECT_ROOT / "platform" / "buurtbudget",
    PROJECT_ROOT / "api",
    PROJECT_ROOT / "frontend" / "templates",
]


def extracted() -> Iterator[tuple[str, str]]:
    """(message, 'file:line') for every translatable message in the sources."""
    for source in SOURCES:
        for filename, line, message, _comments, _context in extract_from_dir(
            source, METHODS, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
        ):
            if isinstance(message, str) and message:
                yield message, f"{Path(source.name) / filename}:{line}"


def po_path(locale: str) -> Path:
    return TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po"


def update_catalogs() -> dict[str, int]:
    """Add new messages to each catalog, keep translations, drop vanished ones; count the untranslated."""
    template = Catalog(project="Buurtbudget", msgid_bugs_address="", charset="utf-8")
    for message, location in extracted():
        file, _, line = location.rpartition(":")
        template.add(message, locations=[(file, int(line))])
    untranslated = {}
    for locale in LOCALES:
        if locale == "en":
            continue
        path = po_path(locale)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="Buurtbudget", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=True, include_previous=False)
        untranslated[locale] = sum(1 for message in catalog if message.id and not message.string)
    return untranslated
