"""`buurtbudget places ...`: municipalities and neighbourhoods from the command line (platform admins)."""

# ruff: noqa: PLC0415  (imports inside the commands keep the command line's start-up light)
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from buurtbudget.places.models import Municipality
    from buurtbudget.settings import Settings


@click.group("places")
def places_command() -> None:
    """Municipalities and neighbourhoods."""


@places_command.command("set-theme")
@click.argument("cbs_code")
@click.argument("theme")
@click.option("--logo", default=None, help="The logo's address on this site (/static/...); '' removes it")
@click.pass_obj
def set_theme(settings: "Settings", cbs_code: str, theme: str, logo: str | None) -> None:
    """Give municipality CBS_CODE (e.g. GM0344) the look THEME (one the installation ships)."""
    from api.command_session import with_session
    from buurtbudget.errors import DomainError
    from buurtbudget.places import looks
    from buurtbudget.places.themes import THEMES

    async def work(session: "AsyncSession") -> "Municipality":
        if logo is None:
            return await looks.set_look(session, cbs_code, theme, actor_id=None)
        return await looks.set_look(session, cbs_code, theme, logo_url=logo, actor_id=None)

    try:
        municipality = with_session(settings, work)
    except DomainError as error:
        shipped = ", ".join(THEMES)
        raise click.ClickException(f"{error.message} (themes: {shipped})") from error
    click.echo(f"{municipality.name} ({municipality.cbs_code}) uses the theme '{municipality.theme}'.")
