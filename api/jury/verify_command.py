"""`buurtbudget jury verify-draw ROUND`: redo a round's jury draw from what was published (exit 1 if not)."""

# ruff: noqa: PLC0415  (imports inside the command keep the command line's start-up light)
from typing import TYPE_CHECKING

import click

from api.jury.attributes_command import attributes_command

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from buurtbudget.jury.drawing import PublishedDraw
    from buurtbudget.settings import Settings

EXIT_MISMATCH = 1
EXIT_NOT_DRAWN = 2


@click.group("jury")
def jury_command() -> None:
    """Jury draws and the jury pool's attributes."""


jury_command.add_command(attributes_command)


@jury_command.command("verify-draw")
@click.argument("round_id", type=click.IntRange(1, 2**31 - 1))
@click.pass_obj
def verify_draw(settings: "Settings", round_id: int) -> None:
    """Check ROUND's draw: the revealed seed against its published hash, and the draw redone from the
    published pseudonymised pool, quotas and seed against the published jurors and reserves."""
    from api.command_session import with_session
    from buurtbudget.jury import drawing

    async def work(session: "AsyncSession") -> "PublishedDraw | None":
        return await drawing.published(session, round_id)

    published = with_session(settings, work)
    if published is None or published.seed is None:
        click.echo(f"Round {round_id}: no jury has been drawn yet; nothing to check.", err=True)
        raise SystemExit(EXIT_NOT_DRAWN)
    checked = drawing.verify(published)
    click.echo(f"seed hash matches: {'yes' if checked.hash_matches else 'NO'}")
    click.echo(f"draw matches: {'yes' if checked.draw_matches else 'NO'}")
    click.echo(f"jurors: {' '.join(checked.jurors)}")
    click.echo(f"reserves: {' '.join(checked.reserves)}")
    if not checked.ok:
        raise SystemExit(EXIT_MISMATCH)
