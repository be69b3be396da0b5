"""The `buurtbudget` command line: database, demo data, audit verification, admins, serving."""

from typing import TypeVar

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.command_session import with_session
from api.jury.allocate_command import allocate_command
from api.jury.import_command import round_command
from api.worker_command import outbox_command, worker_command
from buurtbudget.audit.chain import verify
from buurtbudget.audit.models import AuditEntry, AuditHead
from buurtbudget.audit.service import iter_links
from buurtbudget.db import migrate
from buurtbudget.db.transaction import transaction
from buurtbudget.demo.loader import DemoLoader
from buurtbudget.people import service as people
from buurtbudget.people.roles import Grant, Role
from buurtbudget.settings import Settings, UnsafeSettingsError

T = TypeVar("T")
console = Console(stderr=True)


@click.group()
@click.pass_context
def main(context: click.Context) -> None:
    """Buurtbudget: neighbourhood budgets decided by residents."""
    context.obj = Settings()


main.add_command(allocate_command)
main.add_command(round_command)
main.add_command(worker_command)
main.add_command(outbox_command)


@main.group()
def db() -> None:
    """The database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@click.pass_obj
def db_upgrade(settings: Settings, revision: str) -> None:
    """Bring the schema up to date."""
    migrate.upgrade(settings.database_url, revision)
    console.print(f"[green]Database at {revision}.[/green]")


@db.command("downgrade")
@click.argument("revision")
@click.pass_obj
def db_downgrade(settings: Settings, revision: str) -> None:
    """Take the schema down to REVISION ('base' removes all tables)."""
    migrate.downgrade(settings.database_url, revision)
    console.print(f"[yellow]Database at {revision}.[/yellow]")


@main.group()
def demo() -> None:
    """Demo data."""


@demo.command("load")
@click.pass_obj
def demo_load(settings: Settings) -> None:
    """Load the demo neighbourhoods, pots, people and initiatives (again: changes nothing)."""

    async def work(session: AsyncSession) -> str:
        loader = DemoLoader(session, settings.pabulib_dir)
        with Progress(
            TextColumn("{task.description:<40}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
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
def audit_verify(settings: Settings) -> None:
    """Check the audit log's hash chain; exits 1 when an entry was changed or removed."""

    async def work(session: AsyncSession) -> tuple[bool, str]:
        total = await session.scalar(select(func.count()).select_from(AuditEntry)) or 0
        head = (await session.execute(select(AuditHead.last_hash).where(AuditHead.id == 1))).scalar_one()
        with Progress(
            TextColumn("Verifying"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
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
def create_admin(settings: Settings, email: str, name: str | None) -> None:
    """Make EMAIL a platform administrator (creating the account if needed)."""

    async def work(session: AsyncSession) -> bool:
        async with transaction(session):
            person = await people.get_or_create(session, email, actor_id=None, display_name=name)
            return await people.assign_role(session, person, Grant(Role.PLATFORM_ADMIN), actor_id=None)

    new = with_session(settings, work)
    console.print(f"[green]{email} is {'now' if new else 'already'} a platform administrator.[/green]")


@main.command("messages")
def messages() -> None:
    """Update the translation catalogs in frontend/translations from the code and templates."""
    from api.messages import update_catalogs  # noqa: PLC0415  (a developer's command; keeps start-up light)

    for locale, missing in update_catalogs().items():
        console.print(f"{locale}: {missing} messages still to translate")


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=1, show_default=True)
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int) -> None:
    """Serve the platform with uvicorn (proxies from BUURTBUDGET_TRUSTED_PROXIES; no tokens in logs)."""
    import uvicorn  # noqa: PLC0415  (only this command needs the server)

    from api.serving import uvicorn_options  # noqa: PLC0415

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
