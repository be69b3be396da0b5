"""`buurtbudget allocate FILE.pb`: run an allocation rule on a Pabulib file and print one JSON object."""

import json
import os
from pathlib import Path

import click

from buurtbudget.jury.allocation import PabulibError, Rule, TieBreak, allocate, read_pabulib
from buurtbudget.jury.allocation.min_support import with_min_support

EXIT_BAD_INPUT = 2


@click.command("allocate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--rule", "rule", type=click.Choice([r.value for r in Rule]), required=True, help="Allocation rule."
)
@click.option(
    "--tie-break",
    "tie_break",
    type=click.Choice([t.value for t in TieBreak]),
    default=TieBreak.LEXICOGRAPHIC.value,
    show_default=True,
    help="How ties are broken.",
)
@click.option("--seed", type=int, default=None, help="Seed of the lot (required with --tie-break lot).")
def allocate_command(file: Path, rule: str, tie_break: str, seed: int | None) -> None:
    """Allocate the budget of a Pabulib FILE with a rule and print the result as JSON."""
    if tie_break == TieBreak.LOT.value and seed is None:
        raise click.UsageError("--tie-break lot needs --seed")
    # numpy (loaded by the reader and MES for large votes) starts no BLAS thread pool: the rules use
    # no BLAS, and starting one thread per core costs more than the whole allocation of a small vote
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    try:
        election = read_pabulib(file)
    except OSError as exc:
        click.echo(f"Error: cannot read {file}: {exc.strerror or exc}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    except PabulibError as exc:
        click.echo(f"Error: {file}: {exc}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None
    minimum = election.meta.get("min_support", "")
    if minimum.isdigit():  # a round's export: projects below its minimum support were never eligible
        election = with_min_support(election, int(minimum))
    outcome = allocate(election, rule, tie_break, seed)
    click.echo(json.dumps(outcome.as_json()))
