"""The `buurtbudget` command line: database, demo data, audit verification, admins, serving.

Start-up stays light (every command starts in well under 150 ms): the web application, SQLAlchemy,
the settings and rich are imported by the commands that use them, not when this module loads.
"""

# ruff: noqa: PLC0415  (the imports inside the commands are what keeps start-up light)
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import click

from api.jury.allocate_command import allocate_command
from api.jury.import_command import round_command

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy.ext.asyncio import AsyncSession

    from buurtbudget.settings import Settings

T = TypeVar("T")


class _StderrConsole:
    """rich's console on stderr, made on first use (importing rich costs about 30 ms of start-up)."""

    @cached_property
    def rich(self) -> "Console":
        from rich.console import Console

        return Console(stderr=True)

    def print(self, *objects: Any, **options: Any) -> None:
        self.rich.print(*objects, **options)


console = _StderrConsole()


class _Settings:
    """The commands' settings (``context.obj``), read on first use: pydantic and the settings cost
    about 120 ms of start-up, which commands that need no settings (and ``--help``) do not pay."""

    @cached_property
    def loaded(self) -> "Settings":
        from buurtbudget.settings import Settings

        return Settings()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loaded, name)


@click.group()
@click.pass_context
def main(context: click.Context) -> None:
    """Buurtbudget: neighbourhood budgets decided by residents."""
    context.obj = _Settings()


main.add_command(allocate_command)
main.add_command(round_command)


@main.group()
def db() -> None:
    """The database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def db_upgrade(settings: "Settings", revision: str) -> None:
    """Bring the schema up to date."""
    from buurtbudget.db import migrate

    migrate.upgrade(settings.database_url, revision)
    console.print(f"[green]Database at {revision}.[/green]")


@db.command("downgrade")
@click.argument("revision")
@click.pass_obj
def db_downgrade(settings: "Settings", revision: str) -> None:
    """Take the schema down to REVISION ('base' removes all tables)."""
    from buurtbudget.db import migrate

    migrate.downgrade(settings.database_url, revision)
    console.print(f"[yellow]Database at {revision}.[/yellow]")


@main.group()
def demo() -> None:
    """Demo data."""


@demo.command("load")
@click.pass_obj
def demo_load(settings: "Settings") -> None:
    """Load the demo neighbourhoods, pots, people and initiatives (again: changes nothing)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from api.command_session import with_session
    from buurtbudget.demo.loader import DemoLoader

    async def work(session: "AsyncSession") -> str:
        loader = DemoLoader(session, settings.pabulib_dir)
        with Progress(
            TextColumn("{task.description:<40}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console.rich,
            transient=True,
        ) as bar:
            task = bar.add_task("Demo", total=loader.total_steps())
            loader.progress = lambda label: bar.update(task, description=label[:40], advance=1)
            counts = await loader.load()
        return f"{counts.neighbourhoods} neighbourhoods, {counts.initiatives} new initiatives"

    console.print(f"[green]Demo loaded:[/green] {with_session(settings, work)}")


@main.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
@click.pass_obj
def audit_verify(settings: "Settings") -> None:
    """Check the audit log's hash chain; exits 1 when an entry was changed or removed."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
    from sqlalchemy import func, select

    from api.command_session import with_session
    from buurtbudget.audit.chain import verify
    from buurtbudget.audit.models import AuditEntry, AuditHead
    from buurtbudget.audit.service import iter_links

    async def work(session: "AsyncSession") -> tuple[bool, str]:
        total = await session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        head = (await session.execute(select(AuditHead.last_hash).where(AuditHead.id == 1))).scalar_one()
        with Progress(
            TextColumn("Verifying"), BarColumn(), MofNCompleteColumn(), console=console.rich, transient=True
        ) as bar:
            task = bar.add_task("audit", total=total)
            links = []
            async for link in iter_links(session):
                links.append(link)
                bar.advance(task)
        verdict = verify(links, head)
        if verdict.ok:
            return True, f"{verdict.checked} entries, chain intact"
        where = f"entry {verdict.broken_entry_id}" if verdict.broken_entry_id else "the chain's end"
        return False, f"broken at {where}: {verdict.reason} ({verdict.checked} entries checked before it)"

    ok, message = with_session(settings, work)
    if not ok:
        console.print(f"[red]Audit log NOT intact:[/red] {message}")
        raise SystemExit(1)
    console.print(f"[green]Audit log intact:[/green] {message}")


@main.group()
def users() -> None:
    """People and their roles."""


@users.command("create-admin")
@click.argument("email")
@click.option("--name", default=None, help="Display name")
@click.pass_obj
def create_admin(settings: "Settings", email: str, name: str | None) -> None:
    """Make EMAIL a platform administrator (creating the account if needed)."""
    from api.command_session import with_session
    from buurtbudget.db.transaction import transaction
    from buurtbudget.people import service as people
    from buurtbudget.people.roles import Grant, Role

    async def work(session: "AsyncSession") -> bool:
        async with transaction(session):
            person = await people.get_or_create(session, email, actor_id=None, display_name=name)
            return await people.assign_role(session, person, Grant(Role.PLATFORM_ADMIN), actor_id=None)

    new = with_session(settings, work)
    console.print(f"[green]{email} is {'now' if new else 'already'} a platform administrator.[/green]")


@main.command("messages")
def messages() -> None:
    """Update the translation catalogs in frontend/translations from the code and templates."""
    from api.messages import update_catalogs

    for locale, missing in update_catalogs().items():
        console.print(f"{locale}: {missing} messages still to translate")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=1, show_default=True)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the platform with uvicorn."""
    import uvicorn

    uvicorn.run("api.app:create_app_from_env", factory=True, host=host, port=port, workers=workers)
