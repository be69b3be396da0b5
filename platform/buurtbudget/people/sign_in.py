"""Magic-link sign-in: a single-use token, stored hashed, short-lived, mailed through the outbox."""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from buurtbudget.audit.service import record
from buurtbudget.db.base import utcnow
from buurtbudget.db.transaction import note_outbox_message, transaction
from buurtbudget.i18n import DEFAULT_LOCALE, LOCALES, gettext
from buurtbudget.notifications.mailer import new_message_id
from buurtbudget.notifications.outgoing import MAIL
from buurtbudget.outbox.models import PENDING, SENDING, SENT, OutboxMessage
from buurtbudget.outbox.queue import enqueue
from buurtbudget.people.errors import InvalidSignInLink, TooManySignInRequests
from buurtbudget.people.models import Person, SignInToken
from buurtbudget.people.service import get_or_create, normalise_email
from buurtbudget.settings import Settings


def hash_token(token: str) -> str:
    """Tokens are stored as SHA-256 digests: a leaked table signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in_link(settings: Settings, token: str) -> str:
    return f"{settings.base_url.rstrip('/')}/inloggen/bevestigen?{urlencode({'token': token})}"


def _topic(address: str) -> str:
    return f"sign-in:{address}"


async def _lock_address(session: AsyncSession, address: str) -> None:
    """Serialise sign-in requests for one address, so the hourly limit holds exactly under concurrency.

    SQLite already runs one writing transaction at a time (BEGIN IMMEDIATE); PostgreSQL takes a
    transaction-scoped advisory lock on the address.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": _topic(address)}
        )


async def request_link(session: AsyncSession, settings: Settings, email: str, *, locale: str) -> None:
    """Queue a sign-in link for `email`; the same answer whether or not the address has an account.

    The hourly limit counts links that were handed to the mail server (or are being handed over). While
    an earlier link still waits in the outbox (the mail server is down), a new request replaces it
    instead of counting again: the address is never locked out by our own outage, and after recovery
    one mail with the newest link goes out.
    """
    address = normalise_email(email)
    language = locale if locale in LOCALES else DEFAULT_LOCALE
    now = utcnow()
    token = secrets.token_urlsafe(32)
    subject = gettext("Your sign-in link for Buurtbudget", language)
    body = gettext(
        "Hello,\n\nUse this link to sign in to Buurtbudget:\n\n{link}\n\n"
        "The link works once and for {minutes} minutes.\n"
        "Did you not ask for it? Then you can ignore this e-mail.",
        language,
    ).format(link=sign_in_link(settings, token), minutes=settings.sign_in_token_minutes)
    mail = {"to": address, "subject": subject, "body": body, "message_id": new_message_id()}
    async with transaction(session):
        await _lock_address(session, address)
        # Only a mail still waiting is replaced; one a worker has claimed meanwhile is left alone.
        replaced = (
            (
                await session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.topic == _topic(address), OutboxMessage.status == PENDING)
                    .values(payload=mail, available_at=now)
                    .returning(OutboxMessage.id)
                    .execution_options(synchronize_session=False)
                )
            )
            .scalars()
            .all()
        )
        if replaced:
            # The older links never left: they are withdrawn, and the waiting mail carries the new one.
            await session.execute(
                update(SignInToken)
                .where(SignInToken.email == address, SignInToken.used_at.is_(None))
                .values(expires_at=now)
            )
            for message_id in replaced:
                note_outbox_message(session, message_id)
        else:
            handed_over = await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    OutboxMessage.topic == _topic(address),
                    OutboxMessage.status.in_((SENT, SENDING)),
                    OutboxMessage.created_at > now - timedelta(hours=1),
                )
            )
            if (handed_over or 0) >= settings.sign_in_per_address_per_hour:
                raise TooManySignInRequests(
                    "too many sign-in requests for this address", retry_after_seconds=3600
                )
            await enqueue(session, MAIL, mail, topic=_topic(address))
        session.add(
            SignInToken(
                token_hash=hash_token(token),
                email=address,
                created_at=now,
                expires_at=now + timedelta(minutes=settings.sign_in_token_minutes),
                locale=language,
            )
        )


async def consume_link(session: AsyncSession, token: str) -> Person:
    """Use a token once: returns the person (created on first sign-in) or raises InvalidSignInLink."""
    now = utcnow()
    async with transaction(session):
        # One UPDATE claims the token, so two clicks racing cannot both sign in.
        claimed = await session.execute(
            update(SignInToken)
            .where(
                SignInToken.token_hash == hash_token(token),
                SignInToken.used_at.is_(None),
                SignInToken.expires_at > now,
            )
            .values(used_at=now)
            .returning(SignInToken.email, SignInToken.locale)
        )
        row = claimed.one_or_none()
        if row is None:
            raise InvalidSignInLink("this sign-in link is unknown, used or expired", field="token")
        email, language = row
        person = await get_or_create(session, email, actor_id=None)
        if language:
            person.locale = language
        await record(
            session,
            actor_id=person.id,
            action="person.signed_in",
            subject_type="person",
            subject_id=person.id,
        )
    return person
