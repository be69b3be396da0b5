"""Mailers: SMTP for real delivery, an outbox folder of .eml files for the demo and development."""

import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Protocol, runtime_checkable

import anyio.to_thread

from buurtbudget.notifications.errors import MailUnavailable
from buurtbudget.settings import Settings


@runtime_checkable
class Mailer(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


def compose(*, sender: str, to: str, subject: str, body: str, message_id: str | None = None) -> EmailMessage:
    """A plain-text UTF-8 message; a retried mail keeps the Message-ID it was queued with."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or new_message_id()
    message.set_content(body)
    return message


def new_message_id() -> str:
    return make_msgid(domain="buurtbudget")


class SmtpMailer:
    """Delivers through an SMTP server (blocking smtplib, run in a worker thread).

    `security` is "starttls" (upgrade a plain connection, the usual submission on port 587), "tls"
    (implicit TLS, port 465) or "none" (a relay on the same host); with a username it authenticates,
    which smtplib refuses to do over a connection that is not encrypted unless security is "none".
    """

    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: str = "none",
        username: str | None = None,
        password: str | None = None,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        self.host = host
        self.port = port
        self.security = security
        self.username = username
        self.password = password
        self.tls_context = tls_context or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=10, context=self.tls_context)
        smtp = smtplib.SMTP(self.host, self.port, timeout=10)
        if self.security == "starttls":
            smtp.starttls(context=self.tls_context)
        return smtp

    def _send_blocking(self, message: EmailMessage) -> None:
        try:
            with self._connect() as smtp:
                if self.username:
                    smtp.login(self.username, self.password or "")
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
        return SmtpMailer(
            settings.smtp_host,
            settings.smtp_port,
            security=settings.smtp_security,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        )
    return OutboxMailer(settings.outbox_dir)
