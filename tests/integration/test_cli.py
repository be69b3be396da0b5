"""The `buurtbudget` command line: migrations, demo data (idempotent), audit verification, admins."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from api.cli import main
from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.initiatives.models import Initiative, TimelineEvent
from buurtbudget.jury.models import CastBallot, Round
from buurtbudget.people.models import Person, RoleAssignment
from buurtbudget.places.models import Neighbourhood
from buurtbudget.pots.models import LedgerTransaction, Pot

COUNTED = (
    Neighbourhood,
    Pot,
    LedgerTransaction,
    Person,
    RoleAssignment,
    Initiative,
    TimelineEvent,
    AuditEntry,
    Round,
    CastBallot,
)


def run(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"BUURTBUDGET_DATABASE_URL": database_url})
    return result.exit_code, result.output


def run_installed(database_url: str, *args: str) -> tuple[int, str]:
    """The real `buurtbudget` script in its own process: it imports only what a user's command imports."""
    script = Path(sys.executable).with_name("buurtbudget")
    env = {**os.environ, "BUURTBUDGET_DATABASE_URL": database_url}
    done = subprocess.run([script, *args], env=env, capture_output=True, text=True, timeout=300, check=False)  # noqa: S603
    return done.returncode, done.stdout + done.stderr


def counts(database_url: str) -> dict[str, int]:
    async def read() -> dict[str, int]:
        engine = create_engine(database_url)
        async with create_session_factory(engine)() as session:
            found = {
                m.__tablename__: int(await session.scalar(select(func.count()).select_from(m)) or 0)
                for m in COUNTED
            }
        await engine.dispose()
        return found

    return asyncio.run(read())


def execute(database_url: str, *statements: str) -> None:
    async def go() -> None:
        engine = create_engine(database_url)
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
        await engine.dispose()

    asyncio.run(go())


def test_db_upgrade_makes_the_schema(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"
    code, output = run_installed(url, "db", "upgrade")
    assert code == 0, output
    assert counts(url)["people"] == 0


@pytest.mark.slow
def test_demo_load_builds_real_looking_data_and_loading_twice_changes_nothing(sqlite_url: str) -> None:
    code, output = run_installed(sqlite_url, "demo", "load")
    assert code == 0, output
    first = counts(sqlite_url)
    assert first["neighbourhoods"] >= 6 + 40  # the report neighbourhoods plus the Amsterdam budgets
    assert first["initiatives"] > 100
    assert (first["rounds"], first["cast_ballots"]) == (1, 212)  # a real Amsterdam vote, decided
    code, output = run(sqlite_url, "demo", "load")
    assert code == 0, output
    assert counts(sqlite_url) == first

    async def names() -> set[str]:
        engine = create_engine(sqlite_url)
        async with create_session_factory(engine)() as session:
            found = set((await session.execute(select(Neighbourhood.name))).scalars())
            titles = set((await session.execute(select(Initiative.title))).scalars())
        await engine.dispose()
        return found | titles

    loaded = asyncio.run(names())
    assert {"Bovenveen", "Voorburg-Noord", "Kanaleneiland-Zuid", "Zuilen", "Ondiep", "Lunetten"} <= loaded
    assert "Kleine Wereld" in loaded  # read from the Amsterdam Pabulib file at load time
    assert "Kooklessen voor kinderen" in loaded
    assert run(sqlite_url, "audit", "verify")[0] == 0


def test_audit_verify_catches_a_tampered_row(database_url: str) -> None:
    assert run(database_url, "users", "create-admin", "beheer@example.org")[0] == 0
    assert run(database_url, "users", "create-admin", "tweede@example.org")[0] == 0
    code, output = run(database_url, "audit", "verify")
    assert code == 0, output
    assert "intact" in output
    if database_url.startswith("postgresql"):
        execute(
            database_url,
            "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only",
            'UPDATE audit_entries SET actor_id = NULL, data = \'{"role": "resident"}\' WHERE id = 2',
            "ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only",
        )
    else:
        execute(
            database_url,
            "DROP TRIGGER audit_entries_no_update",
            'UPDATE audit_entries SET data = \'{"role": "resident"}\' WHERE id = 2',
        )
    code, output = run(database_url, "audit", "verify")
    assert code == 1
    assert "entry 2" in output


def test_create_admin_is_idempotent(database_url: str) -> None:
    assert (
        "now a platform administrator" in run(database_url, "users", "create-admin", "Beheer@Example.org")[1]
    )
    assert (
        "already a platform administrator"
        in run(database_url, "users", "create-admin", "beheer@example.org")[1]
    )
    assert counts(database_url)["role_assignments"] == 1
