"""Mailers: SMTP for real delivery, an outbox folder of .eml files for the demo and development."""

import logging
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol, runtime_checkable

import anyio.to_thread

from buurtbudget.notifications.errors import MailUnavailable
from buurtbudget.settings import Settings

logger = logging.getLogger(__name__)


@runtime_checkable
class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


def compose(*, sender: str, to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message with a fresh Message-ID."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="buurtbudget")
    message.set_content(body)
    return message


async def send_or_warn(mailer: Mailer, message: EmailMessage, about: str) -> None:
    """Send a mail about a change that is already committed: a mail server that is down is logged
    (naming the address and `about`), never raised, so it undoes nothing."""
    try:
        await mailer.send(message)
    except MailUnavailable:
        logger.warning("could not mail %s about %s", message["To"], about)


class SmtpMailer:
    """Delivers through an SMTP server (blocking smtplib, run in a worker thread)."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port

    def _send_blocking(self, message: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=10) as smtp:
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as error:
            raise MailUnavailable("the mail server is not available; try again in a few minutes") from error

    async def send(self, message: EmailMessage) -> None:
        await anyio.to_thread.run_sync(self._send_blocking, message)


class OutboxMailer:
    """Writes each message as an .eml file; the demo shows the folder so sign-in works offline."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        path = self.folder / f"{stamp}.eml"
        await anyio.Path(path).write_bytes(bytes(message))


def mailer_for(settings: Settings) -> Mailer:
    """SMTP when a host is configured, else the outbox folder."""
    if settings.smtp_host:
        return SmtpMailer(settings.smtp_host, settings.smtp_port)
    return OutboxMailer(settings.outbox_dir)
