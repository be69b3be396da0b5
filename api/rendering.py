"""Rendering pages with the request's language, formatters and sign-in state in the context."""

from typing import Any

from litestar import Request
from litestar.response import Template

from api.dependencies import locale_of, session_person_id
from buurtbudget import formatting
from buurtbudget.i18n import gettext


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
            "_": lambda message: gettext(message, locale),
            "locale": locale,
            "money": lambda cents: formatting.money(cents, locale),
            "moment": lambda value: formatting.moment(value, locale),
            "day": lambda value: formatting.day(value, locale),
            "signed_in": session_person_id(request) is not None,
        },
    )
