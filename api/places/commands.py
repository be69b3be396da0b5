"""`buurtbudget places import-neighbourhoods FILE --municipality GM0344` and `... import-postcodes FILE`:
CSV files checked as a whole; any bad line (listed with its number and reason, in Dutch) and nothing is
stored."""

# ruff: noqa: PLC0415  (the database and the import service load when the command runs, not at start-up)
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from buurtbudget.people.roles import Actor
    from buurtbudget.settings import Settings

EXIT_BAD_INPUT = 2
T = TypeVar("T")


def _run(settings: "Settings", file: Path, work: "Callable[[AsyncSession, bytes], Awaitable[T]]") -> T:
    """Read FILE and run `work` on it; a refused file lists its problems and exits with 2."""
    from api.command_session import with_session
    from buurtbudget.errors import DomainError
    from buurtbudget.i18n import gettext
    from buurtbudget.places.csv_import import ImportRefused

    try:
        content = file.read_bytes()
    except OSError as error:
        click.echo(f"Error: cannot read {file}: {error.strerror or error}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    try:
        return with_session(settings, lambda session: work(session, content))
    except ImportRefused as error:
        click.echo(f"{file}: {gettext(error.message)}", err=True)
        for problem in error.problems:
            click.echo(f"  regel {problem.line}: {problem.text('nl')}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    except DomainError as error:
        click.echo(f"Error: {file}: {gettext(error.message)}; er is niets opgeslagen", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None


def _operator() -> "Actor":
    from buurtbudget.people.roles import Actor, Grant, Role

    # Whoever runs the command line operates the platform; the audit log records the change with no person.
    return Actor(person_id=None, grants=frozenset({Grant(Role.PLATFORM_ADMIN)}))


@click.command("import-neighbourhoods")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--municipality", "municipality_code", required=True, help="Its CBS code, e.g. GM0344.")
@click.pass_obj
def import_neighbourhoods_command(settings: "Settings", file: Path, municipality_code: str) -> None:
    """Add or update a municipality's neighbourhoods from a CSV FILE (CBS wijk- en buurtkaart columns:
    buurtcode;buurtnaam;wijkcode;wijknaam;gemeentecode;gemeentenaam). A municipality not yet known is
    added when the file names it (gemeentenaam)."""
    from buurtbudget.places.imports import NeighbourhoodPlan, PlacesImport

    operator = _operator()

    async def work(session: "AsyncSession", content: bytes) -> NeighbourhoodPlan:
        return await PlacesImport(session).import_neighbourhoods_as_operator(
            operator, municipality_code, content
        )

    plan = _run(settings, file, work)
    click.echo(
        f"{plan.municipality.name}: {len(plan.new)} new, {len(plan.changed)} changed, "
        f"{plan.unchanged} unchanged neighbourhoods"
    )


@click.command("import-postcodes")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--municipality", "municipality_code", default=None, help="Only this municipality's (GM0344).")
@click.pass_obj
def import_postcodes_command(settings: "Settings", file: Path, municipality_code: str | None) -> None:
    """Point postcodes (3552AB) or 4-digit areas (3552) at the neighbourhoods they lie in, from a CSV FILE
    with the columns postcode;buurtcode. Each postcode in the file replaces what was known of it."""
    from buurtbudget.places.imports import PlacesImport, PostcodePlan

    operator = _operator()

    async def work(session: "AsyncSession", content: bytes) -> PostcodePlan:
        imports = PlacesImport(session)
        municipality_id = (
            None if municipality_code is None else await imports.municipality_id_of(municipality_code)
        )
        return await imports.import_postcodes(operator, municipality_id, content)

    plan = _run(settings, file, work)
    click.echo(f"{plan.postcodes} postcodes imported ({plan.replaced} replaced)")
