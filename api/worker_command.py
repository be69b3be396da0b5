"""`buurtbudget worker` (deliver the outbox, run periodic jobs) and `buurtbudget outbox` (dead letters)."""

# ruff: noqa: PLC0415  (commands import what they use, so every command starts quickly)
import signal
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from buurtbudget.settings import Settings


def _say(text: str) -> None:
    click.echo(text, err=True)


@click.command("worker")
@click.option("--once", is_flag=True, help="Handle what is due now, then stop (for scripts and cron).")
@click.pass_obj
def worker_command(settings: "Settings", once: bool) -> None:
    """Deliver the outbox (mails, jobs) with retries and run the scheduler, until Ctrl-C or SIGTERM."""
    import anyio

    from api.worker import run_worker

    async def main() -> None:
        if once:
            await _drain(settings)
            return
        stop = anyio.Event()
        async with anyio.create_task_group() as tasks:

            async def watch_signals() -> None:
                with anyio.open_signal_receiver(signal.SIGINT, signal.SIGTERM) as signals:
                    async for _signal in signals:
                        stop.set()
                        return

            tasks.start_soon(watch_signals)
            await run_worker(settings, stop)
            tasks.cancel_scope.cancel()

    anyio.run(main)


async def _drain(settings: "Settings") -> None:
    from api.worker import drain_once

    outcome = await drain_once(settings)
    _say(f"sent {outcome.sent}, to retry {outcome.retried}, dead {outcome.dead}")


@click.group("outbox")
def outbox_command() -> None:
    """The outbox: what waits, and the dead letters the worker gave up on."""


@outbox_command.command("status")
@click.pass_obj
def outbox_status(settings: "Settings") -> None:
    """How many messages wait, were sent or are dead, and the dead letters (never their contents)."""
    from api.command_session import with_session
    from buurtbudget.outbox import queue

    async def work(session: "AsyncSession") -> None:
        counts = await queue.counts(session)
        _say(", ".join(f"{status}: {count}" for status, count in sorted(counts.items())) or "empty")
        for message in await queue.dead_letters(session):
            _say(f"dead {message.id} {message.kind} after {message.attempts} attempts: {message.last_error}")

    with_session(settings, work)


@outbox_command.command("retry")
@click.argument("message_id", type=int)
@click.pass_obj
def outbox_retry(settings: "Settings", message_id: int) -> None:
    """Put dead letter MESSAGE_ID back in the queue with fresh attempts."""
    from api.command_session import with_session
    from buurtbudget.db.transaction import transaction
    from buurtbudget.outbox import queue

    async def work(session: "AsyncSession") -> bool:
        async with transaction(session):
            return await queue.retry_dead(session, message_id)

    if not with_session(settings, work):
        _say(f"{message_id} is not a dead letter.")
        raise SystemExit(1)
    _say(f"{message_id} is queued again.")
