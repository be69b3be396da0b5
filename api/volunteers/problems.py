"""Domain errors whose message names a value ('{skill}'): translated first, then filled in."""

from typing import Any

from litestar import Request, Response
from litestar.types import ExceptionHandlersMap

from api.dependencies import locale_of
from api.errors import domain_error
from buurtbudget.errors import DomainError
from buurtbudget.i18n import gettext


def filled_in(request: Request[Any, Any, Any], error: DomainError) -> Response[Any]:
    """The usual problem or page, with the message's placeholders filled from the error's parameters."""
    text = gettext(error.message, locale_of(request))
    values = {k: v for k, v in error.params.items() if isinstance(v, str | int | float)}
    try:
        text = text.format(**values)
    except (KeyError, IndexError, ValueError):
        return domain_error(request, error)
    shown = type(error).__new__(type(error))  # a copy: exceptions with keyword-only fields do not copy.copy
    shown.__dict__.update(vars(error))
    shown.message = text  # no longer a catalog id, so the shared handler shows it as it is
    return domain_error(request, shown)


HANDLERS: ExceptionHandlersMap = {DomainError: filled_in}
