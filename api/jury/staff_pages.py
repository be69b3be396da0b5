"""What the municipality's round pages share: signed-in only (anonymous visitors are sent to sign in and
come back), a service's refusal shown at the form field it names, and the labels of a round's choices."""

from typing import Any

from litestar import Controller, Request
from litestar.exceptions import NotAuthorizedException
from litestar.response import Redirect

from api.guards import requires_signed_in
from api.initiatives.page_support import see_other
from api.pages.form_errors import sentence
from buurtbudget.errors import DomainError, InvalidInput
from buurtbudget.i18n import gettext


def sign_in_and_return(request: Request[Any, Any, Any], _error: NotAuthorizedException) -> Redirect:
    """Anonymous visitors sign in first and come back to the page they asked for."""
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return see_other("/inloggen", volgende=back)


class StaffPages(Controller):
    """A controller of the municipality's pages: signed in, once here; the role is checked by the service."""

    include_in_schema = False
    tags = ["pages"]
    guards = [requires_signed_in]
    exception_handlers = {NotAuthorizedException: sign_in_and_return}


def refusal_at_field(
    error: DomainError, locale: str, known: set[str], renamed: dict[str, str], fallback: str
) -> dict[str, str]:
    """The service's refusal as a sentence in the visitor's language, at the form field it names."""
    named = error.params.get("field")
    field = renamed.get(str(named), str(named)) if isinstance(named, str) else fallback
    return {field if field in known else fallback: sentence(gettext(error.message, locale))}


def status_of(error: DomainError) -> int:
    return 422 if isinstance(error, InvalidInput) else 409
