"""Migration 0014: resident role assignments become verifications by approval (valid the default two
years from the upgrade), and come back as assignments on the way down."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import text

from buurtbudget.db import migrate
from buurtbudget.db.engine import create_engine


async def execute(url: str, statement: str, **params: Any) -> list[Any]:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(statement), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


def sql(url: str, statement: str, **params: Any) -> list[Any]:
    return asyncio.run(execute(url, statement, **params))


def test_resident_roles_become_verifications_and_come_back_on_the_way_down(database_url: str) -> None:
    migrate.downgrade(database_url, "0013")
    now = datetime.now(UTC)
    sql(database_url, "INSERT INTO municipalities (id, name, cbs_code) VALUES (1, 'Utrecht', 'GM0344')")
    sql(
        database_url,
        "INSERT INTO neighbourhoods (id, municipality_id, name, slug, cbs_code)"
        " VALUES (1, 1, 'Zuilen', 'zuilen', 'WK034403')",
    )
    for person, email in ((1, "bewoner@example.org"), (2, "makelaar@example.org")):
        sql(
            database_url,
            "INSERT INTO people (id, email, display_name, created_at) VALUES (:id, :email, '', :at)",
            id=person,
            email=email,
            at=now,
        )
    sql(
        database_url,
        "INSERT INTO role_assignments (person_id, role, neighbourhood_id) VALUES (1, 'resident', 1)",
    )
    sql(
        database_url,
        "INSERT INTO role_assignments (person_id, role, neighbourhood_id) VALUES (2, 'broker', 1)",
    )

    migrate.upgrade(database_url, "0014")
    roles = sql(database_url, "SELECT person_id, role FROM role_assignments ORDER BY person_id")
    assert [tuple(row) for row in roles] == [(2, "broker")]
    [(person, neighbourhood, method, expires_at, ended_at)] = sql(
        database_url, "SELECT person_id, neighbourhood_id, method, expires_at, ended_at FROM verifications"
    )
    assert (person, neighbourhood, method, ended_at) == (1, 1, "approval", None)
    expires = expires_at if isinstance(expires_at, datetime) else datetime.fromisoformat(str(expires_at))
    expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
    assert abs(expires - (now + timedelta(days=730))) < timedelta(hours=1)

    migrate.downgrade(database_url, "0013")
    roles = sql(database_url, "SELECT person_id, role FROM role_assignments ORDER BY person_id, role")
    assert sorted(tuple(row) for row in roles) == [(1, "resident"), (2, "broker")]
    if not database_url.startswith("sqlite"):
        migrate.upgrade(
            database_url
        )  # the PostgreSQL database is shared by the run; each SQLite one is a copy


def test_a_populated_database_of_the_last_release_upgrades_to_head(database_url: str) -> None:
    """Rebuilding a table that others refer to (SQLite's batch copy) must not trip their foreign keys."""
    migrate.downgrade(database_url, "0012")
    sql(database_url, "INSERT INTO municipalities (id, name, cbs_code) VALUES (1, 'Den Haag', 'GM0518')")
    sql(
        database_url,
        "INSERT INTO neighbourhoods (id, municipality_id, name, slug, cbs_code)"
        " VALUES (1, 1, 'Duinoord', 'duinoord', 'WK051801')",
    )
    sql(
        database_url,
        "INSERT INTO pots (id, neighbourhood_id, name, period_start, period_end, created_at)"
        " VALUES (1, 1, 'Buurtbudget 2026', '2026-01-01', '2026-12-31', :at)",
        at=datetime.now(UTC),
    )

    migrate.upgrade(database_url)

    def rows(statement: str) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in sql(database_url, statement)]

    assert rows("SELECT id, slug FROM municipalities") == [(1, "den-haag")]
    assert rows("SELECT id, municipality_id FROM neighbourhoods") == [(1, 1)]
    assert rows("SELECT id, neighbourhood_id FROM pots") == [(1, 1)]
    migrate.check(database_url)
