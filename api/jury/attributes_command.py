"""`buurtbudget jury attributes CBS_CODE [--set FILE | --defaults]`: what the jury pool asks volunteers.

The attributes a municipality's jury pool is stratified by (age band, gender, area of the neighbourhood
...), as JSON: a list of {"key", "label", "choices": [{"key", "label"}, ...]}. Without an option the
current ones are printed, ready to edit and set again; the command line acts as a platform administrator.
"""

# ruff: noqa: PLC0415  (imports inside the command keep the command line's start-up light)
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from buurtbudget.settings import Settings


@click.command("attributes")
@click.argument("cbs_code")
@click.option("--set", "new", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option("--defaults", is_flag=True, help="Go back to the platform's defaults (age band and gender)")
@click.pass_obj
def attributes_command(settings: "Settings", cbs_code: str, new: Path | None, defaults: bool) -> None:
    """Show or set the jury pool attributes of municipality CBS_CODE (e.g. GM0344)."""
    from api.command_session import with_session
    from buurtbudget.errors import DomainError
    from buurtbudget.jury.attributes import stored_form
    from buurtbudget.jury.pool import JuryPoolService
    from buurtbudget.people.roles import Actor, Grant, Role

    given: list[dict[str, Any]] | None = None
    if new is not None:
        try:
            given = json.loads(new.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise click.ClickException(f"{new} is not JSON: {error}") from error
        if not isinstance(given, list):
            raise click.ClickException(f"{new} must hold a list of attributes")
    operator = Actor(person_id=None, grants=frozenset({Grant(Role.PLATFORM_ADMIN)}))

    async def work(session: "AsyncSession") -> list[dict[str, Any]]:
        pool = JuryPoolService(session)
        municipality, current = await pool.municipality_attributes(cbs_code)
        if new is not None or defaults:
            current = await pool.set_attributes(operator, municipality.id, None if defaults else given)
        return stored_form(current)

    try:
        shown = with_session(settings, work)
    except DomainError as error:
        raise click.ClickException(f"{error.message} {error.params}") from error
    click.echo(json.dumps(shown, ensure_ascii=False, indent=2))
