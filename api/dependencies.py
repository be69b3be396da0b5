"""Dependencies injected into handlers: a database session, the acting person, the locale."""

from collections.abc import AsyncGenerator
from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from api.state import Services
from buurtbudget.db.transaction import AFTER_COMMIT
from buurtbudget.i18n import LOCALES, best_locale
from buurtbudget.jury.ballot_box import BallotBox
from buurtbudget.people.models import Person
from buurtbudget.people.roles import Actor
from buurtbudget.people.service import actor_of, load_actor
from buurtbudget.settings import Settings

# Handlers name their dependencies explicitly (Litestar 3 drops inference by parameter name).
DbSession = NamedDependency[AsyncSession]
CurrentActor = NamedDependency[Actor]
Current = NamedDependency[tuple[Person | None, Actor]]
Locale = NamedDependency[str]
AppSettings = NamedDependency[Settings]
AppBallotBox = NamedDependency[BallotBox]

SESSION_PERSON = "person_id"
SESSION_LOCALE = "locale"
# In the request's state, set where the session is read: whether its person manages something (a
# broker, or an administrator of a municipality or the platform); the site's header links to /beheer.
MANAGES = "manages"


def services_of(state: State) -> Services:
    services = state["services"]
    if not isinstance(services, Services):
        raise TypeError("app.state.services is not set up")
    return services


async def provide_db_session(state: State) -> AsyncGenerator[AsyncSession, None]:
    services = services_of(state)
    async with services.sessions() as session:
        if services.settings.outbox_deliver_at_once:
            session.info[AFTER_COMMIT] = services.worker.deliver_now
        yield session


def provide_settings(state: State) -> Settings:
    return services_of(state).settings


def provide_ballot_box(state: State) -> BallotBox:
    return services_of(state).ballot_box


def session_person_id(request: Request[Any, Any, Any]) -> int | None:
    value = request.session.get(SESSION_PERSON) if request.scope.get("session") else None
    return value if isinstance(value, int) else None


def manages(request: Request[Any, Any, Any]) -> bool:
    """Whether the signed-in person manages something (noted when the session was read: no query)."""
    return session_person_id(request) is not None and bool(request.state.get(MANAGES, False))


async def provide_current(
    request: Request[Any, Any, Any], db_session: DbSession
) -> tuple[Person | None, Actor]:
    return await load_actor(db_session, session_person_id(request))


async def provide_actor(request: Request[Any, Any, Any], db_session: DbSession) -> Actor:
    return await actor_of(db_session, session_person_id(request))


def locale_of(request: Request[Any, Any, Any]) -> str:
    """The language chosen in this session, else the browser's preference, else Dutch."""
    chosen = request.session.get(SESSION_LOCALE) if request.scope.get("session") else None
    if isinstance(chosen, str) and chosen in LOCALES:
        return chosen
    return best_locale(request.headers.get("accept-language"))


def provide_locale(request: Request[Any, Any, Any]) -> str:
    return locale_of(request)
