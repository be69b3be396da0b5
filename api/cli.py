"""The `buurtbudget` command line: database, demo data, audit verification, admins, serving.

Start-up stays light (every command starts in well under 150 ms): the web application, SQLAlchemy,
the settings and rich are imported by the commands that use them, not when this module loads.
"""

# ruff: noqa: PLC0415  (the imports inside the commands are what keeps start-up light)
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import click

from api.audit.commands import audit_command
from api.jury.allocate_command import allocate_command
from api.jury.import_command import round_command
from api.jury.verify_command import jury_command
from api.people.commands import people_command
from api.places.commands import import_neighbourhoods_command, import_postcodes_command
from api.places_command import places_command
from api.worker_command import outbox_command, worker_command

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
        from buurtbudget.audit import keys
        from buurtbudget.settings import Settings

        settings = Settings()
        keys.use(keys.key_of(settings))  # what the commands record is sealed with this key
        return settings

    def __getattr__(self, name: str) -> Any:
        return getattr(self.loaded, name)


@click.group()
@click.pass_context
def main(context: click.Context) -> None:
    """Buurtbudget: neighbourhood budgets decided by residents."""
    context.obj = _Settings()


main.add_command(allocate_command)
main.add_command(round_command)
main.add_command(jury_command)
main.add_command(worker_command)
main.add_command(outbox_command)
main.add_command(people_command)
main.add_command(places_command)
places_command.add_command(import_neighbourhoods_command)
places_command.add_command(import_postcodes_command)


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


main.add_command(audit_command)


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
@click.pass_obj
def serve(settings: "Settings", host: str, port: int, workers: int) -> None:
    """Serve the platform with uvicorn (proxies from BUURTBUDGET_TRUSTED_PROXIES; no tokens in logs)."""
    import uvicorn

    from api.serving import uvicorn_options
    from buurtbudget.settings import UnsafeSettingsError

    try:
        settings.ensure_safe_to_serve()
    except UnsafeSettingsError as error:
        raise click.ClickException(str(error)) from error
    uvicorn.run(
        "api.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        **uvicorn_options(settings),
    )
