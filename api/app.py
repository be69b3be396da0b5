"""The application factory: `create_app(settings)` wires settings, database, stores, routes and errors."""

from pathlib import Path
from typing import Any

from litestar import Litestar, Request
from litestar.config.csrf import CSRFConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.openapi import OpenAPIConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.redis import RedisStore
from litestar.template.config import TemplateConfig

from api import dependencies
from api.audit.controller import AuditAnchorController, AuditAnchorPage
from api.auth.controller import AuthController
from api.auth.pages import SignInPages
from api.cross_site import JsonApiGuard, origin_of
from api.errors import EXCEPTION_HANDLERS
from api.initiatives.action_pages import InitiativeActionPages
from api.initiatives.controller import InitiativeController
from api.initiatives.form_pages import StepFormPages
from api.initiatives.pages import InitiativePage
from api.input_checks import refuse_unusable_input
from api.jury.controller import RoundController
from api.jury.routes import ROUTE_HANDLERS as JURY_PAGE_ROUTES
from api.language.pages import LanguagePage
from api.neighbourhoods.controller import NeighbourhoodController
from api.neighbourhoods.pages import NeighbourhoodPage
from api.outbox.controller import OutboxController
from api.outbox.pages import OutboxAdminPage
from api.pages.home import HomePage
from api.pages.outbox import OutboxPage
from api.people.controller import PeopleController
from api.people.identity_provider import IdentityProviderController, IdentityProviderPages, button_label
from api.people.name_page import DisplayNamePage
from api.people.pages import MyInitiativesPage
from api.people.routes import ROUTE_HANDLERS as PEOPLE_ADMIN_ROUTES
from api.people.verification_routes import ROUTE_HANDLERS as VERIFICATION_ROUTES
from api.places.routes import ROUTE_HANDLERS as PLACES_ROUTES
from api.pots.controller import PotController
from api.pots.routes import ROUTE_HANDLERS as POT_ROUTES
from api.problem_docs import document_problems
from api.providers import SERVICE_PROVIDERS
from api.schema_docs import LocalSwaggerPlugin
from api.security import security_headers
from api.sessions import RotatingSessionConfig
from api.similar.routes import ROUTE_HANDLERS as SIMILAR_ROUTES
from api.spaces.routes import ROUTE_HANDLERS as SPACE_ROUTES
from api.state import Services
from api.stores import DatabaseStore
from api.volunteers.routes import ROUTE_HANDLERS as VOLUNTEER_ROUTES
from api.worker import in_process_worker
from buurtbudget.audit import keys as audit_keys
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.jury.ballot_box import BallotBox
from buurtbudget.notifications.mailer import mailer_for
from buurtbudget.outbox.registry import worker_for
from buurtbudget.settings import PROJECT_ROOT, Settings

FRONTEND = PROJECT_ROOT / "frontend"
SIGN_IN_PATHS = frozenset({"/api/v1/auth/sign-in-requests", "/inloggen"})


async def _is_sign_in_request(request: Request[Any, Any, Any]) -> bool:
    # Asynchronous, though it never waits: Litestar runs a synchronous check in a worker thread.
    return request.method == "POST" and request.url.path in SIGN_IN_PATHS


def _stores(settings: Settings, services: Services) -> dict[str, Store]:
    """Sessions and rate-limit counters live outside the process: in Redis when set, else the database."""
    if settings.redis_url:
        root = RedisStore.with_client(url=settings.redis_url, namespace="buurtbudget")
        return {"sessions": root.with_namespace("sessions"), "rate_limit": root.with_namespace("rate_limit")}
    return {
        "sessions": DatabaseStore(services.sessions, "sessions"),
        "rate_limit": DatabaseStore(services.sessions, "rate_limit"),
    }


def create_app(settings: Settings | None = None) -> Litestar:
    """A Litestar app for `settings` (from the environment when not given)."""
    settings = settings or Settings()
    settings.ensure_safe_to_serve()
    audit_keys.use(audit_keys.key_of(settings))  # audit entries are sealed with this app's key
    engine = create_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        max_overflow=settings.database_max_overflow,
        pool_timeout=settings.database_pool_timeout_seconds,
    )
    sessions = create_session_factory(engine)
    mailer = mailer_for(settings)
    services = Services(
        settings=settings,
        engine=engine,
        sessions=sessions,
        ballot_box=BallotBox(sessions),
        worker=worker_for(sessions, mailer, settings),
    )

    async def dispose_engine() -> None:
        await engine.dispose()

    session_config = RotatingSessionConfig(
        store="sessions",
        key="bb_session",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="lax",
        max_age=settings.session_max_age_seconds,
    )
    rate_limit = RateLimitConfig(
        rate_limit=("minute", settings.sign_in_per_ip_per_minute),
        check_throttle_handler=_is_sign_in_request,
        store="rate_limit",
    )
    csrf = CSRFConfig(
        secret=settings.secret_key.get_secret_value(),
        cookie_name="bb_csrf",
        cookie_secure=settings.cookie_secure,
        cookie_httponly=True,
        # The JSON API is protected by SameSite=Lax session cookies and JSON-only bodies.
        exclude=["^/api/", "^/schema"],
    )
    app = Litestar(
        route_handlers=[
            AuthController,
            PeopleController,
            NeighbourhoodController,
            PotController,
            AuditAnchorController,
            AuditAnchorPage,
            InitiativeController,
            RoundController,
            HomePage,
            NeighbourhoodPage,
            InitiativePage,
            SignInPages,
            OutboxPage,
            OutboxController,
            OutboxAdminPage,
            LanguagePage,
            StepFormPages,
            InitiativeActionPages,
            MyInitiativesPage,
            DisplayNamePage,
            IdentityProviderController,
            IdentityProviderPages,
            *JURY_PAGE_ROUTES,
            *VOLUNTEER_ROUTES,
            *SPACE_ROUTES,
            *SIMILAR_ROUTES,
            *PLACES_ROUTES,
            *POT_ROUTES,
            *PEOPLE_ADMIN_ROUTES,
            *VERIFICATION_ROUTES,
            create_static_files_router(
                path="/static", directories=[FRONTEND / "static"], include_in_schema=False
            ),
        ],
        dependencies={
            "db_session": Provide(dependencies.provide_db_session),
            "current": Provide(dependencies.provide_current),
            "actor": Provide(dependencies.provide_actor),
            "locale": Provide(dependencies.provide_locale, sync_to_thread=False),
            "settings": Provide(dependencies.provide_settings, sync_to_thread=False),
            "ballot_box": Provide(dependencies.provide_ballot_box, sync_to_thread=False),
            **SERVICE_PROVIDERS,
        },
        state=State({"services": services}),
        stores=_stores(settings, services),
        middleware=[
            DefineMiddleware(JsonApiGuard, own_origin=origin_of(settings.base_url)),
            session_config.middleware,
            rate_limit.middleware,
        ],
        csrf_config=csrf,
        template_config=TemplateConfig(
            directory=Path(FRONTEND / "templates"),
            engine=JinjaTemplateEngine,
            engine_callback=lambda templates: templates.engine.globals.update(
                identity_provider_label=button_label(settings)
            ),
        ),
        openapi_config=OpenAPIConfig(
            title="Buurtbudget API",
            version="1",
            path="/schema",
            description="Neighbourhood budgets decided by residents.",
            render_plugins=[LocalSwaggerPlugin()],
        ),
        exception_handlers=EXCEPTION_HANDLERS,
        before_request=refuse_unusable_input,
        before_send=[
            security_headers(
                https=settings.base_url.startswith("https://"), session_cookie=session_config.key
            )
        ],
        lifespan=[in_process_worker(services)] if settings.worker_in_process else [],
        on_shutdown=[dispose_engine],
        debug=settings.debug,
    )
    document_problems(app)
    return app


def create_app_from_env() -> Litestar:
    """Entry point for servers: `uvicorn --factory api.app:create_app_from_env`."""
    return create_app(Settings())
