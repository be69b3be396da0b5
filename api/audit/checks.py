"""What `buurtbudget audit verify|checkpoint` do: check the chain, seals, anchors and ledger; anchor it."""

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from api.command_session import with_session
from buurtbudget.audit import anchors
from buurtbudget.audit.chain import ChainLink, Verdict, verify
from buurtbudget.audit.keys import AuditKey, key_of
from buurtbudget.audit.models import AuditEntry, AuditHead
from buurtbudget.audit.service import iter_links
from buurtbudget.db.base import utcnow
from buurtbudget.pots.consistency import ledger_problems
from buurtbudget.settings import Settings

console = Console(stderr=True)


@dataclass
class Findings:
    """What `audit verify` found: the chain's verdict and every other problem."""

    verdict: Verdict
    anchors_checked: int = 0
    problems: list[str] = field(default_factory=list)


async def _links(session: AsyncSession) -> tuple[list[ChainLink], str]:
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
    return links, head


async def findings(session: AsyncSession, key: AuditKey, checkpoints: list[anchors.Checkpoint]) -> Findings:
    """The chain (hashes, links, seals), the checkpoints against it, and the ledger against it."""
    links, head = await _links(session)
    found = Findings(verify(links, head, key), len(checkpoints))
    found.problems += anchors.problems(checkpoints, key, {link.entry_id: link.entry_hash for link in links})
    found.problems += await ledger_problems(session)
    return found


def _read(path: Path, *, required: bool) -> list[anchors.Checkpoint]:
    if required and not path.exists():
        raise click.BadParameter(f"{path} does not exist", param_hint="--checkpoints")
    try:
        return anchors.read(path)
    except anchors.UnreadableCheckpointsError as error:
        raise click.BadParameter(str(error), param_hint="--checkpoints") from error


def verify_log(settings: Settings, checkpoints: Path | None) -> None:
    """Check the audit log (hashes, seals, checkpoints), and the ledger against it; exit 1 if not intact."""
    anchored = _read(checkpoints or settings.audit_checkpoints, required=checkpoints is not None)
    key = key_of(settings)
    found = with_session(settings, lambda session: findings(session, key, anchored))
    verdict = found.verdict
    if not verdict.ok:
        where = f"entry {verdict.broken_entry_id}" if verdict.broken_entry_id else "the chain's end"
        found.problems.insert(
            0, f"broken at {where}: {verdict.reason} ({verdict.checked} entries checked before it)"
        )
    if found.problems:
        console.print("[red]Audit log NOT intact:[/red]")
        for problem in found.problems:
            console.print(f"  - {problem}")
        raise SystemExit(1)
    console.print(
        f"[green]Audit log intact:[/green] {verdict.checked} entries, chain and seals intact, "
        f"{found.anchors_checked} checkpoints and the ledger agree"
    )


def anchor_log(settings: Settings, out: Path | None) -> None:
    """Verify the chain, then add a signed checkpoint of its head to a file and print it (to publish)."""
    key = key_of(settings)
    path = out or settings.audit_checkpoints
    existing = _read(path, required=False)

    async def work(session: AsyncSession) -> tuple[Findings, int | None, str]:
        found = await findings(session, key, existing)
        head = (await session.execute(select(AuditHead).where(AuditHead.id == 1))).scalar_one()
        return found, head.last_entry_id, head.last_hash

    found, entry_id, entry_hash = with_session(settings, work)
    if not found.verdict.ok or found.problems:
        console.print("[red]Not anchored:[/red] the audit log is not intact; run `buurtbudget audit verify`.")
        raise SystemExit(1)
    if entry_id is None:
        console.print("[red]Not anchored:[/red] the audit log is empty.")
        raise SystemExit(1)
    checkpoint = anchors.make(key, entry_id, entry_hash, utcnow().isoformat(timespec="seconds"))
    anchors.append(path, checkpoint)
    click.echo(json.dumps(asdict(checkpoint), sort_keys=True))
    console.print(f"[green]Anchored:[/green] entry {entry_id} in {path}")
