"""Rendering pages with the request's language, formatters and sign-in state in the context."""

from typing import Any

from litestar import Request
from litestar.response import Template
from sqlalchemy import inspect

from api.dependencies import locale_of, manages, session_person_id
from buurtbudget import formatting
from buurtbudget.i18n import gettext
from buurtbudget.initiatives.themes import theme_labels
from buurtbudget.places.looks import DEFAULT_LOOK, Look, look_of
from buurtbudget.places.models import Neighbourhood


def _look(context: dict[str, Any]) -> Look:
    """The look a page wears: given as `look`, else its neighbourhood's municipality's, else the default."""
    given = context.get("look")
    if isinstance(given, Look):
        return given
    neighbourhood = context.get("neighbourhood")
    if isinstance(neighbourhood, Neighbourhood) and "municipality" not in inspect(neighbourhood).unloaded:
        return look_of(neighbourhood.municipality)
    return DEFAULT_LOOK


def page(
    request: Request[Any, Any, Any],
    template: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Template:
    """A page in the visitor's language."""
    locale = locale_of(request)
    return Template(
        template_name=template,
        status_code=status_code,
        headers=headers,
        context={
            **context,
            "look": _look(context),
            "_": lambda message: gettext(message, locale),
            "theme_labels": lambda keys: theme_labels(keys, locale),
            "locale": locale,
            "money": lambda cents: formatting.money(cents, locale),
            "moment": lambda value: formatting.moment(value, locale),
            "day": lambda value: formatting.day(value, locale),
            "clock": lambda value: formatting.clock(value, locale),
            "signed_in": session_person_id(request) is not None,
            "manages": manages(request),
        },
    )
