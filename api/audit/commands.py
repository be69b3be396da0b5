"""`buurtbudget audit verify|checkpoint`; the work is in api.audit.checks, loaded when a command runs."""

# ruff: noqa: PLC0415  (importing the checks inside the commands keeps the command line's start-up light)
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from buurtbudget.settings import Settings


@click.group("audit")
def audit_command() -> None:
    """The audit log: verify it, and anchor its head outside the database."""


@audit_command.command("verify")
@click.option(
    "--checkpoints",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Checkpoints to check the chain against (default: BUURTBUDGET_AUDIT_CHECKPOINTS if it exists).",
)
@click.pass_obj
def audit_verify(settings: "Settings", checkpoints: Path | None) -> None:
    """Check the audit log (hashes, seals, checkpoints), and the ledger against it; exit 1 if not intact."""
    from api.audit.checks import verify_log

    verify_log(settings, checkpoints)


@audit_command.command("checkpoint")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The file to add it to (default: BUURTBUDGET_AUDIT_CHECKPOINTS); keep it outside the database.",
)
@click.pass_obj
def audit_checkpoint(settings: "Settings", out: Path | None) -> None:
    """Verify the chain, then add a signed checkpoint of its head to a file and print it (to publish)."""
    from api.audit.checks import anchor_log

    anchor_log(settings, out)
