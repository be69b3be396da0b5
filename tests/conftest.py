"""Shared fixtures: real SQLite and PostgreSQL databases made by Alembic, a real SMTP server, app clients."""

import asyncio
import os
import re
import shutil
import socket
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiosmtpd.controller import Controller
from litestar.testing import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from api.app import create_app
from buurtbudget.audit.chain import GENESIS_HASH
from buurtbudget.db import migrate
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.db.models import Base
from buurtbudget.db.transaction import transaction
from buurtbudget.initiatives.rules import CostLineInput, DraftContent
from buurtbudget.initiatives.service import InitiativeService
from buurtbudget.people import service as people
from buurtbudget.people.models import Person
from buurtbudget.people.roles import Actor, Grant, Role
from buurtbudget.people.verification import ensure_verified
from buurtbudget.places import service as places
from buurtbudget.pots.service import PotService
from buurtbudget.settings import Settings

IN_CI = os.environ.get("CI", "").lower() == "true"
POSTGRES_ADMIN_URL = os.environ.get(
    "BUURTBUDGET_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BASE_URL = "https://testserver.local"
# Outside demo mode the app refuses the default secret key; tests run as production does.
os.environ.setdefault("BUURTBUDGET_SECRET_KEY", "tests-only-secret-" + uuid.uuid4().hex)


def missing_component(reason: str) -> None:
    """Skip on a developer's machine without the component; under CI=true nothing may be skipped."""
    if IN_CI:
        pytest.fail(f"CI=true and a required component is missing: {reason}")
    pytest.skip(reason)


# --- databases --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite file migrated by Alembic; each test gets a copy."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A database of this run's own on the PostgreSQL server, migrated by Alembic, dropped at the end."""
    name = f"bb_test_{uuid.uuid4().hex[:12]}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(POSTGRES_ADMIN_URL, timeout=10)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    try:
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as error:
        missing_component(f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {error}")
    admin_url = make_url(POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql+asyncpg://", 1))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    yield url
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{table.name}"' for table in Base.metadata.sorted_tables)
    async with engine.begin() as connection:
        await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await connection.execute(
            text("INSERT INTO audit_head (id, last_entry_id, last_hash) VALUES (1, NULL, :genesis)"),
            {"genesis": GENESIS_HASH},
        )
    await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A freshly migrated, empty database on each backend."""
    if request.param == "sqlite":
        path = tmp_path / "buurtbudget.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    asyncio.run(_reset_postgres(url))
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "buurtbudget.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def postgres_url(postgres_database: str) -> str:
    asyncio.run(_reset_postgres(postgres_database))
    return postgres_database


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_session_factory(engine)() as session:
        yield session


# --- e-mail -----------------------------------------------------------------------------------


class Inbox:
    """Collects what the local SMTP server receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802  (aiosmtpd's hook name)
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def last_to(self, address: str) -> EmailMessage:
        for message in reversed(self.messages):
            if message["To"] == address:
                return message
        raise AssertionError(f"no mail to {address} among {len(self.messages)} messages")

    def sign_in_token(self, address: str) -> str:
        body = self.last_to(address).get_body(preferencelist=("plain",))
        assert body is not None
        found = re.search(r"token=([A-Za-z0-9_-]+)", body.get_content())
        assert found, "the mail holds no sign-in link"
        return found.group(1)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    inbox = Inbox()
    with socket.socket() as probe:  # aiosmtpd needs a concrete port: ask the kernel for a free one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture
def inbox(smtp_server: tuple[Controller, Inbox]) -> Inbox:
    smtp_server[1].messages.clear()
    return smtp_server[1]


# --- the application --------------------------------------------------------------------------


@pytest.fixture
def settings(database_url: str, smtp_server: tuple[Controller, Inbox], tmp_path: Path) -> Settings:
    controller, _inbox = smtp_server
    return Settings(
        database_url=database_url,
        smtp_host="127.0.0.1",
        smtp_port=controller.port,
        outbox_dir=tmp_path / "outbox",
        base_url="http://127.0.0.1:8000",
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient[Any]]:
    with TestClient(create_app(settings), base_url=BASE_URL, raise_server_exceptions=False) as test_client:
        yield test_client


# --- a small world: two municipalities, neighbourhoods, people in every role -------------------


@dataclass(frozen=True)
class World:
    """Ids and actors of the fixture world; e-mail addresses sign in through the real magic link."""

    municipality_id: int
    other_municipality_id: int
    zuilen_id: int
    ondiep_id: int
    lunetten_id: int
    pot_id: int
    actors: dict[str, Actor]
    emails: dict[str, str]


WORLD_PEOPLE = {
    "resident": "resident@example.org",
    "other_resident": "other.resident@example.org",
    "broker": "broker@example.org",
    "other_broker": "other.broker@example.org",
    "juror": "juror@example.org",
    "advisor": "advisor@example.org",
    "municipality_admin": "admin@utrecht.example.org",
    "other_municipality_admin": "admin@voorburg.example.org",
    "platform_admin": "platform@example.org",
}


async def grant_or_verify(session: AsyncSession, person: Person, grant: Grant) -> None:
    """Give a fixture person a role; a resident is verified instead (by approval), as real residents are.
    Runs in the caller's transaction."""
    if grant.role == Role.RESIDENT and grant.neighbourhood_id is not None:
        await ensure_verified(session, person, grant.neighbourhood_id)
    else:
        await people.assign_role(session, person, grant, actor_id=None)


async def build_world(session: AsyncSession) -> World:
    async with transaction(session):
        utrecht = await places.ensure_municipality(session, name="Utrecht", cbs_code="GM0344", actor_id=None)
        voorburg = await places.ensure_municipality(
            session, name="Leidschendam-Voorburg", cbs_code="GM1916", actor_id=None
        )
        zuilen = await places.ensure_neighbourhood(
            session, utrecht, name="Zuilen", slug="zuilen", cbs_code="WK034403", actor_id=None
        )
        ondiep = await places.ensure_neighbourhood(
            session, utrecht, name="Ondiep", slug="ondiep", cbs_code="WK034402", actor_id=None
        )
        lunetten = await places.ensure_neighbourhood(
            session, utrecht, name="Lunetten", slug="lunetten", cbs_code="WK034409", actor_id=None
        )
        await places.ensure_neighbourhood(
            session, voorburg, name="Bovenveen", slug="bovenveen", cbs_code="WK191603", actor_id=None
        )
        await places.ensure_adjacent(session, zuilen, ondiep)
        grants = {
            "resident": Grant(Role.RESIDENT, zuilen.id),
            "other_resident": Grant(Role.RESIDENT, lunetten.id),
            "broker": Grant(Role.BROKER, zuilen.id),
            "other_broker": Grant(Role.BROKER, lunetten.id),
            "juror": Grant(Role.JUROR, zuilen.id),
            "advisor": Grant(Role.ADVISOR, zuilen.id),
            "municipality_admin": Grant(Role.MUNICIPALITY_ADMIN, municipality_id=utrecht.id),
            "other_municipality_admin": Grant(Role.MUNICIPALITY_ADMIN, municipality_id=voorburg.id),
            "platform_admin": Grant(Role.PLATFORM_ADMIN),
        }
        actors = {}
        for key, email in WORLD_PEOPLE.items():
            person = await people.get_or_create(session, email, actor_id=None)
            await grant_or_verify(session, person, grants[key])
            actors[key] = people.actor_for(person)
    pot = await PotService(session).create_pot(
        actors["municipality_admin"],
        neighbourhood_id=zuilen.id,
        name="Buurtbudget 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    await PotService(session).fund(actors["municipality_admin"], pot.id, 10_000_00)
    return World(
        municipality_id=utrecht.id,
        other_municipality_id=voorburg.id,
        zuilen_id=zuilen.id,
        ondiep_id=ondiep.id,
        lunetten_id=lunetten.id,
        pot_id=pot.id,
        actors=actors,
        emails=dict(WORLD_PEOPLE),
    )


@pytest.fixture
async def world(session: AsyncSession) -> World:
    return await build_world(session)


async def new_initiatives(
    session: AsyncSession, world: World, count: int, owner: str = "resident"
) -> list[int]:
    """Drafts in Zuilen owned by a world resident; returns their ids."""
    service = InitiativeService(session)
    ids = []
    for number in range(count):
        initiative = await service.create_draft(
            world.actors[owner],
            world.zuilen_id,
            DraftContent(
                title=f"Initiatief {number + 1}",
                summary="Een plan voor de buurt.",
                cost_lines=[CostLineInput("Materiaal", 500_00)],
            ),
        )
        ids.append(initiative.id)
    return ids


def sign_in(client: TestClient[Any], inbox: Inbox, email: str) -> None:
    """Sign in the way a resident does: ask for a link, take it from the mail, confirm it."""
    response = client.post("/api/v1/auth/sign-in-requests", json={"email": email})
    assert response.status_code == 202, response.text
    response = client.post("/api/v1/auth/session", json={"token": inbox.sign_in_token(email)})
    assert response.status_code == 200, response.text


# --- the outbox -------------------------------------------------------------------------------


class RecordingMailer:
    """Keeps what the worker hands it (for service tests that need no SMTP server)."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    async def send(self, message: EmailMessage) -> None:
        self.sent.append(message)


async def drain_outbox(session: AsyncSession, mailer: Any, settings: Settings | None = None) -> Any:
    """Run the outbox worker until nothing is due, on the database of `session`.

    The session's own transaction is ended first: on SQLite it holds the single write lock.
    """
    from buurtbudget.outbox.registry import worker_for

    await session.commit()
    engine = session.bind
    assert isinstance(engine, AsyncEngine)
    worker = worker_for(create_session_factory(engine), mailer, settings or Settings())
    return await worker.drain()
