"""Guards: signed-in checks at the edge; role and neighbourhood checks live in the services.

A controller says once who may use it (`guards = [requires_signed_in]`). A handler in such a controller
that anonymous visitors may use too says so where it is declared (`opt=PUBLIC`), so a handler added
later is signed-in only unless someone decides otherwise. Litestar cannot split one path's methods over
two controllers (each brings its own OPTIONS handler), so the public reads stay next to the writes.
"""

from types import MappingProxyType
from typing import Any, Final

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.handlers.base import BaseRouteHandler

from api.dependencies import SESSION_PERSON

# `@get(..., opt=PUBLIC)`: open to anonymous visitors inside a signed-in controller.
PUBLIC: Final[MappingProxyType[str, Any]] = MappingProxyType({"public": True})


def is_public(handler: BaseRouteHandler) -> bool:
    return handler.opt.get("public") is True


async def requires_signed_in(
    connection: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler
) -> None:
    """401 for anonymous visitors; a 403 (a known person lacking a role) comes from the service.

    Asynchronous, though it never waits: Litestar runs a synchronous guard in a worker thread.
    """
    if is_public(handler) or connection.scope.get("method") == "OPTIONS":
        return  # OPTIONS: Litestar's own answer listing the allowed methods, which reveals nothing
    session = connection.scope.get("session")
    if not isinstance(session, dict) or not isinstance(session.get(SESSION_PERSON), int):
        raise NotAuthorizedException()
