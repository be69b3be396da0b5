"""Server-side sessions that get a fresh id at sign-in, so a planted session id is worthless, and that
stop signing a person in once one of their roles is revoked."""

from datetime import datetime
from typing import Any

from litestar.connection import ASGIConnection
from litestar.middleware.session.server_side import ServerSideSessionBackend, ServerSideSessionConfig
from litestar.types import Empty, Message, ScopeSession

from api.dependencies import MANAGES, SESSION_LOCALE, SESSION_PERSON, services_of
from buurtbudget.people.session_cutoff import session_standing

ROTATE = "_rotate_session_id"
_NEW_ID = "buurtbudget.new_session_id"
# When the session was signed in (ISO 8601, UTC): a revocation ends the sessions signed in before it.
SESSION_STARTED = "signed_in_at"


def _moment(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


async def _still_signed_in(connection: ASGIConnection[Any, Any, Any, Any], data: dict[str, Any]) -> bool:
    """Whether the session still counts; notes in the request's state whether its person manages something."""
    person_id = data.get(SESSION_PERSON)
    if not isinstance(person_id, int):
        return True  # nobody signed in: nothing to end
    async with services_of(connection.app.state).sessions() as session:
        standing = await session_standing(session, person_id, _moment(data.get(SESSION_STARTED)))
    connection.state[MANAGES] = standing.manages
    return standing.counts


class RotatingSessionBackend(ServerSideSessionBackend):
    """Litestar's server-side backend, plus id rotation at sign-in and no cookie for anonymous visitors."""

    async def load_from_connection(self, connection: ASGIConnection[Any, Any, Any, Any]) -> dict[str, Any]:
        """The stored session; one whose person was signed out by a revocation keeps only its language.

        This is where every request reads who is signed in, so guards, pages and services all see
        the person as signed out from the request after the revocation on.
        """
        data = await super().load_from_connection(connection)
        if data and not await _still_signed_in(connection, data):
            return {key: value for key, value in data.items() if key == SESSION_LOCALE}
        return data

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
