"""Server-side sessions that get a fresh id at sign-in, so a planted session id is worthless."""

from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession

ROTATE = "_rotate_session_id"
_NEW_ID = "buurtbudget.new_session_id"


class RotatingSessionBackend(ServerSideSessionBackend):
    """Litestar's server-side backend, plus id rotation at sign-in and no cookie for anonymous visitors."""

    def get_session_id(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        new_id = connection.scope.get(_NEW_ID)
        return new_id if isinstance(new_id, str) else super().get_session_id(connection)

    async def store_in_message(
        self, scope_session: ScopeSession, message: Message, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> None:
        if not scope_session and not connection.cookies.get(self.config.key):
            return  # an anonymous visitor with nothing to remember gets no cookie and no stored session
        if scope_session == {}:
            scope_session = Empty  # forget an emptied session instead of storing it
        if isinstance(scope_session, dict) and scope_session.pop(ROTATE, False):
            old_id = connection.cookies.get(self.config.key)
            if old_id:
                await self.delete(old_id, store=self.config.get_store_from_app(connection.scope["app"]))
            connection.scope[_NEW_ID] = self.generate_session_id()  # type: ignore[literal-required]
        await super().store_in_message(scope_session, message, connection)


class RotatingSessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
