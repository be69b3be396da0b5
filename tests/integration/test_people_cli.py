"""`buurtbudget people list|assign|revoke|invite`: scripted set-up with exit codes, audited, mailed."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from click.testing import CliRunner
from conftest import World
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from api.cli import main
from buurtbudget.audit.models import AuditEntry
from buurtbudget.db.engine import create_engine, create_session_factory
from buurtbudget.outbox.models import OutboxMessage
from buurtbudget.people import service as people
from buurtbudget.settings import Settings

T = TypeVar("T")


def run(settings: Settings, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), env={"BUURTBUDGET_DATABASE_URL": settings.database_url})
    return result.exit_code, result.stdout, result.stderr


def read(settings: Settings, job: Callable[[AsyncSession], Awaitable[T]]) -> T:
    async def go() -> T:
        engine = create_engine(settings.database_url)
        async with create_session_factory(engine)() as session:
            found = await job(session)
        await engine.dispose()
        return found

    return asyncio.run(go())


def test_a_broker_and_an_administrator_are_set_up_by_script(settings: Settings, world: World) -> None:
    code, out, err = run(
        settings,
        "people",
        "assign",
        "--email",
        "Nina@Example.org",
        "--role",
        "broker",
        "--neighbourhood",
        "ondiep",
    )
    assert code == 0, err
    assignment_id = int(out.strip())
    assert "nina@example.org" in err.lower()
    code, out, err = run(
        settings,
        "people",
        "assign",
        "--email",
        "wethouder@example.org",
        "--role",
        "municipality_admin",
        "--municipality",
        "GM1916",
    )
    assert code == 0, err

    async def check(session: AsyncSession) -> tuple[bool, bool, list[str], list[str]]:
        nina = await people.find_by_email(session, "nina@example.org")
        boss = await people.find_by_email(session, "wethouder@example.org")
        assert nina is not None
        assert boss is not None
        nina_actor = await people.actor_of(session, nina.id)
        boss_actor = await people.actor_of(session, boss.id)
        mails = [p["to"] for p in (await session.execute(select(OutboxMessage.payload))).scalars()]
        last = select(AuditEntry.action).where(
            AuditEntry.actor_id.is_(None), AuditEntry.action.like("people.%")
        )
        audited = list((await session.execute(last)).scalars())
        return (
            nina_actor.is_broker_for(world.ondiep_id),
            boss_actor.administers(world.other_municipality_id),
            mails,
            audited,
        )

    is_broker, is_admin, mails, audited = read(settings, check)
    assert is_broker
    assert is_admin
    assert mails == ["nina@example.org", "wethouder@example.org"]
    assert audited.count("people.role_assigned") == 2

    code, out, err = run(settings, "people", "list", "--municipality", "Utrecht", "--role", "broker")
    assert code == 0, err
    assert "nina@example.org" in out
    assert "Social broker Ondiep (Utrecht)" in out  # labels in English on the command line
    assert f"[{assignment_id}]" in out
    assert "wethouder@example.org" not in out
    code, out, err = run(settings, "people", "list", "--search", "wethouder")
    assert code == 0
    assert "Municipality administrator (Leidschendam-Voorburg)" in out

    code, out, err = run(
        settings,
        "people",
        "assign",
        "--email",
        "nina@example.org",
        "--role",
        "resident",
        "--neighbourhood",
        "zuilen",
    )
    assert code == 0, err
    assert "verification" in err
    code, out, err = run(settings, "people", "list", "--role", "resident", "--search", "nina")
    assert "Resident Zuilen (Utrecht)" in out

    code, out, err = run(settings, "people", "invite", "--email", "nina@example.org")
    assert code == 0, err
    code, out, err = run(settings, "people", "revoke", str(assignment_id), "--reason", "Vertrokken")
    assert code == 0, err
    assert "revoked" in err
    code, out, err = run(settings, "people", "list", "--search", "nina", "--role", "broker")
    assert "nina@example.org" not in out  # no broker any more (still a verified resident)


def test_refusals_exit_with_1_and_say_why(settings: Settings, world: World) -> None:
    cases = [
        (
            ["assign", "--email", "x@example.org", "--role", "broker", "--neighbourhood", "atlantis"],
            "there is no such neighbourhood",
        ),
        (
            ["assign", "--email", "x@example.org", "--role", "broker"],
            "choose the neighbourhood this role is for",
        ),
        (
            ["assign", "--email", "geen adres", "--role", "broker", "--neighbourhood", "zuilen"],
            "fill in a valid e-mail",
        ),
        (
            ["assign", "--email", world.emails["broker"], "--role", "broker", "--neighbourhood", "zuilen"],
            "already has this role",
        ),
        (
            [
                "assign",
                "--email",
                "x@example.org",
                "--role",
                "municipality_admin",
                "--municipality",
                "Atlantis",
            ],
            "no such municipality",
        ),
        (["revoke", "999999", "--reason", "Weg"], "no such role"),
        (["revoke", "1", "--reason", " "], "give a reason"),
        (["invite", "--email", "niemand@example.org"], "no such person"),
        (["list", "--municipality", "Atlantis"], "no such municipality"),
    ]
    for args, reason in cases:
        code, _out, err = run(settings, "people", *args)
        assert code == 1, (args, err)
        assert reason in err, (args, err)
    code, _out, err = run(settings, "people", "assign", "--email", "x@example.org", "--role", "koning")
    assert code == 2
