"""`buurtbudget places set-theme`: a platform administrator gives a municipality one of the shipped looks."""

import asyncio

from click.testing import CliRunner
from conftest import World
from sqlalchemy import select

from api.cli import main
from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.places.models import Municipality


def run(database_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"BUURTBUDGET_DATABASE_URL": database_url})
    return result.exit_code, result.output


def look(database_url: str) -> tuple[tuple[str, str | None], int]:
    async def read() -> tuple[tuple[str, str | None], int]:
        engine = create_engine(database_url)
        try:
            async with create_session_factory(engine)() as session:
                row = (
                    await session.execute(
                        select(Municipality.theme, Municipality.logo_url).where(
                            Municipality.cbs_code == "GM0344"
                        )
                    )
                ).one()
                changes = len(
                    (
                        await session.scalars(
                            select(AuditEntry.id).where(AuditEntry.action == "municipality.look_changed")
                        )
                    ).all()
                )
                return (row[0], row[1]), changes
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_set_theme_changes_the_look_once_and_refuses_what_is_not_shipped(
    database_url: str, world: World
) -> None:
    code, output = run(
        database_url, "places", "set-theme", "GM0344", "utrecht", "--logo", "/static/img/u.svg"
    )
    assert code == 0, output
    assert "Utrecht (GM0344) uses the theme 'utrecht'" in output
    assert look(database_url) == (("utrecht", "/static/img/u.svg"), 1)
    assert run(database_url, "places", "set-theme", "gm0344", "utrecht")[0] == 0  # same again: no change
    assert look(database_url) == (("utrecht", "/static/img/u.svg"), 1)

    code, output = run(database_url, "places", "set-theme", "GM0344", "paars")
    assert code == 1
    assert "buurtbudget, utrecht, voorbeeld" in output
    code, output = run(
        database_url, "places", "set-theme", "GM0344", "utrecht", "--logo", "https://x.example/l.png"
    )
    assert code == 1
    assert run(database_url, "places", "set-theme", "GM9999", "utrecht")[0] == 1
    assert look(database_url) == (("utrecht", "/static/img/u.svg"), 1)

    assert run(database_url, "places", "set-theme", "GM0344", "voorbeeld", "--logo", "")[0] == 0
    assert look(database_url) == (("voorbeeld", None), 2)
