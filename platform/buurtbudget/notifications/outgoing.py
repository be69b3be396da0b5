"""Mails through the outbox: queued with the change that causes them, delivered by the worker."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.i18n import DEFAULT_LOCALE, LOCALES
from buurtbudget.notifications.errors import MailUnavailable
from buurtbudget.notifications.mailer import compose, new_message_id
from buurtbudget.outbox.models import OutboxMessage
from buurtbudget.outbox.queue import enqueue
from buurtbudget.outbox.worker import JobContext, PermanentFailure
from buurtbudget.people.models import Person

MAIL = "mail"
# Links in a queued body are written as SITE + "/path": the worker puts in the platform's address, so
# services and their event subscribers need no settings to write a mail.
SITE = "{site}"


async def queue_mail(
    session: AsyncSession,
    *,
    to: str,
    subject: str,
    body: str,
    reply_to: str | None = None,
    topic: str | None = None,
) -> OutboxMessage:
    """Queue a mail in the caller's unit of work. Its Message-ID is fixed now, so a retry is the same mail."""
    payload = {"to": to, "subject": subject, "body": body, "message_id": new_message_id()}
    if reply_to:
        payload["reply_to"] = reply_to
    return await enqueue(session, MAIL, payload, topic=topic)


async def deliver_mail(context: JobContext, payload: dict[str, Any]) -> None:
    """The worker's handler for MAIL: a server that is down raises, so the worker retries later."""
    try:
        message = compose(
            sender=context.settings.smtp_sender,
            to=str(payload["to"]),
            subject=str(payload["subject"]),
            body=str(payload["body"]).replace(SITE, context.settings.base_url.rstrip("/")),
            message_id=str(payload["message_id"]),
        )
        if payload.get("reply_to"):
            message["Reply-To"] = str(payload["reply_to"])
    except (KeyError, ValueError) as error:
        raise PermanentFailure(f"a mail that cannot be composed: {error}") from error
    try:
        await context.mailer.send(message)
    except MailUnavailable:
        raise
    except ValueError as error:  # an address the mail library refuses never becomes valid
        raise PermanentFailure(str(error)) from error


def mail_language(stored: str | None) -> str:
    """The language to write to a person in: the one they last used with us, Dutch when unknown."""
    return stored if stored in LOCALES else DEFAULT_LOCALE


async def languages_of(session: AsyncSession, person_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each person's address and language, for mails to several people."""
    rows = await session.execute(
        select(Person.id, Person.email, Person.locale).where(Person.id.in_(person_ids))
    )
    return {person_id: (email, mail_language(locale)) for person_id, email, locale in rows.tuples()}
