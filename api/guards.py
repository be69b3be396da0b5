"""Guards: signed-in checks at the edge; role and neighbourhood checks live in the services."""

from typing import Any

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from api.dependencies import SESSION_PERSON


async def requires_signed_in(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """401 for anonymous visitors; a 403 (a known person lacking a role) comes from the service.

    Asynchronous, though it never waits: Litestar runs a synchronous guard in a worker thread.
    """
    session = connection.scope.get("session")
    if not isinstance(session, dict) or not isinstance(session.get(SESSION_PERSON), int):
        raise NotAuthorizedException()
