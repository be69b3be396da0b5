"""`buurtbudget round import FILE.pb --pot POT_ID`: a real Pabulib election as a closed round."""

# ruff: noqa: PLC0415  (the database and the import service load when the command runs, not at start-up)
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from buurtbudget.jury.allocation import PabulibError, Rule, TieBreak

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from buurtbudget.jury.pabulib_import import ImportedRound
    from buurtbudget.settings import Settings

EXIT_BAD_INPUT = 2


@click.group("round")
def round_command() -> None:
    """Jury rounds."""


@round_command.command("import")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--pot", "pot_id", type=click.IntRange(1, 2**31 - 1), required=True, help="The pot that pays.")
@click.option(
    "--rule",
    type=click.Choice([r.value for r in Rule]),
    default=None,
    help="Allocation rule (default: the file's rule when we know it, else greedy).",
)
@click.option(
    "--tie-break",
    "tie_break",
    type=click.Choice([t.value for t in TieBreak]),
    default=TieBreak.LEXICOGRAPHIC.value,
    show_default=True,
)
@click.pass_obj
def import_round(settings: "Settings", file: Path, pot_id: int, rule: str | None, tie_break: str) -> None:
    """Import a Pabulib FILE as a closed round of a pot and print the result as JSON.

    The projects become initiatives owned by a pseudonymous resident, the votes anonymous ballots;
    the file's budget is reserved in the pot and the round is tallied, decided and paid out.
    """
    from api.command_session import with_session
    from buurtbudget.errors import DomainError
    from buurtbudget.jury.pabulib_import import PabulibImport
    from buurtbudget.people.roles import Actor, Grant, Role

    # Whoever runs the command line operates the platform; the audit log records the change with no person.
    operator = Actor(person_id=None, grants=frozenset({Grant(Role.PLATFORM_ADMIN)}))

    async def work(session: "AsyncSession") -> "ImportedRound":
        importer = PabulibImport(session)
        return await importer.import_file(operator, pot_id, file, rule=rule, tie_break=tie_break)

    try:
        imported = with_session(settings, work)
    except OSError as error:
        click.echo(f"Error: cannot read {file}: {error.strerror or error}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    except PabulibError as error:
        click.echo(f"Error: {file}: {error}; nothing was stored", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    except DomainError as error:
        field = error.params.get("field")
        where = f" ({field})" if field else ""
        click.echo(f"Error: {file}: {error.message}{where}; nothing was stored", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    click.echo(
        json.dumps(
            {
                "round_id": imported.round_id,
                "initiatives": dict(imported.initiative_ids),
                "ballots": imported.ballots,
                "rule": imported.result["rule"],
                "tie_break": imported.result["tie_break"],
                "budget": imported.result["budget"],
                "selected": imported.result["selected"],
                "total_cost": imported.result["total_cost"],
                "left_out_placeholder_costs": list(imported.left_out),
            }
        )
    )
