"""What the staff pages share: they are for signed-in people, said once per controller, and an anonymous
visitor is sent to sign in and comes back to the page they asked for. The role is checked by the service."""

from typing import Any

from litestar import Controller, Request
from litestar.exceptions import NotAuthorizedException
from litestar.response import Redirect

from api.guards import requires_signed_in
from api.initiatives.page_support import see_other, sign_in_first


def sign_in_and_return(request: Request[Any, Any, Any], _error: NotAuthorizedException) -> Redirect:
    """Anonymous visitors sign in first and come back to the page they asked for."""
    return sign_in_first(request) or see_other("/inloggen")


class StaffPages(Controller):
    """A controller of staff pages: signed in, once here; the role is checked by the service."""

    include_in_schema = False
    tags = ["pages"]
    guards = [requires_signed_in]
    exception_handlers = {NotAuthorizedException: sign_in_and_return}
